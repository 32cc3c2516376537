import { listAssignmentNames, loadAssignment, type CourseLayout } from '../assignment';
import { messageOf } from '../errors';
import type { ListedTest } from '../sandbox/specs';

export interface AssignmentListing {
  readonly name: string;
  readonly tests: readonly ListedTest[];
  readonly maxScore: number;
  /** why the assignment cannot be graded yet (no hidden tests, a spec that does not load, ...) */
  readonly problem?: string;
}

/** `convlab list`: every assignment with its hidden tests and points. */
export function list(course: CourseLayout): AssignmentListing[] {
  return listAssignmentNames(course).map((name) => {
    try {
      const { tests, maxScore } = loadAssignment(course, name);
      return { name, tests, maxScore };
    } catch (error) {
      return { name, tests: [], maxScore: 0, problem: messageOf(error) };
    }
  });
}

const points = (value: number): string => `${value} pt${value === 1 ? '' : 's'}`;

export function formatListing(listings: readonly AssignmentListing[]): string {
  if (listings.length === 0) return 'no assignments (no solutions/NN-name.ipynb yet)';
  return listings.map((listing) => listing.problem !== undefined
    ? `${listing.name}: ${listing.problem}`
    : [`${listing.name}: ${listing.tests.length} hidden tests, ${points(listing.maxScore)}`,
      ...listing.tests.map((test) => `  ${test.name} — ${points(test.points)}`)].join('\n')).join('\n\n');
}
