import type { ListedTest } from '../sandbox/specs';
import type { TestStatus } from '../sandbox/protocol';

export type { TestStatus };
export type SubmissionStatus = 'graded' | 'error' | 'timeout' | 'invalid';

export interface TestResult {
  /** describe titles + it title joined with " › ", without the points suffix */
  readonly name: string;
  readonly status: TestStatus;
  readonly score: number;
  readonly maxScore: number;
  /** full message, for instructors (may quote expected values) */
  readonly message?: string;
  /** what the learner may read: never hidden inputs or expected values */
  readonly feedback: string;
}

export interface SubmissionResult {
  /** where it was read from: a path, or `archive.zip:entry` */
  readonly submission: string;
  readonly student: string;
  readonly assignment: string;
  readonly status: SubmissionStatus;
  readonly error?: string;
  readonly tests: readonly TestResult[];
  /** locked cells whose source was restored from the release, by grade_id */
  readonly restoredCells: readonly string[];
  /** released cells the learner had deleted, re-inserted at their place before grading, by grade_id */
  readonly reinsertedCells?: readonly string[];
  /** other repairs made before grading, in words for the learner */
  readonly repairs?: readonly string[];
  /** how late it was handed in, when the course file gives the assignment a due date */
  readonly lateness?: Lateness;
  readonly contentHash: string;
  readonly submittedAt: string;
  readonly gradedAt: string;
  readonly durationMs: number;
  /** true when the gradebook already held this exact submission and it was not graded again */
  readonly unchanged: boolean;
}

/** Lateness against the due date (after extensions and grace) and the penalty the late rule gives it. */
export interface Lateness {
  readonly dueAt: string;          // ISO, after extensions
  readonly daysLate: number;       // 0 when on time (after grace)
  readonly penaltyPercent: number; // 0..100 of the raw score
  readonly lmsLate?: boolean;
}

export const scoreOf = (result: { readonly tests: readonly TestResult[] }): number =>
  round(result.tests.reduce((sum, test) => sum + test.score, 0));
export const maxScoreOf = (result: { readonly tests: readonly TestResult[] }): number =>
  round(result.tests.reduce((sum, test) => sum + test.maxScore, 0));

/** Points taken off for lateness: a share of the raw score. */
export const penaltyOf = (result: SubmissionResult): number =>
  round((scoreOf(result) * (result.lateness?.penaltyPercent ?? 0)) / 100);
export const finalScoreOf = (result: SubmissionResult): number => round(scoreOf(result) - penaltyOf(result));

/** Points are sums of small decimals ([0.5 pts]); keep totals free of floating-point dust. */
const round = (value: number): number => Math.round(value * 1000) / 1000;

export const FEEDBACK_FOR_STATUS: Readonly<Record<TestStatus, string>> = {
  passed: 'Passed.',
  failed: 'Failed: your result is not what this test expects.',
  error: 'Error: the test could not check your code.',
  timeout: 'Timed out: your code took too long for this test.',
};

/** Every listed test as not run, e.g. for a submission that never executed. */
export function testsNotRun(listed: readonly ListedTest[], status: TestStatus, reason: string): TestResult[] {
  return listed.map((test) => ({
    name: test.name, status, score: 0, maxScore: test.points, message: reason, feedback: `Not run: ${reason}`,
  }));
}

/** The whole run: one assignment, every submission's result. */
export interface GradingReport {
  readonly assignment: string;
  readonly maxScore: number;
  readonly results: readonly SubmissionResult[];
}
