/**
 * A small cohort with every case the report distinguishes: a resubmission (ada, inserted newest-first so that
 * "latest" must mean latest submitted), an invalid submission whose tests never ran and missing work (bob), a timeout and a learner who is
 * not on the roster (cy), and a roster learner who never submitted (dee).
 */
import type { Attempt } from '../../bench/synthetic/gradebook';
import type { RosterEntry } from '../../grader/report/roster';
import { graded, tests } from './gradebook-fixture';

export const DAY1 = '2026-09-07T10:00:00.000Z';
export const DAY2 = '2026-09-08T10:00:00.000Z';
export const DAY3 = '2026-09-09T10:00:00.000Z';

export const COHORT_ATTEMPTS: readonly Attempt[] = [
  graded('ada', '01-intro', DAY3, 4),
  graded('ada', '01-intro', DAY1, 2),
  graded('ada', '02-conv', DAY2, 3),
  graded('ada', '03-pool', DAY3, 4),
  {
    student: 'bob',
    assignment: '01-intro',
    submittedAt: DAY2,
    status: 'invalid',
    error: 'not valid JSON',
    // As the grader records them: every test "not run", with the submission's error.
    tests: tests(4, 0).map((test) => ({ ...test, status: 'error' as const, feedback: 'Not run: not valid JSON' })),
    score: 0,
    maxScore: 0,
  },
  graded('cy', '01-intro', DAY2, 1),
  {
    student: 'cy',
    assignment: '02-conv',
    submittedAt: DAY3,
    status: 'timeout',
    error: 'timed out after 60 s',
    tests: tests(4, 0).map((test) => ({
      ...test,
      status: 'timeout' as const,
      feedback: 'the notebook ran out of time',
    })),
  },
  graded('cy', '03-pool', DAY3, 2),
];

export const COHORT_ROSTER: readonly RosterEntry[] = [
  { id: 'ada', name: 'Ada Lovelace', email: 'ada@uni.edu' },
  { id: 'bob', name: 'Bob, Jr.', email: 'bob@uni.edu' },
  { id: 'dee', name: 'Dee', email: 'dee@uni.edu' },
];

export const GENERATED_AT = '2026-09-10T08:00:00.000Z';
