/** What a sandbox child may spend on one submission. */
export interface SandboxLimits {
  /** the whole run: warm-up, cells and tests */
  readonly timeoutMs: number;
  readonly cellTimeoutMs: number;
  /** each hidden test (mocha's timeout in the child) */
  readonly testTimeoutMs: number;
  readonly maxOldSpaceMb: number;
}

/** Every limit, in the order the grading fingerprint has hashed them since the first gradebook. */
const KEY_ORDER = ['timeoutMs', 'cellTimeoutMs', 'maxOldSpaceMb', 'testTimeoutMs'] as const;
/** A limit added to SandboxLimits but not to KEY_ORDER fails to compile here: no limit can be left out of the key. */
const EVERY_LIMIT_KEYED: Exclude<keyof SandboxLimits, (typeof KEY_ORDER)[number]> extends never ? true : never = true;

/**
 * The limits as one key: what the grading fingerprint hashes (a stored result is reused only under the same limits)
 * and what a worker keeps one runner per.
 */
export function limitsKey(limits: SandboxLimits): string {
  return JSON.stringify(EVERY_LIMIT_KEYED && KEY_ORDER.map((limit) => limits[limit]));
}
