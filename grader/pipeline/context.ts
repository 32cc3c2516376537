import type { Assignment } from '../assignment';
import type { GradingFingerprint } from '../fingerprint';
import type { Gradebook } from '../gradebook/store';
import type { SubmissionSource } from '../inputs/collect';
import type { RegradeReason, SubmissionResult, TestResult } from '../model/results';
import type { Notebook } from '../notebook/types';
import type { SandboxLimits, SandboxOutcome } from '../sandbox/session';
import type { Sandbox } from '../sandbox/session';

/** What the stages share about the whole run. */
export interface GradingRun {
  readonly assignment: Assignment;
  readonly limits: SandboxLimits;
  readonly testTimeoutMs: number;
  /** a started (warming) sandbox child for the next submission */
  readonly takeSandbox: () => Sandbox;
  /** everything besides the notebook that decides a score; a stored result is reused only under the same one */
  readonly fingerprint: GradingFingerprint;
  readonly gradebook?: Gradebook;
  readonly force: boolean;
  readonly feedbackDir?: string;
}

/** One submission on its way through the stages; each stage returns a new context with its findings added. */
export interface GradingContext {
  readonly run: GradingRun;
  readonly source: SubmissionSource;
  readonly startedAt: number;
  readonly bytes?: Buffer;
  readonly contentHash?: string;
  /** set by read when the gradebook held these bytes under another grading setup (or --force): why it regrades */
  readonly regraded?: readonly RegradeReason[];
  readonly notebook?: Notebook;
  readonly restoredCells?: readonly string[];
  /** the sandbox run, from execute until run-tests has its outcome */
  readonly execution?: Promise<SandboxOutcome>;
  readonly outcome?: SandboxOutcome;
  readonly tests?: readonly TestResult[];
  /** why the submission cannot be graded; set by a sanitize stage, it stops execution */
  readonly invalid?: string;
  /** why grading broke down after sanitizing (a grader problem, not the learner's) */
  readonly failure?: string;
  /** set by score (or by read's unchanged check): the final result */
  readonly result?: SubmissionResult;
}

export interface Stage {
  readonly name: string;
  /** sanitize stages turn any error into an invalid submission; later ones into a grading error */
  readonly sanitizes: boolean;
  readonly run: (context: GradingContext) => Promise<GradingContext>;
}
