/** What run_autograder reads from Gradescope's `submission_metadata.json`, and the deadline it judges lateness by. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COURSE_FILE, loadDeadlines } from '../course/course-file';
import { NO_PENALTY, type Deadline, type LateRule } from '../course/deadlines';

/** The parts of Gradescope's `submission_metadata.json` that grading uses. */
export interface SubmissionMetadata {
  readonly created_at?: string;
  readonly assignment?: { readonly due_date?: string | null };
  readonly users?: readonly { readonly email?: string; readonly id?: number | string; readonly assignment?: { readonly due_date?: string | null } }[];
}

export function readMetadata(path: string): SubmissionMetadata {
  if (!existsSync(path)) return {};
  return JSON.parse(readFileSync(path, 'utf8')) as SubmissionMetadata;
}

/** The course's late rule for the assignment: its own in the course file, else the course-wide one, else none. */
function lateRuleOf(courseRoot: string, deadline: Deadline | undefined): LateRule {
  if (deadline !== undefined) return deadline.rule;
  const path = join(courseRoot, COURSE_FILE);
  if (!existsSync(path)) return NO_PENALTY;
  return { ...NO_PENALTY, ...(JSON.parse(readFileSync(path, 'utf8')) as { latePolicy?: Partial<LateRule> }).latePolicy };
}

/**
 * The deadline this submission is judged by: Gradescope's due date (a learner's extension in `users[].assignment`
 * when it has one, the latest of a group's), else the course file's; the late rule is always the course's.
 */
export function deadlineFor(courseRoot: string, name: string, metadata: SubmissionMetadata): Deadline | undefined {
  const fromCourse = loadDeadlines(courseRoot, [name]).get(name);
  const rule = lateRuleOf(courseRoot, fromCourse);
  const extended = (metadata.users ?? []).map((user) => user.assignment?.due_date).filter((due): due is string => typeof due === 'string');
  const due = extended.length > 0 ? extended.sort((a, b) => Date.parse(b) - Date.parse(a))[0]! : metadata.assignment?.due_date;
  if (typeof due === 'string') return { dueAt: new Date(due), rule, extensions: extended.length > 0 ? new Map() : fromCourse?.extensions ?? new Map() };
  return fromCourse;
}
