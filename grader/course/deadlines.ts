import type { Lateness } from '../model/results';

/** How late work loses points: a share of the raw score per started day late, up to a cap, after a grace period. */
export interface LateRule {
  readonly percentPerDay: number;
  readonly maxPercent: number;
  readonly graceMinutes: number;
}

/** A learner's own due date: a new date, or extra days on the assignment's. */
export type Extension = { readonly dueAt: Date } | { readonly extraDays: number };

/** One assignment's deadline as the course file sets it. */
export interface Deadline {
  readonly dueAt: Date;
  readonly rule: LateRule;
  readonly extensions: ReadonlyMap<string, Extension>;
}

export const NO_PENALTY: LateRule = { percentPerDay: 0, maxPercent: 0, graceMinutes: 0 };

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** The learner's due date: the assignment's, moved by their extension if they have one. */
export function dueDateFor(deadline: Deadline, student: string): Date {
  const extension = deadline.extensions.get(student);
  if (extension === undefined) return deadline.dueAt;
  return 'dueAt' in extension ? extension.dueAt : new Date(deadline.dueAt.getTime() + extension.extraDays * DAY_MS);
}

/**
 * How late a submission is: 0 days up to the due date plus grace; past it, every started day after the due date
 * counts (1 minute past grace is 1 day). The penalty is percentPerDay per day, capped at maxPercent and at 100.
 */
export function latenessOf(deadline: Deadline, student: string, submittedAt: Date, lmsLate?: boolean): Lateness {
  const dueAt = dueDateFor(deadline, student);
  const pastDue = submittedAt.getTime() - dueAt.getTime();
  const daysLate = pastDue <= deadline.rule.graceMinutes * MINUTE_MS ? 0 : Math.ceil(pastDue / DAY_MS);
  const penaltyPercent = Math.min(100, deadline.rule.maxPercent, daysLate * deadline.rule.percentPerDay);
  return { dueAt: dueAt.toISOString(), daysLate, penaltyPercent, ...(lmsLate !== undefined ? { lmsLate } : {}) };
}
