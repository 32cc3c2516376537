import { toFeedbackText } from './feedback';
import { finalScoreOf, type SubmissionResult } from './results';

/** Who sees a test on Gradescope, and when (its documented `visibility` values). */
export type Visibility = 'hidden' | 'after_due_date' | 'after_published' | 'visible';
export const VISIBILITIES: readonly Visibility[] = ['hidden', 'after_due_date', 'after_published', 'visible'];

/** A public self-check cell of the executed notebook, as `convlab check` reports it. */
export interface SelfCheck {
  readonly gradeId: string;
  readonly passed: boolean;
  /** what the cell printed: the learner's own output, safe to show */
  readonly output: string;
}

/** Visibility of the hidden tests (by default and per test name) and of the self-checks. */
export interface VisibilitySettings {
  readonly hiddenTests: Visibility;
  readonly selfChecks: Visibility;
  readonly tests: Readonly<Record<string, Visibility>>;
}

export const DEFAULT_VISIBILITY: VisibilitySettings = { hiddenTests: 'after_published', selfChecks: 'visible', tests: {} };

interface GradescopeTest {
  readonly name: string;
  readonly score: number;
  readonly max_score: number;
  readonly status: 'passed' | 'failed';
  readonly output: string;
  readonly visibility?: Visibility;
}

/** What Gradescope reads from `/autograder/results/results.json` (its documented fields; the total is the assignment's). */
export interface GradescopeResults {
  readonly score: number;
  readonly execution_time?: number;
  readonly output?: string;
  readonly visibility?: Visibility;
  readonly tests: readonly GradescopeTest[];
  /** for the instructor: the grading setup the score was given under (its fingerprint's id) */
  readonly extra_data?: { readonly fingerprint: string };
}

/**
 * Gradescope's autograder `results.json` for one submission. The score is the final one (after the late penalty);
 * self-checks are listed as 0-point tests so that learners see what the notebook's own checks said.
 */
export function toGradescopeResults(result: SubmissionResult, selfChecks: readonly SelfCheck[], visibility: VisibilitySettings,
  fingerprint: string): GradescopeResults {
  // The top-level output is the learner's whole feedback, as in the Markdown and HTML files.
  const output = toFeedbackText(result);
  const visibilityOf = (name: string, otherwise: Visibility): { visibility: Visibility } => ({ visibility: visibility.tests[name] ?? otherwise });
  return {
    score: finalScoreOf(result),
    execution_time: Math.round(result.durationMs / 1000),
    output,
    tests: [
      ...result.tests.map((test) => ({
        name: test.name,
        score: test.score,
        max_score: test.maxScore,
        status: test.status === 'passed' ? 'passed' as const : 'failed' as const,
        output: test.feedback,
        ...visibilityOf(test.name, visibility.hiddenTests),
      })),
      ...selfChecks.map((check) => ({
        name: `Self-check ${check.gradeId}`,
        score: 0,
        max_score: 0,
        status: check.passed ? 'passed' as const : 'failed' as const,
        output: check.output.trimEnd(),
        ...visibilityOf(`Self-check ${check.gradeId}`, visibility.selfChecks),
      })),
    ],
    extra_data: { fingerprint },
  };
}

/**
 * The results.json written when no grade came out: one failed test, shown at once, with a plain message ("Autograder
 * failed" when grading itself broke; `name` says otherwise, e.g. when the learner uploaded the wrong file).
 */
export function notGraded(message: string, name = 'Autograder failed'): GradescopeResults {
  return {
    score: 0,
    output: message,
    visibility: 'visible',
    tests: [{ name, score: 0, max_score: 0, status: 'failed', output: message, visibility: 'visible' }],
  };
}
