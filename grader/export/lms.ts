/**
 * Grade files the learning platforms import: one row per learner of the roster, one column per assignment, the
 * final score (after the late penalty). A learner without a submission gets an empty cell, which every importer
 * reads as "no grade", unless the instructor asks for zeros.
 */
import type { CurrentAttempt } from '../gradebook/queries';
import type { RosterEntry } from '../report/roster';

export const EXPORT_FORMATS = ['canvas', 'moodle', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface GradeSheet {
  readonly assignments: readonly { readonly name: string; readonly pointsPossible: number }[];
  readonly roster: readonly RosterEntry[];
  /** final score by assignment, then by learner id */
  readonly scores: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly missingAsZero: boolean;
}

/** The sheet for the assignments asked for, from the gradebook's current attempts. */
export function gradeSheet(attempts: readonly CurrentAttempt[], assignments: readonly string[], roster: readonly RosterEntry[], missingAsZero: boolean): GradeSheet {
  const scores = new Map(assignments.map((name) => [name, new Map(attempts
    .filter((attempt) => attempt.assignment === name).map((attempt) => [attempt.student, attempt.score]))]));
  const pointsPossible = (name: string): number =>
    Math.max(0, ...attempts.filter((attempt) => attempt.assignment === name).map((attempt) => attempt.maxScore));
  return { assignments: assignments.map((name) => ({ name, pointsPossible: pointsPossible(name) })), roster, scores, missingAsZero };
}

const cell = (sheet: GradeSheet, assignment: string, learner: RosterEntry): string => {
  const score = sheet.scores.get(assignment)?.get(learner.id);
  return score !== undefined ? String(score) : sheet.missingAsZero ? '0' : '';
};
const scoreCells = (sheet: GradeSheet, learner: RosterEntry): string[] => sheet.assignments.map(({ name }) => cell(sheet, name, learner));

/**
 * Canvas's gradebook import: its export's identity columns (Canvas matches learners by ID, the user id its roster and
 * submission file names carry), then a "Points Possible" row. An assignment column whose name Canvas does not know
 * becomes a new assignment on import.
 */
function canvasRows(sheet: GradeSheet): string[][] {
  return [
    ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', ...sheet.assignments.map(({ name }) => name)],
    ['Points Possible', '', '', '', '', ...sheet.assignments.map(({ pointsPossible }) => String(pointsPossible))],
    ...sheet.roster.map((learner) => [learner.name, learner.id, '', '', '', ...scoreCells(sheet, learner)]),
  ];
}

/**
 * Moodle's "Import grades from CSV": the instructor maps "Email address" (or "ID number" when the roster has no
 * emails) to the user field of the same name, and each assignment column to its grade item.
 */
function moodleRows(sheet: GradeSheet): string[][] {
  return [
    ['ID number', 'Email address', 'Full name', ...sheet.assignments.map(({ name }) => name)],
    ...sheet.roster.map((learner) => [learner.id, learner.email, learner.name, ...scoreCells(sheet, learner)]),
  ];
}

function plainRows(sheet: GradeSheet): string[][] {
  return [
    ['id', 'name', 'email', ...sheet.assignments.map(({ name }) => name)],
    ...sheet.roster.map((learner) => [learner.id, learner.name, learner.email, ...scoreCells(sheet, learner)]),
  ];
}

export function sheetRows(sheet: GradeSheet, format: ExportFormat): string[][] {
  return format === 'canvas' ? canvasRows(sheet) : format === 'moodle' ? moodleRows(sheet) : plainRows(sheet);
}
