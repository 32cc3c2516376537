import { UsageError } from '../errors';
import { EXPORT_FORMATS, gradeSheet, sheetRows, type ExportFormat } from '../export/lms';
import { writeWhole } from '../export/write-whole';
import { readGradebook } from '../gradebook/queries';
import { validateAssignmentName } from '../options';
import { formatCsv } from '../report/csv';
import { readRoster } from '../report/roster';

export interface ExportOptions {
  readonly db: string;
  readonly format: string;
  readonly assignments: readonly string[];
  readonly roster: string;
  readonly out: string;
  readonly missingAsZero: boolean;
}

/** What an export wrote, and whom the gradebook holds that the roster does not name (left out of the file). */
export interface ExportSummary {
  readonly out: string;
  readonly format: ExportFormat;
  readonly learners: number;
  readonly withoutSubmission: number;
  readonly notInRoster: readonly string[];
}

const isFormat = (value: string): value is ExportFormat => (EXPORT_FORMATS as readonly string[]).includes(value);

/** `convlab export`: the file Canvas, Moodle (or any spreadsheet) imports, for the assignments asked for. */
export async function exportGrades(options: ExportOptions): Promise<ExportSummary> {
  if (!isFormat(options.format)) throw new UsageError(`unknown --format "${options.format}" (one of ${EXPORT_FORMATS.join(', ')})`);
  if (options.assignments.length === 0) throw new UsageError('export needs at least one --assignment <NN-name>');
  for (const name of options.assignments) validateAssignmentName(name);
  const roster = await readRoster(options.roster);
  const { attempts } = readGradebook(options.db);
  const known = [...new Set(attempts.map((attempt) => attempt.assignment))].sort();
  const unknown = options.assignments.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new UsageError(`gradebook "${options.db}" holds no grades for ${unknown.map((name) => `"${name}"`).join(', ')} `
      + `(it holds ${known.length > 0 ? known.join(', ') : 'none'}): is it this course's gradebook?`);
  }
  const sheet = gradeSheet(attempts, options.assignments, roster, options.missingAsZero);
  writeWhole(options.out, formatCsv(sheetRows(sheet, options.format)));
  const rostered = new Set(roster.map((learner) => learner.id));
  const graded = attempts.filter((attempt) => options.assignments.includes(attempt.assignment));
  return {
    out: options.out,
    format: options.format,
    learners: roster.length,
    withoutSubmission: roster.filter((learner) => !graded.some((attempt) => attempt.student === learner.id)).length,
    notInRoster: [...new Set(graded.map((attempt) => attempt.student).filter((student) => !rostered.has(student)))].sort(),
  };
}
