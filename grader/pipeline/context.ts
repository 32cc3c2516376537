import type { Assignment } from '../assignment';
import type { Deadline } from '../course/deadlines';
import type { Gradebook } from '../gradebook/store';
import type { SubmissionSource } from '../inputs/collect';
import type { GradingFingerprint, RegradeReason, SubmissionResult, TestResult } from '../model/results';
import type { Notebook } from '../notebook/types';
import type { ChildRunner } from '../sandbox/child-runner';
import type { SandboxLimits } from '../sandbox/limits';
import type { SandboxOutcome } from '../sandbox/session';

/** What the stages share about the whole run. */
export interface GradingRun {
  readonly assignment: Assignment;
  readonly limits: SandboxLimits;
  /** runs a notebook and the hidden tests in a sandbox child (one warming ahead, cells compiled by the run's service) */
  readonly runner: ChildRunner;
  /** everything besides the notebook that decides a score; a stored result is reused only under the same one */
  readonly fingerprint: GradingFingerprint;
  readonly gradebook?: Gradebook;
  readonly force: boolean;
  readonly feedbackDir?: string;
  /** released notebooks of the course's other assignments: names the assignment of a notebook submitted to the wrong one */
  readonly otherReleases?: ReadonlyMap<string, Notebook>;
  /** the assignment's due date and late rule, when the course file sets one */
  readonly deadline?: Deadline;
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
  /** the nbformat version the notebook was upgraded from ("4.4"), when it was */
  readonly upgradedFrom?: string;
  /** locked cells the learner edited, put back as released (grade_ids) */
  readonly restoredCells?: readonly string[];
  /** released cells the learner deleted, put back at their place (grade_ids) */
  readonly reinsertedCells?: readonly string[];
  /** other repairs, in words a learner understands */
  readonly repairs?: readonly string[];
  /** what the sandbox child reported: the cells, then the hidden tests it ran */
  readonly outcome?: SandboxOutcome;
  readonly tests?: readonly TestResult[];
  /** why the submission cannot be graded; set by a sanitize stage, it stops execution */
  readonly invalid?: string;
  /** why grading broke down after sanitizing (a grader problem, not the learner's) */
  readonly failure?: string;
  /** set with `failure` when the submission did not cause it: the next run grades it again (see record) */
  readonly failedOutside?: boolean;
  /** set by score (or by read's unchanged check): the final result */
  readonly result?: SubmissionResult;
}

export interface Stage {
  readonly name: string;
  /** sanitize stages turn any error into an invalid submission; later ones into a grading error */
  readonly sanitizes: boolean;
  readonly run: (context: GradingContext) => Promise<GradingContext>;
}
