/**
 * The report model: readonly records with every computed value the views show (scores, medians, pass rates,
 * progress, learners at risk), built from a gradebook snapshot and an optional roster. Pure: no I/O, no HTML.
 */
import type { CurrentAttempt, CurrentTest, GradebookSnapshot } from '../gradebook/queries';
import type { SubmissionStatus, TestStatus } from '../model/results';
import { summarizeExercises, summarizeTests, type ExerciseSummary, type TestSummary } from './item-analysis';
import type { RosterEntry } from './roster';
import type { SimilarityReport } from '../similarity/report';

export type { ExerciseSummary, TestSummary };

/** A learner × assignment cell: scored (any graded, error or timeout attempt), submitted but invalid, or missing. */
export type CellState = 'scored' | 'invalid' | 'missing';

export interface FailedTest {
  readonly name: string;
  readonly status: Exclude<TestStatus, 'passed'>;
  readonly feedback: string | null;
}

export interface ScoreCell {
  readonly assignment: string;
  readonly state: CellState;
  readonly status: SubmissionStatus | null;
  /** Points that count (after any late penalty) of the current attempt; 0 when invalid, null when missing. */
  readonly score: number | null;
  /** Points of the tests before the late penalty; null when missing. */
  readonly rawScore: number | null;
  /** Points deducted for lateness (0 when on time or without a due date). */
  readonly penalty: number;
  /** Days late as the late policy counts them; null without a due date. */
  readonly lateDays: number | null;
  /** The assignment's maximum, so a missing cell still says what was at stake. */
  readonly maxScore: number;
  readonly fraction: number | null;
  readonly attempts: number;
  readonly submittedAt: string | null;
  readonly error: string | null;
  readonly failedTests: readonly FailedTest[];
}

export interface LearnerReport {
  readonly id: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly inRoster: boolean;
  /** A fragment id safe to put in HTML, independent of the (untrusted) learner id. */
  readonly anchor: string;
  /** One cell per assignment, in the report's assignment order. */
  readonly cells: readonly ScoreCell[];
  readonly total: number;
  readonly totalMax: number;
  /** Total over total maximum, missing work counting 0; null when there is nothing to score. */
  readonly average: number | null;
  readonly submitted: number;
}

export interface AssignmentSummary {
  readonly name: string;
  readonly maxScore: number;
  /** Learners with a current attempt, invalid ones included. */
  readonly submitted: number;
  readonly invalid: number;
  readonly missing: number;
  /** Learners with a valid current attempt over the cohort size. */
  readonly completionRate: number;
  /** How many submitted scores (invalid counting 0) fall in each tenth: [0, 10%), …, [90%, 100%]. */
  readonly histogram: readonly number[];
  readonly median: number | null;
  readonly mean: number | null;
}

/** Cumulative share of the cohort that has submitted an assignment by the end of a UTC day. */
export interface ProgressPoint {
  readonly assignment: string;
  readonly day: string;
  readonly submitted: number;
  readonly rate: number;
}

export interface AtRiskLearner {
  readonly learner: LearnerReport;
  readonly reasons: readonly string[];
}

export interface RosterCheck {
  readonly given: boolean;
  /** Learners with submissions but no roster line. */
  readonly notInRoster: readonly string[];
  /** Roster learners without any submission (in the reported period). */
  readonly withoutSubmissions: readonly string[];
}

export interface AtRiskPolicy {
  /** A learner whose average is below this fraction is at risk. */
  readonly belowAverage: number;
  /** A learner without a valid submission for any of this many latest assignments is at risk. */
  readonly latestAssignments: number;
}

export interface CohortReport {
  readonly generatedAt: string;
  readonly since: string | null;
  readonly policy: AtRiskPolicy;
  readonly assignments: readonly AssignmentSummary[];
  readonly learners: readonly LearnerReport[];
  /** Hardest first, each with its discrimination and flags. */
  readonly tests: readonly TestSummary[];
  /** One per assignment × exercise, in course order. */
  readonly exercises: readonly ExerciseSummary[];
  readonly progress: readonly ProgressPoint[];
  /** Lowest average first. */
  readonly atRisk: readonly AtRiskLearner[];
  readonly roster: RosterCheck;
  /** Per assignment, pairs of exercise cells much alike (a signal for a person); empty for older gradebooks. */
  readonly similarity: readonly SimilarityReport[];
}

export interface ModelInput {
  readonly snapshot: GradebookSnapshot;
  readonly roster: readonly RosterEntry[] | null;
  readonly since: string | null;
  readonly generatedAt: string;
  readonly policy: AtRiskPolicy;
  readonly similarity?: readonly SimilarityReport[];
}

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

export function buildCohortReport(input: ModelInput): CohortReport {
  const { snapshot, roster, policy } = input;
  const assignmentNames = [...new Set(snapshot.attempts.map((attempt) => attempt.assignment))].sort(naturalOrder);
  const maxScores = new Map(assignmentNames.map((name) => [name, assignmentMaxScore(snapshot.attempts, name)]));
  const testsBySubmission = groupBy(snapshot.tests, (test) => test.submissionId);
  const attemptsByLearner = groupBy(snapshot.attempts, (attempt) => attempt.student);
  const rosterById = new Map((roster ?? []).map((entry) => [entry.id, entry]));
  const learnerIds = [...new Set([...rosterById.keys(), ...attemptsByLearner.keys()])].sort(naturalOrder);

  const learners = learnerIds.map((id, index): LearnerReport => {
    const entry = rosterById.get(id);
    const current = new Map((attemptsByLearner.get(id) ?? []).map((attempt) => [attempt.assignment, attempt]));
    const cells = assignmentNames.map((name) =>
      scoreCell(name, maxScores.get(name)!, current.get(name), testsBySubmission),
    );
    const total = sum(cells.map((cell) => cell.score ?? 0));
    const totalMax = sum(cells.map((cell) => cell.maxScore));
    return {
      id,
      name: entry?.name ?? null,
      email: entry?.email ?? null,
      inRoster: entry !== undefined,
      anchor: `learner-${index + 1}`,
      cells,
      total,
      totalMax,
      average: totalMax > 0 ? total / totalMax : null,
      submitted: cells.filter((cell) => cell.state !== 'missing').length,
    };
  });

  const tests = summarizeTests(snapshot.attempts, snapshot.tests);
  return {
    generatedAt: input.generatedAt,
    since: input.since,
    policy,
    assignments: assignmentNames.map((name, column) =>
      summarizeAssignment(name, maxScores.get(name)!, learners, column),
    ),
    learners,
    tests,
    exercises: summarizeExercises(tests),
    progress: cumulativeProgress(snapshot.attempts, learners.length),
    atRisk: findLearnersAtRisk(learners, assignmentNames, policy),
    roster: {
      given: roster !== null,
      notInRoster: roster === null ? [] : learnerIds.filter((id) => !rosterById.has(id)),
      withoutSubmissions: learnerIds.filter((id) => rosterById.has(id) && !attemptsByLearner.has(id)),
    },
    similarity: input.similarity ?? [],
  };
}

// Invalid attempts record no meaningful maximum, so the assignment's maximum comes from scored attempts when any.
function assignmentMaxScore(attempts: readonly CurrentAttempt[], assignment: string): number {
  const ofAssignment = attempts.filter((attempt) => attempt.assignment === assignment);
  const scored = ofAssignment.filter((attempt) => attempt.status !== 'invalid');
  return Math.max(0, ...(scored.length > 0 ? scored : ofAssignment).map((attempt) => attempt.maxScore));
}

function scoreCell(
  assignment: string,
  maxScore: number,
  attempt: CurrentAttempt | undefined,
  testsBySubmission: ReadonlyMap<number, readonly CurrentTest[]>,
): ScoreCell {
  if (attempt === undefined) {
    return {
      assignment,
      state: 'missing',
      status: null,
      score: null,
      rawScore: null,
      penalty: 0,
      lateDays: null,
      maxScore,
      fraction: null,
      attempts: 0,
      submittedAt: null,
      error: null,
      failedTests: [],
    };
  }
  const invalid = attempt.status === 'invalid';
  const score = invalid ? 0 : attempt.score;
  // An invalid submission never ran, so its tests say nothing the error does not.
  const failedTests = (invalid ? [] : (testsBySubmission.get(attempt.submissionId) ?? []))
    .filter((test): test is CurrentTest & { status: FailedTest['status'] } => test.status !== 'passed')
    .map((test) => ({ name: test.name, status: test.status, feedback: test.feedback }));
  return {
    assignment,
    state: invalid ? 'invalid' : 'scored',
    status: attempt.status,
    score,
    rawScore: invalid ? 0 : attempt.rawScore,
    penalty: invalid ? 0 : attempt.penalty,
    lateDays: attempt.lateDays,
    maxScore,
    fraction: maxScore > 0 ? score / maxScore : 0,
    attempts: attempt.attempts,
    submittedAt: attempt.submittedAt,
    error: attempt.error,
    failedTests,
  };
}

function summarizeAssignment(
  name: string,
  maxScore: number,
  learners: readonly LearnerReport[],
  column: number,
): AssignmentSummary {
  const cells = learners.map((learner) => learner.cells[column]!);
  const submittedCells = cells.filter((cell) => cell.state !== 'missing');
  const invalid = submittedCells.filter((cell) => cell.state === 'invalid').length;
  const fractions = submittedCells.map((cell) => cell.fraction ?? 0).sort((a, b) => a - b);
  return {
    name,
    maxScore,
    submitted: submittedCells.length,
    invalid,
    missing: cells.length - submittedCells.length,
    completionRate: cells.length > 0 ? (submittedCells.length - invalid) / cells.length : 0,
    histogram: histogram(fractions),
    median: median(fractions),
    mean: fractions.length > 0 ? sum(fractions) / fractions.length : null,
  };
}

function cumulativeProgress(attempts: readonly CurrentAttempt[], cohortSize: number): ProgressPoint[] {
  const points: ProgressPoint[] = [];
  const byAssignment = groupBy(attempts, (attempt) => attempt.assignment);
  for (const [assignment, ofAssignment] of [...byAssignment].sort(([a], [b]) => naturalOrder(a, b))) {
    const perDay = new Map<string, number>();
    for (const attempt of ofAssignment) {
      const day = utcDay(attempt.firstSubmittedAt);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    let submitted = 0;
    for (const [day, count] of [...perDay].sort(([a], [b]) => a.localeCompare(b))) {
      submitted += count;
      points.push({ assignment, day, submitted, rate: cohortSize > 0 ? submitted / cohortSize : 0 });
    }
  }
  return points;
}

function findLearnersAtRisk(
  learners: readonly LearnerReport[],
  assignments: readonly string[],
  policy: AtRiskPolicy,
): AtRiskLearner[] {
  const latestFrom = Math.max(0, assignments.length - policy.latestAssignments);
  const atRisk: AtRiskLearner[] = [];
  for (const learner of learners) {
    const reasons: string[] = [];
    if (learner.average !== null && learner.average < policy.belowAverage) {
      reasons.push(`average ${formatPercent(learner.average)} is below ${formatPercent(policy.belowAverage)}`);
    }
    const notDone = learner.cells.slice(latestFrom).filter((cell) => cell.state !== 'scored');
    if (notDone.length > 0)
      reasons.push(`no valid submission for ${notDone.map((cell) => cell.assignment).join(', ')}`);
    if (reasons.length > 0) atRisk.push({ learner, reasons });
  }
  return atRisk.sort(
    (a, b) => (a.learner.average ?? 0) - (b.learner.average ?? 0) || naturalOrder(a.learner.id, b.learner.id),
  );
}

/** A fraction as a whole percentage, the precision every view uses. */
export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** Points with at most two decimals and no trailing zeros (7, 7.5, 7.25). */
export function formatPoints(points: number): string {
  return String(Math.round(points * 100) / 100);
}

function utcDay(timestamp: string): string {
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? timestamp.slice(0, 10) : new Date(time).toISOString().slice(0, 10);
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Width of a histogram bin as a fraction of the maximum score. */
export const HISTOGRAM_BIN = 0.1;

function histogram(fractions: readonly number[]): number[] {
  const bins = Math.round(1 / HISTOGRAM_BIN);
  const counts = new Array<number>(bins).fill(0);
  // A full score belongs to the last bin, [90%, 100%]; the epsilon keeps 7/10 in the 70% bin despite rounding.
  for (const fraction of fractions) counts[Math.min(bins - 1, Math.floor(fraction * bins + 1e-9))]! += 1;
  return counts;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}
