import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from './errors';
import { PROJECT_ROOT } from './paths';
import type { SandboxLimits } from './sandbox/session';
import { parseRedisUrl } from './queue/redis-url';
import type { WorkerOptions } from './queue/worker';

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
  /** `redis://…` or `rediss://…`: grade on the workers of this queue instead of in local children */
  readonly queue?: string;
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

/** Raw values as the CLI parsed them (strings), or as a caller passes them. */
export type RawGradeOptions = {
  readonly paths: readonly string[];
  readonly assignment?: string;
} & { readonly [K in Exclude<keyof GradeOptions, 'paths' | 'assignment'>]?: GradeOptions[K] | string };

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

/** Defaults, then one check per option; the first bad value throws a UsageError that quotes it. */
export function normalizeGradeOptions(raw: RawGradeOptions): GradeOptions {
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
    queue: raw.queue === undefined ? undefined : checkedRedisUrl(String(raw.queue)),
  };
}

/** A --queue URL after its syntax is checked (whether Redis answers there is checked when the command connects). */
function checkedRedisUrl(value: string): string {
  parseRedisUrl(value);
  return value;
}

/** Options of `convlab worker`, as the CLI parsed them (strings). */
export interface RawWorkerOptions {
  readonly queue?: string;
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

/** Where a worker finds the queue without --queue: a service's environment keeps the password out of the process list. */
export const QUEUE_ENV = 'CONVLAB_QUEUE';

/** Defaults, then one check per option, as for grade; the queue comes from --queue or else $CONVLAB_QUEUE. */
export function normalizeWorkerOptions(raw: RawWorkerOptions, env: NodeJS.ProcessEnv = process.env): WorkerOptions {
  const queue = raw.queue ?? env[QUEUE_ENV];
  if (queue === undefined || queue === '') throw new UsageError(`worker needs --queue redis://host:port (or ${QUEUE_ENV} set to it)`);
  return {
    queue: checkedRedisUrl(queue),
    root: resolve(String(raw.root ?? GRADE_DEFAULTS.root)),
    tests: (raw.tests ?? GRADE_DEFAULTS.tests).map((dir) => resolve(dir)),
    jobs: positiveNumber('jobs', raw.jobs ?? WORKER_DEFAULTS.jobs, true),
    stallTimeout: positiveNumber('stall-timeout', raw.stallTimeout ?? WORKER_DEFAULTS.stallTimeout, false),
  };
}
