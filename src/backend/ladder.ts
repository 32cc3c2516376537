import * as tf from '@tensorflow/tfjs';
import { formatBackendTable } from './format';
import { createBackend } from './rungs/create_backend';
import { DEFAULT_RUNGS } from './rungs';
import { BACKEND_NAMES, BackendUnavailable, type BackendAttempt, type BackendChoice, type BackendName, type Rung } from './types';

/** Forces one backend by name, e.g. CONVLAB_BACKEND=cpu. */
export const BACKEND_ENV = 'CONVLAB_BACKEND';

export interface BackendOptions {
  /** Use this backend or fail (overrides CONVLAB_BACKEND). */
  readonly force?: BackendName;
  /** Print nothing. */
  readonly quiet?: boolean;
}

/** The rungs to climb and how long each may take to prove itself; tests pass their own. */
export interface Ladder {
  readonly rungs: readonly Rung[];
  readonly timeoutMs: number;
}

export const DEFAULT_LADDER: Ladder = { rungs: DEFAULT_RUNGS, timeoutMs: 60_000 };

/**
 * Selects the fastest backend that works here (tensorflow-gpu → webgpu → tensorflow → wasm → cpu), proving each
 * with a tiny computation, and prints which one it chose and why each faster one was passed over.
 */
export async function useBestBackend(options: BackendOptions = {}, ladder: Ladder = DEFAULT_LADDER): Promise<BackendChoice> {
  const forced = forcedBackend(options.force, ladder.rungs);
  const attempts: BackendAttempt[] = [];
  let chosen: BackendName | undefined;
  for (const rung of ladder.rungs) {
    if (chosen !== undefined || (forced !== undefined && rung.name !== forced.name)) {
      const reason = forced !== undefined ? `${forced.source} forces ${forced.name}` : `${chosen} was chosen`;
      attempts.push({ name: rung.name, status: 'not tried', reason });
      continue;
    }
    const attempt = await attemptRung(rung, forced !== undefined, ladder.timeoutMs);
    attempts.push(attempt);
    if (attempt.status === 'chosen') chosen = rung.name;
    else if (forced !== undefined) {
      throw new Error(`${forced.source} forces ${forced.name}, which cannot be used: ${attempt.reason}`);
    }
  }
  if (chosen === undefined) throw new Error(`No TensorFlow.js backend works here:\n${formatBackendTable(attempts)}`);
  if (options.quiet !== true) console.log(`TensorFlow.js backend: ${chosen}\n${formatBackendTable(attempts)}`);
  return { name: chosen, attempts };
}

/**
 * Tries every rung (for `convlab backend`), then leaves the fastest working one selected. Working rungs below it
 * are reported as `available`. CONVLAB_BACKEND is ignored: the point is to see them all.
 */
export async function probeBackends(ladder: Ladder = DEFAULT_LADDER): Promise<readonly BackendAttempt[]> {
  const attempts: BackendAttempt[] = [];
  for (const rung of ladder.rungs) attempts.push(await attemptRung(rung, false, ladder.timeoutMs));
  const fastest = attempts.find((attempt) => attempt.status === 'chosen');
  if (fastest !== undefined) {
    await attemptRung(ladder.rungs.find((rung) => rung.name === fastest.name) as Rung, false, ladder.timeoutMs);
  }
  return attempts.map((attempt) =>
    attempt.status === 'chosen' && attempt !== fastest ? { ...attempt, status: 'available' } : attempt,
  );
}

interface ForcedBackend {
  readonly name: BackendName;
  /** Where the choice came from, as the user wrote it: "CONVLAB_BACKEND=wasm" or "force: 'wasm'". */
  readonly source: string;
}

function forcedBackend(force: string | undefined, rungs: readonly Rung[]): ForcedBackend | undefined {
  const fromEnv = process.env[BACKEND_ENV];
  const [value, source] =
    force !== undefined ? [force, `force: '${force}'`] : [fromEnv, `${BACKEND_ENV}=${fromEnv ?? ''}`];
  if (value === undefined || value === '') return undefined;
  if (!(BACKEND_NAMES as readonly string[]).includes(value) || !rungs.some((rung) => rung.name === value)) {
    const valid = rungs.map((rung) => rung.name).join(', ');
    throw new Error(`${source} names no backend convlab knows; valid names: ${valid}`);
  }
  return { name: value as BackendName, source };
}

/** Prepares a rung, selects it and proves it with a tiny matrix product, all within `timeoutMs`. */
async function attemptRung(rung: Rung, forced: boolean, timeoutMs: number): Promise<BackendAttempt> {
  // A rung that outlives its time must not select its backend after the ladder has moved on.
  let abandoned = false;
  const attempt = async (): Promise<BackendAttempt> => {
    const prepared = await rung.prepare({ forced });
    await createBackend(prepared.tfBackend);
    if (abandoned) return { name: rung.name, status: 'failed', reason: 'abandoned' };
    if (!(await tf.setBackend(prepared.tfBackend))) {
      throw new Error(`TF.js could not select its "${prepared.tfBackend}" backend`);
    }
    await proveBackend();
    return { name: rung.name, status: 'chosen', reason: prepared.detail };
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abandoned = true;
      reject(new Error(`did not become ready within ${timeoutMs / 1000} s`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([attempt(), deadline]);
  } catch (error) {
    const status = error instanceof BackendUnavailable ? 'skipped' : 'failed';
    return { name: rung.name, status, reason: firstLine(error) };
  } finally {
    clearTimeout(timer);
  }
}

const PROOF_EXPECTED = [17, 39];

async function proveBackend(): Promise<void> {
  const product = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]])));
  const values = Array.from(await product.data());
  product.dispose();
  if (values.join() !== PROOF_EXPECTED.join()) {
    throw new Error(`a 2×2 matrix product gave [${values.join(', ')}] instead of [${PROOF_EXPECTED.join(', ')}]`);
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
