import { existsSync } from 'node:fs';
import { UsageError } from '../errors';
import { CHILD_ENTRY } from '../paths';
import type { WorkerOptions } from '../options';
import { runWorker, type WorkerEvent, type WorkerSummary } from '../queue/worker';

/**
 * `convlab worker`: grades jobs from the queue until SIGTERM or SIGINT, then lets the running ones finish and returns
 * what it did (the events go to `onEvent` as they happen).
 */
export async function worker(options: WorkerOptions, onEvent: (event: WorkerEvent) => void): Promise<WorkerSummary> {
  if (!existsSync(CHILD_ENTRY)) throw new UsageError(`the grader is not built: ${CHILD_ENTRY} is missing (run npm run build)`);
  // `on`, not `once`: execa's exit hook kills the process on a signal that no other listener is left to handle.
  const stop = new Promise<void>((resolve) => {
    process.on('SIGTERM', () => resolve());
    process.on('SIGINT', () => resolve());
  });
  return runWorker(options, onEvent, stop);
}
