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
  /** the instructor's hint from the hidden test's title, attached for feedback only (not stored) */
  readonly hint?: string;
}

/** Lateness of a submission under the course's late policy; absent when the assignment has no due date. */
export interface Lateness {
  /** ISO, after extensions */
  readonly dueAt: string;
  /** 0 when on time (after grace), whole or fractional days as the policy counts */
  readonly daysLate: number;
  /** 0..100 of the raw score */
  readonly penaltyPercent: number;
  /** the LMS's own late flag, when the submission came from an LMS archive */
  readonly lmsLate?: boolean;
}

/** The parts of a grading fingerprint (fingerprint.ts computes them): what decides a score besides the notebook. */
export interface FingerprintParts {
  /** every hidden spec file and every --tests file, by name and content, in loading order */
  readonly tests: string;
  /** the released notebook's nbgrader cells: which exist, and the source and tags of the locked ones */
  readonly release: string;
  /** per-submission, per-cell and per-test timeouts and the memory cap */
  readonly limits: string;
  /** convlab's version (package.json) */
  readonly version: string;
  /** what the child runs besides notebook and specs: the built kit and sandbox, the locked packages, Node's major */
  readonly toolchain: string;
}

/** A hash of the grading setup (a stored result is reused only under the same one), and its parts. */
export interface GradingFingerprint {
  readonly id: string;
  readonly parts: FingerprintParts;
}

/**
 * Why a submission the gradebook already held was graded again: the parts of the grading setup that changed, or an
 * earlier grading that failed for a reason outside the submission.
 */
export type RegradeReason = 'hidden tests changed' | 'released notebook changed' | 'limits changed' | 'convlab version changed' | 'kit build, packages or Node changed'
  | 'grading setup not recorded' | 'forced' | `earlier attempt failed outside the submission (attempt ${number} of ${number})`;

/**
 * Gradings in all of a submission whose grading keeps failing outside it (its process killed from outside): as many
 * as the queue's deliveries of a job whose worker keeps vanishing (queue/job.ts).
 */
export const MAX_OUTSIDE_ATTEMPTS = 3;

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
  /** true when the gradebook already held this exact submission under this grading setup and it was not graded again */
  readonly unchanged: boolean;
  /** set when these exact bytes had been graded before under another setup (or --force): why they were graded again */
  readonly regraded?: readonly RegradeReason[];
  /**
   * set when the submission did not cause this result (its process killed from outside): how many gradings in a row
   * of these bytes under this setup failed so, this one included
   */
  readonly outsideFailures?: number;
}

/**
 * Why a stored result is graded again although nothing changed: it failed outside the submission and attempts are
 * left; undefined when it stands.
 */
export function retryReason(stored: SubmissionResult): RegradeReason | undefined {
  const failures = stored.outsideFailures ?? 0;
  return failures > 0 && failures < MAX_OUTSIDE_ATTEMPTS
    ? `earlier attempt failed outside the submission (attempt ${failures + 1} of ${MAX_OUTSIDE_ATTEMPTS})` : undefined;
}

export const scoreOf = (result: { readonly tests: readonly TestResult[] }): number =>
  round(result.tests.reduce((sum, test) => sum + test.score, 0));
export const maxScoreOf = (result: { readonly tests: readonly TestResult[] }): number =>
  round(result.tests.reduce((sum, test) => sum + test.maxScore, 0));

/** Points deducted for lateness (0 when on time or without a due date). */
export const penaltyOf = (result: { readonly tests: readonly TestResult[]; readonly lateness?: Lateness }): number =>
  round((scoreOf(result) * (result.lateness?.penaltyPercent ?? 0)) / 100);
/** The score that counts: raw points minus the late penalty. */
export const finalScoreOf = (result: { readonly tests: readonly TestResult[]; readonly lateness?: Lateness }): number =>
  round(scoreOf(result) - penaltyOf(result));

/** How many submissions were regraded for each set of reasons, e.g. { 'hidden tests changed': 12 }. */
export function regradeCounts(results: readonly SubmissionResult[]): ReadonlyMap<string, number> {
  const counts = new Map<string, number>();
  for (const { regraded } of results) {
    if (regraded === undefined || regraded.length === 0) continue;
    const key = regraded.join(', ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

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
  /** the grading setup this run graded under (what a stored result must match to be reused) */
  readonly fingerprint: GradingFingerprint;
  readonly results: readonly SubmissionResult[];
}
