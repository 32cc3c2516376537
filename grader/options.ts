import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from './errors';
import { PROJECT_ROOT } from './paths';
import type { SandboxLimits } from './sandbox/limits';
import { queueAccess, type QueueAccess, type RawQueueOptions } from './queue/access';

/** Options of `convlab grade`, normalized: every field set, every value checked. */
export interface GradeOptions {
  readonly paths: readonly string[];
  /** the one assignment to grade; undefined grades every assignment found */
  readonly assignment?: string;
  /** course root holding solutions/, notebooks/ and grader/tests/ */
  readonly root: string;
  readonly tests: readonly string[];
  readonly jobs: number;
  /** per submission, seconds */
  readonly timeout: number;
  /** per cell, seconds */
  readonly cellTimeout: number;
  /** per test, seconds */
  readonly testTimeout: number;
  /** heap cap of each sandbox child, MiB */
  readonly memory: number;
  readonly db: string;
  readonly json: boolean;
  readonly gradescope?: string;
  readonly feedback?: string;
  readonly force: boolean;
  /** grade on the workers of this queue (URL and signing key) instead of in local children */
  readonly queue?: QueueAccess;
}

export const GRADE_DEFAULTS = {
  root: PROJECT_ROOT,
  tests: [] as readonly string[],
  jobs: availableParallelism(),
  timeout: 300,
  cellTimeout: 120,
  testTimeout: 10,
  memory: 3072,
  db: '.convlab/gradebook.sqlite',
  json: false,
  force: false,
} as const;

function positiveNumber(option: string, value: string | number, integer: boolean): number {
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw new UsageError(`--${option} must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`);
  }
  return number;
}

const ASSIGNMENT = /^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The --assignment value checked, or undefined when none was given (grade every assignment found). */
export function validateAssignmentName(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!ASSIGNMENT.test(value)) throw new UsageError(`--assignment must look like "NN-name" (e.g. 01-conv-arithmetic), got "${value}"`);
  return value;
}

/** Raw values as the CLI parsed them (strings), or as a caller passes them; `queue` and `insecureQueue` as for a worker. */
export type RawGradeOptions = {
  readonly paths: readonly string[];
  readonly assignment?: string;
} & RawQueueOptions & { readonly [K in Exclude<keyof GradeOptions, 'paths' | 'assignment' | 'queue'>]?: GradeOptions[K] | string };

/** The one place the sandbox limits come from: the grade options (seconds, MiB), or the defaults. */
export function sandboxLimits(options: Pick<GradeOptions, 'timeout' | 'cellTimeout' | 'testTimeout' | 'memory'> = GRADE_DEFAULTS): SandboxLimits {
  return {
    timeoutMs: options.timeout * 1000,
    cellTimeoutMs: options.cellTimeout * 1000,
    testTimeoutMs: options.testTimeout * 1000,
    maxOldSpaceMb: options.memory,
  };
}

const optionalPath = (value: unknown): string | undefined => (value === undefined ? undefined : resolve(String(value)));

/**
 * Defaults, then one check per option; the first bad value throws a UsageError that quotes it. With `--queue`, the
 * queue's URL and key come as for a worker (`env`: $CONVLAB_QUEUE, $CONVLAB_QUEUE_KEY).
 */
export function normalizeGradeOptions(raw: RawGradeOptions, env: NodeJS.ProcessEnv = process.env): GradeOptions {
  if (raw.paths.length === 0) throw new UsageError('no submissions given: pass notebooks, folders or zip archives');
  return {
    paths: raw.paths,
    assignment: validateAssignmentName(raw.assignment),
    root: resolve(String(raw.root ?? GRADE_DEFAULTS.root)),
    tests: ((raw.tests ?? GRADE_DEFAULTS.tests) as readonly string[]).map((dir) => resolve(dir)),
    jobs: positiveNumber('jobs', raw.jobs ?? GRADE_DEFAULTS.jobs, true),
    timeout: positiveNumber('timeout', raw.timeout ?? GRADE_DEFAULTS.timeout, false),
    cellTimeout: positiveNumber('cell-timeout', raw.cellTimeout ?? GRADE_DEFAULTS.cellTimeout, false),
    testTimeout: positiveNumber('test-timeout', raw.testTimeout ?? GRADE_DEFAULTS.testTimeout, false),
    memory: positiveNumber('memory', raw.memory ?? GRADE_DEFAULTS.memory, true),
    db: resolve(String(raw.db ?? GRADE_DEFAULTS.db)),
    json: raw.json === true || raw.json === 'true',
    gradescope: optionalPath(raw.gradescope),
    feedback: optionalPath(raw.feedback),
    force: raw.force === true || raw.force === 'true',
    queue: raw.queue === undefined ? undefined : queueAccess(raw, env),
  };
}

/** Options of `convlab worker`, normalized. */
export interface WorkerOptions {
  /** the Redis URL and the key this worker signs outcomes with */
  readonly queue: QueueAccess;
  /** this machine's copy of the course: its hidden tests grade the jobs */
  readonly root: string;
  readonly tests: readonly string[];
  /** submissions graded at once */
  readonly jobs: number;
  /** seconds without a sign of life before this worker's job goes to another worker */
  readonly stallTimeout: number;
}

/** Options of `convlab worker`, as the CLI parsed them (strings). */
export interface RawWorkerOptions extends RawQueueOptions {
  readonly root?: string;
  readonly tests?: readonly string[];
  readonly jobs?: string;
  readonly stallTimeout?: string;
}

export const WORKER_DEFAULTS = {
  jobs: GRADE_DEFAULTS.jobs,
  /** BullMQ's own lock duration: a vanished worker's job goes to another worker within about twice this */
  stallTimeout: 30,
} as const;

/**
 * Defaults, then one check per option, as for grade; the queue comes from --queue or else $CONVLAB_QUEUE (a service's
 * environment keeps the password out of the process list), the signing key from $CONVLAB_QUEUE_KEY.
 */
export function normalizeWorkerOptions(raw: RawWorkerOptions, env: NodeJS.ProcessEnv = process.env): WorkerOptions {
  return {
    queue: queueAccess(raw, env),
    root: resolve(String(raw.root ?? GRADE_DEFAULTS.root)),
    tests: (raw.tests ?? GRADE_DEFAULTS.tests).map((dir) => resolve(dir)),
    jobs: positiveNumber('jobs', raw.jobs ?? WORKER_DEFAULTS.jobs, true),
    stallTimeout: positiveNumber('stall-timeout', raw.stallTimeout ?? WORKER_DEFAULTS.stallTimeout, false),
  };
}
