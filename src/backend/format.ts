import type { BackendAttempt } from './types';

/** One line per rung, e.g. "tensorflow-gpu: skipped — @tensorflow/tfjs-node-gpu is not installed". */
export function formatBackendTable(attempts: readonly BackendAttempt[]): string {
  const width = Math.max(...attempts.map((attempt) => attempt.name.length)) + 1;
  return attempts
    .map(({ name, status, reason }) => `${`${name}:`.padEnd(width)} ${status}${reason === '' ? '' : ` — ${reason}`}`)
    .join('\n');
}
