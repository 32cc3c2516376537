/**
 * Older notebooks are upgraded in memory as Jupyter's nbformat does (`nbformat.v4.convert.upgrade`), so that they
 * validate against the 4.5 schema: nbformat 4.0–4.4 differ from 4.5 only in lacking cell ids; nbformat 3 (IPython 2)
 * also keeps its cells in worksheets, code as `input`, headings as cells of their own and outputs by short names.
 */

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export interface Upgrade {
  readonly notebook: unknown;
  /** "4.4" or "3.0" when the notebook was upgraded from that version; undefined when it was already 4.5 or is not a notebook */
  readonly upgradedFrom?: string;
}

/** Every cell gets a unique id (`cell-1`, `cell-2`, … in order), as 4.5 requires. */
const withIds = (cells: readonly unknown[]): unknown[] => cells.map((cell, index) => (isObject(cell) ? { ...cell, id: `cell-${index + 1}` } : cell));

/** nbformat 3's keys for the outputs' MIME types */
const MIME_TYPE_OF: ReadonlyMap<string, string> = new Map([
  ['text', 'text/plain'], ['html', 'text/html'], ['svg', 'image/svg+xml'], ['png', 'image/png'], ['jpeg', 'image/jpeg'],
  ['latex', 'text/latex'], ['json', 'application/json'], ['javascript', 'application/javascript'],
]);
/** Markdown's deepest heading: a deeper level (nbformat would repeat `#` that many times) is written as this one. */
const DEEPEST_HEADING = 6;
/** output keys nbformat 3 writes as lists of lines */
const MULTILINE_OUTPUT_KEYS = new Set(['text', 'html', 'svg', 'latex', 'javascript', 'json']);
/** what Python's str.splitlines() splits on */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;

/** nbformat 3 text as one string: its lists of lines were split keeping their ends, or (older writers) without them. */
function joinedLines(value: unknown): unknown {
  if (!Array.isArray(value) || !value.every((line) => typeof line === 'string')) return value;
  return /[\n\r]$/.test(value[0] ?? '') ? value.join('') : value.join('\n');
}

/** Python's str.splitlines(): no empty last line for a trailing break. */
function linesOf(text: string): string[] {
  const lines = text.split(LINE_BREAK);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const byMimeType = (bundle: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(bundle).map(([key, value]) => [MIME_TYPE_OF.get(key) ?? key, value]));

/** nbformat 3 kept JSON output as text. */
function withParsedJson(data: Record<string, unknown>): Record<string, unknown> {
  const json = data['application/json'];
  if (typeof json !== 'string') return data;
  try {
    return { ...data, 'application/json': JSON.parse(json) as unknown };
  } catch {
    return data;
  }
}

/** pyout → execute_result (prompt_number → execution_count), display_data: every other key moves into `data`. */
function richOutputFrom3(output: Record<string, unknown>): Record<string, unknown> {
  const { output_type: type, metadata, execution_count: _count, prompt_number: prompt, ...data } = output;
  return {
    output_type: type === 'pyout' ? 'execute_result' : 'display_data',
    ...type === 'pyout' ? { execution_count: prompt ?? null } : {},
    metadata: isObject(metadata) ? byMimeType(metadata) : {},
    data: withParsedJson(byMimeType(data)),
  };
}

function outputFrom3(value: unknown): unknown {
  if (!isObject(value)) return value;
  const output = Object.fromEntries(Object.entries(value).map(([key, item]) => [key, MULTILINE_OUTPUT_KEYS.has(key) ? joinedLines(item) : item]));
  if (output.output_type === 'pyout' || output.output_type === 'display_data') return richOutputFrom3(output);
  if (output.output_type === 'pyerr') return { ...output, output_type: 'error' };
  if (output.output_type !== 'stream') return output;
  const { stream, ...rest } = output;
  return { ...rest, name: stream ?? 'stdout' };
}

/** A level-2 heading cell becomes the markdown cell `## Its text`, on one line. */
function headingFrom3(cell: Record<string, unknown>): Record<string, unknown> {
  const { level, ...rest } = cell;
  const hashes = '#'.repeat(typeof level === 'number' && Number.isInteger(level) && level > 0 ? Math.min(level, DEEPEST_HEADING) : 1);
  const source = joinedLines(cell.source ?? '');
  return { ...rest, cell_type: 'markdown', source: `${hashes} ${linesOf(typeof source === 'string' ? source : '').join(' ')}` };
}

/** Code cells lose `language`, `input` becomes `source`, `prompt_number` `execution_count`, `collapsed` moves to metadata. */
function codeFrom3(cell: Record<string, unknown>): Record<string, unknown> {
  const { language: _language, collapsed, input, prompt_number: prompt, outputs, ...rest } = cell;
  const metadata = collapsed === undefined || !isObject(rest.metadata) ? rest.metadata : { ...rest.metadata, collapsed };
  return { ...rest, metadata, source: joinedLines(input ?? ''), execution_count: prompt ?? null, outputs: Array.isArray(outputs) ? outputs.map(outputFrom3) : outputs };
}

function cellFrom3(value: unknown): unknown {
  if (!isObject(value)) return value;
  const cell: Record<string, unknown> = { metadata: {}, ...value };
  if (cell.cell_type === 'code') return codeFrom3(cell);
  if (cell.cell_type === 'heading') return headingFrom3(cell);
  const text = { ...cell, source: joinedLines(cell.source) };
  return cell.cell_type === 'html' ? { ...text, cell_type: 'markdown' } : text;
}

/** nbformat 3: the worksheets' cells (a sheet without them counts as none), upgraded; the notebook's name and signature dropped. */
function fromNbformat3(notebook: Record<string, unknown>, sheets: readonly unknown[]): Record<string, unknown> {
  const { worksheets: _sheets, orig_nbformat: _major, orig_nbformat_minor: _minor, ...rest } = notebook;
  const cells = sheets.flatMap((sheet: unknown) => (isObject(sheet) && Array.isArray(sheet.cells) ? sheet.cells as unknown[] : []));
  const metadata = isObject(rest.metadata) ? (({ name: _name, signature: _signature, ...kept }) => kept)(rest.metadata) : rest.metadata;
  return { ...rest, metadata, nbformat: 4, nbformat_minor: 5, cells: withIds(cells.map(cellFrom3)) };
}

const isMinor = (minor: unknown): minor is number => typeof minor === 'number' && Number.isInteger(minor) && minor >= 0;

/**
 * Upgrades an nbformat 3 (with its list of worksheets) or 4.0–4.4 notebook to 4.5 (cell ids `cell-1`, `cell-2`, … in
 * order). Anything else (4.5, another version, not a notebook) comes back unchanged for validation to judge.
 */
export function upgradeNotebook(value: unknown): Upgrade {
  if (!isObject(value)) return { notebook: value };
  const minor = value.nbformat_minor;
  if (value.nbformat === 3 && Array.isArray(value.worksheets)) {
    return { notebook: fromNbformat3(value, value.worksheets), upgradedFrom: `3.${isMinor(minor) ? minor : 0}` };
  }
  if (value.nbformat !== 4 || !isMinor(minor) || minor >= 5 || !Array.isArray(value.cells)) return { notebook: value };
  return { notebook: { ...value, nbformat_minor: 5, cells: withIds(value.cells) }, upgradedFrom: `4.${minor}` };
}
