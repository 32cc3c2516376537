import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { GradingFingerprint } from '../model/results';
import type { Notebook } from '../notebook/types';
import type { SandboxLimits } from '../sandbox/limits';

/** The BullMQ queue every coordinator and worker of a Redis database shares (keys `convlab:grading:*`). */
export const QUEUE_NAME = 'grading';
export const QUEUE_PREFIX = 'convlab';

/** What travels to a worker: the notebook as sanitized (repaired) by the coordinator, and the setup to grade it under. */
export interface GradingJobData {
  readonly assignment: string;
  /** for the worker's log only */
  readonly student: string;
  /** the submitted file's hash: the worker signs its outcome for it */
  readonly contentHash: string;
  readonly notebook: Notebook;
  readonly limits: SandboxLimits;
  /** the coordinator's: a worker whose own course gives another one refuses the job */
  readonly fingerprint: GradingFingerprint;
}

/** What a worker returns for a job (BullMQ's return value); outcome.ts signs and checks it. */
export interface SignedOutcome {
  /** the outcome, as JSON text: the signature covers these exact characters */
  readonly body: string;
  /** HMAC-SHA256, hex */
  readonly mac: string;
}

/** What comes back: what the sandbox child reported, signed for this job; the coordinator checks it, then scores it. */
export type GradingJobResult = SignedOutcome;

/** The start of a refused job's failure reason: the coordinator stops the run on it instead of recording an error. */
export const REFUSED = 'refused: ';

/** Times a job may be re-delivered after its worker vanished, before it fails as `error` (a notebook that kills machines). */
export const MAX_REDELIVERIES = 2;

/** How long Redis keeps a finished job nobody collected (a coordinator that died): a week, then it is dropped. */
const KEEP_FINISHED_S = 7 * 24 * 3600;

/**
 * A job that throws in the worker (not the submission: that is a graded outcome) gets one more try; one whose worker
 * vanishes is re-delivered by BullMQ's stalled-job check, a bounded number of times (the worker's `maxStalledCount`).
 */
export const JOB_OPTIONS: JobsOptions = {
  attempts: 2,
  removeOnComplete: { age: KEEP_FINISHED_S },
  removeOnFail: { age: KEEP_FINISHED_S },
};

/**
 * The job's id: the same learner's same bytes under the same grading setup are one job, so a coordinator run again
 * finds the job it (or its predecessor) queued instead of grading the submission twice. Hashed: student ids are
 * arbitrary text, and BullMQ ids may not contain ':'.
 */
export function gradingJobId(assignment: string, student: string, contentHash: string, fingerprint: string): string {
  return createHash('sha256').update(JSON.stringify([assignment, student, contentHash, fingerprint])).digest('hex');
}
