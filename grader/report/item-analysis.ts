/**
 * Item analysis: how each hidden test behaves across the cohort. Pass rate says how hard a test is; discrimination
 * says whether passing it goes with doing well on the rest of the assignment. A test that strong learners fail more
 * often than weak ones is most likely broken (a wrong expected value, a case the exercise never asked for).
 */
import type { CurrentAttempt, CurrentTest } from '../gradebook/queries';
import { exerciseOf } from '../model/feedback';

export type ItemFlag = 'nobody passes' | 'everybody passes' | 'negative discrimination';

export interface TestSummary {
  readonly assignment: string;
  /** the test's top-level describe (the function the exercise asks for) */
  readonly exercise: string;
  readonly name: string;
  readonly attempts: number;
  readonly passed: number;
  readonly passRate: number;
  /**
   * Point-biserial correlation between passing this test and the points from the assignment's other tests (the
   * corrected item–total correlation), −1…1; null when it cannot be told (everyone or no one passed, or no spread).
   */
  readonly discrimination: number | null;
  readonly flags: readonly ItemFlag[];
}

export interface ExerciseSummary {
  readonly assignment: string;
  readonly exercise: string;
  readonly tests: number;
  /** mean of its tests' pass rates */
  readonly passRate: number;
  readonly lowestPassRate: number;
  /** its tests that carry a flag */
  readonly flagged: number;
}

/** Below this many attempts a correlation is noise: no discrimination flag is raised. */
export const MIN_ATTEMPTS_FOR_DISCRIMINATION = 10;
/** A correlation this far below zero flags the test; chance rarely goes there at 10+ attempts. */
export const NEGATIVE_DISCRIMINATION = -0.2;

/** Population standard deviation and mean. */
function spread(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((total, value) => total + value, 0) / values.length;
  const variance = values.reduce((total, value) => total + (value - mean) ** 2, 0) / values.length;
  return { mean, sd: Math.sqrt(variance) };
}

/** r_pb = (M₁ − M₀) / s · √(p q), over pairs of (passed, rest-of-assignment points). */
export function pointBiserial(pairs: readonly { readonly passed: boolean; readonly rest: number }[]): number | null {
  const passing = pairs.filter((pair) => pair.passed).map((pair) => pair.rest);
  const failing = pairs.filter((pair) => !pair.passed).map((pair) => pair.rest);
  if (passing.length === 0 || failing.length === 0) return null;
  const { sd } = spread(pairs.map((pair) => pair.rest));
  if (sd === 0) return null;
  const p = passing.length / pairs.length;
  return ((spread(passing).mean - spread(failing).mean) / sd) * Math.sqrt(p * (1 - p));
}

function flagsOf(passed: number, attempts: number, discrimination: number | null): ItemFlag[] {
  const flags: ItemFlag[] = [];
  if (passed === 0) flags.push('nobody passes');
  if (passed === attempts) flags.push('everybody passes');
  if (discrimination !== null && attempts >= MIN_ATTEMPTS_FOR_DISCRIMINATION && discrimination < NEGATIVE_DISCRIMINATION) {
    flags.push('negative discrimination');
  }
  return flags;
}

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

// Tests of invalid submissions never ran: counting them would make every test look harder than it is.
export function summarizeTests(attempts: readonly CurrentAttempt[], tests: readonly CurrentTest[]): TestSummary[] {
  const scored = new Map(attempts.filter((attempt) => attempt.status !== 'invalid').map((attempt) => [attempt.submissionId, attempt]));
  const byTest = new Map<string, { assignment: string; name: string; pairs: { passed: boolean; rest: number }[] }>();
  for (const test of tests) {
    const attempt = scored.get(test.submissionId);
    if (attempt === undefined) continue;
    const key = JSON.stringify([attempt.assignment, test.name]);
    const entry = byTest.get(key) ?? { assignment: attempt.assignment, name: test.name, pairs: [] };
    entry.pairs.push({ passed: test.status === 'passed', rest: attempt.rawScore - test.score });
    byTest.set(key, entry);
  }
  return [...byTest.values()]
    .map(({ assignment, name, pairs }) => {
      const passed = pairs.filter((pair) => pair.passed).length;
      const discrimination = pointBiserial(pairs);
      return {
        assignment, exercise: exerciseOf(name), name, attempts: pairs.length, passed, passRate: passed / pairs.length,
        discrimination, flags: flagsOf(passed, pairs.length, discrimination),
      };
    })
    .sort((a, b) => a.passRate - b.passRate || b.attempts - a.attempts || naturalOrder(a.assignment, b.assignment)
      || naturalOrder(a.name, b.name));
}

/** One row per assignment × exercise, in course order: the compact view above the per-test table. */
export function summarizeExercises(tests: readonly TestSummary[]): ExerciseSummary[] {
  const groups = new Map<string, TestSummary[]>();
  for (const test of tests) {
    const key = JSON.stringify([test.assignment, test.exercise]);
    groups.set(key, [...(groups.get(key) ?? []), test]);
  }
  return [...groups.values()]
    .map((group) => ({
      assignment: group[0]!.assignment,
      exercise: group[0]!.exercise,
      tests: group.length,
      passRate: group.reduce((total, test) => total + test.passRate, 0) / group.length,
      lowestPassRate: Math.min(...group.map((test) => test.passRate)),
      flagged: group.filter((test) => test.flags.length > 0).length,
    }))
    .sort((a, b) => naturalOrder(a.assignment, b.assignment) || naturalOrder(a.exercise, b.exercise));
}
