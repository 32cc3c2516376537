/**
 * Outcomes crossing the queue, signed: a worker returns the sandbox child's outcome as JSON text with an HMAC under
 * $CONVLAB_QUEUE_KEY over that text and the job it answers (id, grading fingerprint, notebook content hash, and a
 * digest of the job data as sent: notebook, limits). Redis holds only the text and the signature, so anyone who can
 * write to Redis but lacks the key can neither forge an outcome nor move a genuine one onto another job.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import Ajv, { type JSONSchemaType, type ValidateFunction } from 'ajv';
import type { CellReport, TestReport } from '../sandbox/protocol';
import type { SandboxOutcome } from '../sandbox/session';
import type { GradingJobData, SignedOutcome } from './job';

/** The job an outcome answers, as the coordinator queued it (the worker reads the same values from the job). */
export interface OutcomeBinding {
  readonly jobId: string;
  readonly fingerprint: string;
  readonly contentHash: string;
  /** SHA-256 of the job data's JSON: a notebook or limits rewritten in Redis give another digest */
  readonly jobDigest: string;
}

/** What the coordinator expects of an outcome for one job. */
export interface ExpectedOutcome {
  readonly binding: OutcomeBinding;
  /** the assignment's hidden tests: reported positions are below this */
  readonly tests: number;
  /** the notebook's cells: reported cell indices are below this */
  readonly cells: number;
}

/** Why an outcome was not accepted, in words for the submission's result. */
export class RefusedOutcome extends Error {}

const VERSION = 'convlab queue outcome 1';
/** Far above what a child reports (a report line is at most 16 MiB, rich displays 4 MiB a cell); a bound on what the coordinator parses. */
const MAX_BODY_CHARS = 256 * 1024 * 1024;
const MAX_TEXT_CHARS = 16 * 1024 * 1024;
const MAC = /^[0-9a-f]{64}$/;

export function outcomeBinding(jobId: string, data: GradingJobData): OutcomeBinding {
  return {
    jobId, fingerprint: data.fingerprint.id, contentHash: data.contentHash,
    jobDigest: createHash('sha256').update(JSON.stringify(data)).digest('hex'),
  };
}

function macOf(key: string, binding: OutcomeBinding, body: string): Buffer {
  const signed = JSON.stringify([VERSION, binding.jobId, binding.fingerprint, binding.contentHash, binding.jobDigest, body]);
  return createHmac('sha256', key).update(signed).digest();
}

export function signOutcome(key: string, binding: OutcomeBinding, outcome: SandboxOutcome): SignedOutcome {
  const body = JSON.stringify(outcome);
  return { body, mac: macOf(key, binding, body).toString('hex') };
}

/** An optional field: absent or of its type. (`nullable` is how Ajv's typed schemas spell optional; null itself is refused.) */
const optional = <S extends object>(schema: S) => ({ ...schema, nullable: true, not: { type: 'null' } }) as const;
const text = { type: 'string', maxLength: MAX_TEXT_CHARS } as const;
const count = { type: 'integer', minimum: 0 } as const;

const CELL: JSONSchemaType<CellReport> = {
  type: 'object', additionalProperties: false, required: ['index', 'status', 'output', 'displays'],
  properties: {
    index: count,
    status: { type: 'string', enum: ['ok', 'failed', 'skipped', 'timeout'] },
    error: optional(text),
    output: text,
    displays: { type: 'array', items: { type: 'object', required: [] } },
  },
};

const TEST: JSONSchemaType<TestReport> = {
  type: 'object', additionalProperties: false, required: ['position', 'status'],
  properties: {
    position: count,
    status: { type: 'string', enum: ['passed', 'failed', 'error', 'timeout'] },
    message: optional(text),
    fromSubmission: optional({ type: 'boolean' }),
  },
};

/** The outcome's shape, checked against the type the coordinator scores (a field added there must be added here). */
const OUTCOME: JSONSchemaType<SandboxOutcome> = {
  type: 'object', additionalProperties: false, required: ['cells', 'tests', 'executed', 'outputTail', 'forgedLines', 'durationMs'],
  properties: {
    cells: { type: 'array', items: CELL },
    tests: { type: 'array', items: TEST },
    executed: { type: 'boolean' },
    termination: optional({ type: 'string', enum: ['timeout', 'cell-timeout', 'memory', 'crash', 'fatal'] }),
    runningCell: optional(count),
    exitCode: optional({ type: 'integer' }),
    signal: optional({ type: 'string', maxLength: 64 }),
    fatal: optional(text),
    outputTail: text,
    forgedLines: count,
    durationMs: { type: 'number', minimum: 0 },
  },
};

let compiled: ValidateFunction<SandboxOutcome> | undefined;
const outcomeValidator = (): ValidateFunction<SandboxOutcome> => (compiled ??= new Ajv({ allErrors: false }).compile(OUTCOME));

/**
 * The outcome in a job's return value, once its signature and shape check out; otherwise a RefusedOutcome saying
 * which check failed. The signature is checked before the body is parsed.
 */
export function openOutcome(key: string, expected: ExpectedOutcome, value: unknown): SandboxOutcome {
  const { body, mac } = (value ?? {}) as Partial<Record<keyof SignedOutcome, unknown>>;
  if (typeof body !== 'string' || typeof mac !== 'string' || !MAC.test(mac)) {
    throw new RefusedOutcome('it is not signed (a worker without CONVLAB_QUEUE_KEY, or a value written into Redis)');
  }
  if (body.length > MAX_BODY_CHARS) throw new RefusedOutcome(`it is larger than ${MAX_BODY_CHARS} characters`);
  if (!timingSafeEqual(Buffer.from(mac, 'hex'), macOf(key, expected.binding, body))) {
    throw new RefusedOutcome('its signature does not match this job (another key, or an outcome for another job or notebook)');
  }
  let outcome: unknown;
  try {
    outcome = JSON.parse(body);
  } catch {
    throw new RefusedOutcome('it is signed but not JSON');
  }
  const validate = outcomeValidator();
  if (!validate(outcome)) {
    const [problem] = validate.errors ?? [];
    throw new RefusedOutcome(`it is signed but not an outcome: ${problem?.instancePath || 'the outcome'} ${problem?.message ?? 'is invalid'}`);
  }
  checkPositions('test position', outcome.tests.map((test) => test.position), expected.tests);
  checkPositions('cell index', outcome.cells.map((cell) => cell.index), expected.cells);
  if (outcome.runningCell !== undefined) checkPositions('running cell', [outcome.runningCell], expected.cells);
  return outcome;
}

/** Each position once, and within the job's tests (or cells). */
function checkPositions(what: string, positions: readonly number[], size: number): void {
  const seen = new Set<number>();
  for (const position of positions) {
    if (position >= size) throw new RefusedOutcome(`it is signed but reports ${what} ${position} of a job with ${size}`);
    if (seen.has(position)) throw new RefusedOutcome(`it is signed but reports ${what} ${position} twice`);
    seen.add(position);
  }
}
