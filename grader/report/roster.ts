/** The instructor's roster: who is in the cohort, by the same id the grader records as `student`. */
import { readFile } from 'node:fs/promises';
import { CsvSyntaxError, parseCsv } from './csv';
import { ReportInputError } from './errors';

export interface RosterEntry {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

/** Columns a roster must have (case-insensitive, in any order; extra columns are ignored). */
export const ROSTER_COLUMNS = ['id', 'name', 'email'] as const;

/** A roster that cannot be used, with the file it came from in the message. */
export class RosterError extends ReportInputError {}

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
    throw new RosterError(`Roster "${source}" is empty: expected a header line "id,name,email"`);

  const names = header.fields.map((field) => field.trim().toLowerCase());
  const columns = ROSTER_COLUMNS.map((column) => names.indexOf(column));
  const missing = ROSTER_COLUMNS.filter((_, position) => columns[position] === -1);
  if (missing.length > 0) {
    throw new RosterError(
      `Roster "${source}": missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} ` +
        `(header is ${JSON.stringify(header.fields.join(','))})`,
    );
  }
  const [idColumn, nameColumn, emailColumn] = columns as [number, number, number];

  const seen = new Map<string, number>();
  return rows.map(({ line, fields }) => {
    const id = (fields[idColumn] ?? '').trim();
    if (id === '') throw new RosterError(`Roster "${source}", line ${line}: empty id`);
    const firstLine = seen.get(id);
    if (firstLine !== undefined) {
      throw new RosterError(
        `Roster "${source}", line ${line}: duplicate id ${JSON.stringify(id)} (first on line ${firstLine})`,
      );
    }
    seen.set(id, line);
    return { id, name: (fields[nameColumn] ?? '').trim(), email: (fields[emailColumn] ?? '').trim() };
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
