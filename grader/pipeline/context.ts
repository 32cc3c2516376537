import type { Assignment } from '../assignment';
import type { Gradebook } from '../gradebook/store';
import type { SubmissionSource } from '../inputs/collect';
import type { SubmissionResult, TestResult } from '../model/results';
import type { Notebook } from '../notebook/types';
import type { CompileService } from '../sandbox/compiler';
import type { Sandbox, SandboxLimits, SandboxOutcome } from '../sandbox/session';

/** What the stages share about the whole run. */
export interface GradingRun {
  readonly assignment: Assignment;
  readonly limits: SandboxLimits;
  /** a started (warming) sandbox child for the next submission */
  readonly takeSandbox: () => Sandbox;
  /** compiles the cells for the children; without it each child compiles its own */
  readonly compiler?: CompileService;
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
  readonly notebook?: Notebook;
  readonly restoredCells?: readonly string[];
  /** what the sandbox child reported: the cells, then the hidden tests it ran */
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
