/** The backends convlab knows, fastest first: the order the ladder tries them in. */
export const BACKEND_NAMES = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;

export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * What happened to one rung. `available` appears only in `probeBackends`: the backend works, but a faster one was
 * chosen.
 */
export type AttemptStatus = 'chosen' | 'available' | 'skipped' | 'failed' | 'not tried';

export interface BackendAttempt {
  readonly name: BackendName;
  readonly status: AttemptStatus;
  readonly reason: string;
}

export interface BackendChoice {
  readonly name: BackendName;
  readonly attempts: readonly BackendAttempt[];
}

/** What a rung hands the ladder once its backend is ready to select. */
export interface PreparedBackend {
  /** The name TF.js registered the backend under (both tfjs-node packages register "tensorflow"). */
  readonly tfBackend: string;
  /** One line for the table: what runs, e.g. "XNNPACK SIMD, 1 thread". */
  readonly detail: string;
}

export interface PrepareContext {
  /** The user forced this backend: accept what the ladder would pass over (a software GPU). */
  readonly forced: boolean;
}

/** One step of the ladder: loads its package and registers its TF.js backend, or says why it cannot. */
export interface Rung {
  readonly name: BackendName;
  prepare(context: PrepareContext): Promise<PreparedBackend>;
}

/** Thrown by a rung whose backend cannot exist here (package absent, native addons disabled): a skip, not a failure. */
export class BackendUnavailable extends Error {
  override readonly name = 'BackendUnavailable';
}
