/** The instructor's roster: who is in the cohort, by the same id the grader records as `student`. */
import { readFile } from 'node:fs/promises';
import { RosterError } from '../errors';
import { CsvSyntaxError, parseCsv } from './csv';

export interface RosterEntry {
  readonly id: string;
  readonly name: string;
  /** '' when the roster has no email column */
  readonly email: string;
}

/**
 * Header names per field (case-insensitive, any order, extra columns ignored). `id` and `name` are required; Canvas's
 * gradebook export (`Student, ID, SIS User ID, SIS Login ID, Section, …`) names the learner "Student" and its ID
 * column is the user id Canvas puts in submission file names.
 */
const COLUMN_NAMES = { id: ['id'], name: ['name', 'student'], email: ['email'] } as const;

/** Canvas's gradebook export has a second header-like row with each assignment's points, and no learner id. */
const isCanvasPointsRow = (id: string, name: string): boolean => id === '' && name === 'Points Possible';

/** Parses roster CSV text; `source` names the file in error messages. */
export function parseRoster(text: string, source: string): RosterEntry[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new RosterError(`Roster "${source}": ${error.message}`);
    throw error;
  }
  const [header, ...rows] = records;
  if (header === undefined)
    throw new RosterError(`Roster "${source}" is empty: expected a header line "id,name" (email optional)`);

  const names = header.fields.map((field) => field.trim().toLowerCase());
  const columnOf = (field: keyof typeof COLUMN_NAMES): number =>
    names.findIndex((name) => (COLUMN_NAMES[field] as readonly string[]).includes(name));
  const idColumn = columnOf('id');
  const nameColumn = columnOf('name');
  const emailColumn = columnOf('email');
  const missing = [idColumn === -1 ? '"id"' : null, nameColumn === -1 ? '"name"' : null].filter((column) => column !== null);
  if (missing.length > 0) {
    throw new RosterError(
      `Roster "${source}": missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
        `(header is ${JSON.stringify(header.fields.join(','))}; expected "id,name" with "email" optional, or a Canvas gradebook export)`,
    );
  }
  const field = (fields: readonly string[], column: number): string => (column === -1 ? '' : (fields[column] ?? '').trim());

  const seen = new Map<string, number>();
  const learners = rows.filter(({ fields }) => !isCanvasPointsRow(field(fields, idColumn), field(fields, nameColumn)));
  return learners.map(({ line, fields }) => {
    const id = field(fields, idColumn);
    if (id === '') throw new RosterError(`Roster "${source}", line ${line}: empty id`);
    const firstLine = seen.get(id);
    if (firstLine !== undefined) {
      throw new RosterError(
        `Roster "${source}", line ${line}: duplicate id ${JSON.stringify(id)} (first on line ${firstLine})`,
      );
    }
    seen.set(id, line);
    return { id, name: field(fields, nameColumn), email: field(fields, emailColumn) };
  });
}

/** Reads and parses a roster file. */
export async function readRoster(path: string): Promise<RosterEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new RosterError(`Roster "${path}" cannot be read: ${(error as Error).message}`);
  }
  return parseRoster(text, path);
}
