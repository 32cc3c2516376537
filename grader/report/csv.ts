/**
 * RFC 4180 CSV: a parser for rosters (quoted fields, doubled quotes, CRLF or LF, line breaks inside quotes) and a
 * serializer for the scores export (quote only when needed, CRLF line endings, as LMS importers expect).
 */

/** A CSV syntax error, with the 1-based line where the offending record starts. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/** One parsed record and the 1-based line it starts on (records can span lines inside quotes). */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/** Parses CSV text into records; blank lines are skipped and a leading byte-order mark is ignored. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let index = 0;

  const endRecord = (): void => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0] === '';
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };

  while (index < source.length) {
    const char = source[index];
    if (char === '"') {
      if (field !== '') {
        throw new CsvSyntaxError(
          `line ${line}: a quote inside an unquoted field (${JSON.stringify(field + char)})`,
          line,
        );
      }
      const quoteLine = line;
      index += 1;
      for (;;) {
        if (index >= source.length) {
          throw new CsvSyntaxError(`line ${quoteLine}: a quoted field is never closed`, quoteLine);
        }
        const inner = source[index];
        if (inner === '"') {
          if (source[index + 1] === '"') {
            field += '"';
            index += 2;
            continue;
          }
          index += 1;
          break;
        }
        if (inner === '\n') line += 1;
        field += inner;
        index += 1;
      }
      const next = source[index];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new CsvSyntaxError(`line ${line}: unexpected ${JSON.stringify(next)} after a closing quote`, line);
      }
      continue;
    }
    if (char === ',') {
      fields.push(field);
      field = '';
      index += 1;
      continue;
    }
    if (char === '\r' || char === '\n') {
      endRecord();
      index += char === '\r' && source[index + 1] === '\n' ? 2 : 1;
      line += 1;
      recordLine = line;
      continue;
    }
    field += char;
    index += 1;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field: quoted (with doubled quotes) only when it contains a comma, a quote or a line break. */
export function formatCsvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** CSV text with CRLF line endings, including after the last record (RFC 4180 §2.1–2.2). */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(formatCsvField).join(',') + '\r\n').join('');
}
