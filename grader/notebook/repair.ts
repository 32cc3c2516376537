/**
 * Jupyter opens a notebook whose metadata has a field of the wrong type (`authors` as a string, as some tools write;
 * a malformed `kernelspec`; a cell's `tags` not a list) and only warns. The grader drops such a field, names it, and
 * grades the notebook; the schema still judges everything else.
 */
import { metadataFieldProblem } from './validate';

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export interface MetadataRepair {
  readonly notebook: unknown;
  /** each field dropped, with why: `"authors" (must be array)`, `cell 6 "tags" (must be array)` */
  readonly dropped: readonly string[];
}

/** The metadata without the fields the schema rejects; `drop` hears of each one. */
function validFields(metadata: Record<string, unknown>, scope: string, drop: (field: string, problem: string) => void): Record<string, unknown> {
  return Object.fromEntries(Object.entries(metadata).filter(([field, value]) => {
    const problem = metadataFieldProblem(scope, field, value);
    if (problem !== undefined) drop(field, problem);
    return problem === undefined;
  }));
}

/** `holder` with its metadata's wrong fields dropped; a holder without metadata is left for the schema to judge. */
function repaired(holder: unknown, scope: (holder: Record<string, unknown>) => string, drop: (field: string, problem: string) => void): unknown {
  if (!isObject(holder) || !isObject(holder.metadata)) return holder;
  return { ...holder, metadata: validFields(holder.metadata, scope(holder), drop) };
}

/** Drops the notebook's and its cells' metadata fields of the wrong type (anything not shaped like a notebook is left as is). */
export function dropInvalidMetadata(value: unknown): MetadataRepair {
  if (!isObject(value) || !Array.isArray(value.cells)) return { notebook: value, dropped: [] };
  const dropped: string[] = [];
  const notebook = repaired(value, () => 'notebook', (field, problem) => dropped.push(`"${field}" (${problem})`)) as Record<string, unknown>;
  const cells = value.cells.map((cell: unknown, index) =>
    repaired(cell, (holder) => `${String(holder.cell_type)}_cell`, (field, problem) => dropped.push(`cell ${index + 1} "${field}" (${problem})`)));
  return { notebook: { ...notebook, cells }, dropped };
}
