/**
 * A seeded synthetic gradebook for tests and the benchmark: written through the gradebook store (the grader is not
 * involved), with learners of varied ability, weekly assignments, resubmissions, late and missing work.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { openGradebook, type AttemptRecord, type Gradebook } from '../../grader/gradebook/store';
import type { GradingFingerprint, SubmissionStatus, TestStatus } from '../../grader/model/results';
import { seededRandom } from '../../src/core/random';
import { generateSources, type SyntheticSources } from './exercise-cells';

export interface AttemptTest {
  readonly name: string;
  readonly status: TestStatus;
  readonly score: number;
  readonly maxScore: number;
  readonly feedback?: string | null;
}

/** One graded attempt as the grader would record it; score and max score default to the sums of its tests. */
export interface Attempt {
  readonly assignment: string;
  readonly student: string;
  readonly status: SubmissionStatus;
  readonly submittedAt: string;
  readonly tests: readonly AttemptTest[];
  readonly score?: number;
  readonly maxScore?: number;
  /** points deducted for lateness (0 by default) */
  readonly penalty?: number;
  readonly error?: string | null;
  readonly exerciseSources?: AttemptRecord['exerciseSources'];
  readonly releasedCells?: AttemptRecord['releasedCells'];
}

/** Synthetic attempts were graded by no grader: one made-up setup for all of them. */
const SYNTHETIC_FINGERPRINT: GradingFingerprint = {
  id: 'synthetic',
  parts: { tests: 'synthetic', release: 'synthetic', limits: 'synthetic', version: 'synthetic', toolchain: 'synthetic' },
};

/** A synthetic attempt as the gradebook stores it (through the same store the grader writes with). */
function toRecord(attempt: Attempt): AttemptRecord {
  const sum = (pick: (test: AttemptTest) => number): number => attempt.tests.reduce((total, test) => total + pick(test), 0);
  const rawScore = attempt.score ?? sum((test) => test.score);
  const penalty = attempt.penalty ?? 0;
  return {
    assignment: attempt.assignment,
    student: attempt.student,
    source: `${attempt.student}/${attempt.assignment}.ipynb`,
    contentHash: createHash('sha256').update(`${attempt.assignment}\0${attempt.student}\0${attempt.submittedAt}`).digest('hex'),
    fingerprint: SYNTHETIC_FINGERPRINT,
    status: attempt.status,
    rawScore,
    penalty,
    score: rawScore - penalty,
    maxScore: attempt.maxScore ?? sum((test) => test.maxScore),
    error: attempt.error ?? null,
    lateness: null,
    submittedAt: attempt.submittedAt,
    gradedAt: attempt.submittedAt,
    durationMs: 1000,
    tests: attempt.tests.map((test) => ({
      name: test.name, status: test.status, score: test.score, maxScore: test.maxScore, feedback: test.feedback ?? '',
    })),
    ...(attempt.exerciseSources ? { exerciseSources: attempt.exerciseSources } : {}),
    ...(attempt.releasedCells ? { releasedCells: attempt.releasedCells } : {}),
  };
}

/** Writes attempts, each submission with its tests, in one transaction. */
export function insertAttempts(gradebook: Gradebook, attempts: readonly Attempt[]): void {
  gradebook.add(attempts.map(toRecord));
}

export interface CohortOptions {
  readonly learners: number;
  readonly assignments: number;
  readonly testsPerAssignment: number;
  readonly seed: number;
  /** The first assignment's release; one assignment a week after it. */
  readonly start: string;
  /** Plants a broken test ({@link plantedBrokenTest}) that weak learners pass more often than strong ones. */
  readonly brokenTest: boolean;
  /** Gives the first assignment's graded attempts exercise cells, with planted similar pairs ({@link cohortSources}). */
  readonly exerciseCells: boolean;
}

/** The exercise cells a cohort with `exerciseCells` has in its first assignment: two exercises, a planted pair each. */
export const cohortSources = (options: Pick<CohortOptions, 'learners' | 'seed'>): SyntheticSources =>
  generateSources({ learners: options.learners, exercises: 2, seed: options.seed, plantedPairs: 1 });

/** The test a cohort with `brokenTest` has broken: the last test of the second assignment. */
export function plantedBrokenTest(options: Pick<CohortOptions, 'testsPerAssignment'> = DEFAULT_COHORT): { assignment: string; name: string } {
  const assignment = assignmentName(1);
  return { assignment, name: testTitle(assignment, options.testsPerAssignment - 1) };
}

const testTitle = (assignment: string, test: number): string => `${assignment.slice(3)} check ${test + 1}`;

export const DEFAULT_COHORT: CohortOptions = {
  learners: 40,
  assignments: 7,
  testsPerAssignment: 5,
  seed: 7,
  start: '2026-09-07T09:00:00.000Z',
  brokenTest: false,
  exerciseCells: false,
};

const TOPICS = [
  'tensors',
  'convolution',
  'pooling',
  'cnn',
  'augmentation',
  'transfer',
  'detection',
  'segmentation',
  'gan',
  'explain',
];
const DAY_MS = 24 * 60 * 60 * 1000;

export function assignmentName(index: number): string {
  return `${String(index + 1).padStart(2, '0')}-${TOPICS[index % TOPICS.length]}`;
}

export function learnerId(index: number, count: number): string {
  return `learner-${String(index + 1).padStart(String(count).length, '0')}`;
}

/**
 * Generates a cohort's attempts: each learner has an ability, each test a difficulty; weaker learners submit less
 * often and later, some attempts are resubmitted after feedback, and a few are invalid or time out. Feedback reads
 * like the grader's.
 */
export function generateCohort(options: Partial<CohortOptions> = {}): Attempt[] {
  const { learners, assignments, testsPerAssignment, seed, start, brokenTest, exerciseCells } = { ...DEFAULT_COHORT, ...options };
  const sources = exerciseCells ? cohortSources({ learners, seed }) : undefined;
  const cellsOf = (learner: number): Pick<Attempt, 'exerciseSources' | 'releasedCells'> => (sources === undefined ? {} : {
    exerciseSources: [...sources.exercises].map(([gradeId, cells]) => ({ gradeId, source: cells[learner]!.source })),
    releasedCells: [...sources.starters].map(([gradeId, source]) => ({ gradeId, source })),
  });
  const broken = brokenTest ? plantedBrokenTest({ testsPerAssignment }) : undefined;
  const random = seededRandom(seed);
  const startMs = Date.parse(start);
  const difficulty = Array.from({ length: assignments * testsPerAssignment }, () => 0.2 + random() * 0.6);
  const attempts: Attempt[] = [];

  for (let learner = 0; learner < learners; learner += 1) {
    const ability = random();
    const student = learnerId(learner, learners);
    for (let assignment = 0; assignment < assignments; assignment += 1) {
      // Engagement fades over the course, faster for weaker learners.
      if (random() > 0.97 - (assignment / assignments) * (1 - ability) * 0.6) continue;
      const name = assignmentName(assignment);
      const titles = Array.from({ length: testsPerAssignment }, (_, test) => testTitle(name, test));
      const resubmissions = random() < 0.3 ? 2 : 1;
      let submittedMs = startMs + (assignment * 7 + 1 + random() * 6 * (1.2 - ability)) * DAY_MS;
      for (let attempt = 0; attempt < resubmissions; attempt += 1) {
        const submittedAt = new Date(submittedMs).toISOString();
        const base = { assignment: name, student, submittedAt };
        const outcome = random();
        if (outcome < INVALID_SHARE) {
          attempts.push({ ...base, status: 'invalid', error: INVALID_ERROR, tests: titles.map(notRun) });
        } else if (outcome < INVALID_SHARE + TIMEOUT_SHARE) {
          attempts.push({ ...base, status: 'timeout', error: TIMEOUT_ERROR, tests: titles.map(timedOut) });
        } else {
          // Feedback helps: a resubmission passes more often.
          const skill = ability + attempt * 0.15 + 0.7;
          // The broken test expects what only a wrong solution gives: weaker learners mostly pass it, stronger ones mostly fail.
          const passes = (title: string, test: number): boolean => (name === broken?.assignment && title === broken.name
            ? random() < (skill < 1.2 ? 0.9 : 0.1) : random() < skill - difficulty[assignment * testsPerAssignment + test]!);
          const tests = titles.map((title, test) => (passes(title, test) ? passed(title) : failed(title)));
          attempts.push({ ...base, status: 'graded', tests, ...(assignment === 0 ? cellsOf(learner) : {}) });
        }
        submittedMs += (0.5 + random() * 2) * DAY_MS;
      }
    }
  }
  return attempts;
}

const INVALID_SHARE = 0.03;
const TIMEOUT_SHARE = 0.02;
const INVALID_ERROR = 'not valid JSON (Unexpected end of JSON input)';
const TIMEOUT_ERROR = 'timed out after 300 s';

const passed = (name: string): AttemptTest => ({ name, status: 'passed', score: 1, maxScore: 1, feedback: 'Passed.' });
const failed = (name: string): AttemptTest => ({
  name,
  status: 'failed',
  score: 0,
  maxScore: 1,
  feedback: 'Failed: your result is not what this test expects.',
});
const timedOut = (name: string): AttemptTest => ({
  name,
  status: 'timeout',
  score: 0,
  maxScore: 1,
  feedback: `Not run: ${TIMEOUT_ERROR}`,
});
const notRun = (name: string): AttemptTest => ({
  name,
  status: 'error',
  score: 0,
  maxScore: 1,
  feedback: `Not run: ${INVALID_ERROR}`,
});

/** Writes a generated cohort to a new gradebook file; returns how many attempts were written. */
export function writeSyntheticGradebook(path: string, options: Partial<CohortOptions> = {}): number {
  if (existsSync(path)) throw new Error(`Refusing to write a synthetic gradebook over the existing file "${path}"`);
  const gradebook = openGradebook(path);
  try {
    const attempts = generateCohort(options);
    insertAttempts(gradebook, attempts);
    return attempts.length;
  } finally {
    gradebook.close();
  }
}
