/** The parts of an nbformat 4 notebook convlab reads and writes (the schema allows more; we keep what we do not know). */

export type CellType = 'code' | 'markdown' | 'raw';

/** nbgrader cell metadata (schema_version 3), see docs/notebook-format.md. */
export interface NbgraderMetadata {
  readonly grade_id: string;
  readonly solution: boolean;
  readonly grade: boolean;
  readonly locked: boolean;
  readonly points?: number;
  readonly schema_version?: number;
  readonly checksum?: string;
  readonly [key: string]: unknown;
}

export interface CellMetadata {
  readonly nbgrader?: NbgraderMetadata;
  readonly tags?: readonly string[];
  readonly [key: string]: unknown;
}

export interface Cell {
  readonly id?: string;
  readonly cell_type: CellType;
  readonly source: string | readonly string[];
  readonly metadata: CellMetadata;
  readonly outputs?: readonly unknown[];
  readonly execution_count?: number | null;
  readonly [key: string]: unknown;
}

export interface NotebookMetadata {
  readonly kernelspec?: { readonly name?: string; readonly display_name?: string; readonly language?: string };
  readonly language_info?: { readonly name?: string; readonly [key: string]: unknown };
  readonly convlab?: { readonly assignment?: string; readonly title?: string };
  readonly [key: string]: unknown;
}

export interface Notebook {
  readonly nbformat: number;
  readonly nbformat_minor: number;
  readonly metadata: NotebookMetadata;
  readonly cells: readonly Cell[];
}

/** Tag that keeps a cell from running under the grader (demonstrations only). */
export const SKIP_WHEN_GRADING_TAG = 'skip-when-grading';

/** A cell's source as one string (nbformat allows a string or a list of lines). */
export function cellSource(cell: Cell): string {
  return typeof cell.source === 'string' ? cell.source : cell.source.join('');
}

/** The cell's nbgrader grade_id, when it has one. */
export function gradeIdOf(cell: Cell): string | undefined {
  return cell.metadata.nbgrader?.grade_id;
}

export function isSkippedWhenGrading(cell: Cell): boolean {
  return cell.metadata.tags?.includes(SKIP_WHEN_GRADING_TAG) ?? false;
}
