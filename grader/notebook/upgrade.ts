/**
 * Older nbformat 4 notebooks (4.0–4.4, written by older Jupyter and several editors) differ from 4.5 only in lacking
 * cell ids. They are upgraded in memory, as nbformat's own upgrade does, so that they validate against the 4.5 schema.
 */

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export interface Upgrade {
  readonly notebook: unknown;
  /** "4.4" when the notebook was upgraded from that version; undefined when it was already 4.5 or is not nbformat 4 */
  readonly upgradedFrom?: string;
}

/**
 * Gives every cell of an nbformat 4.0–4.4 notebook a unique id (`cell-1`, `cell-2`, … in order) and sets minor 5.
 * Anything else (4.5, nbformat 3, not a notebook) comes back unchanged for validation to judge.
 */
export function upgradeNotebook(value: unknown): Upgrade {
  if (!isObject(value) || value.nbformat !== 4) return { notebook: value };
  const minor = value.nbformat_minor;
  if (typeof minor !== 'number' || !Number.isInteger(minor) || minor < 0 || minor >= 5 || !Array.isArray(value.cells)) return { notebook: value };
  const cells = value.cells.map((cell: unknown, index) => (isObject(cell) ? { ...cell, id: `cell-${index + 1}` } : cell));
  return { notebook: { ...value, nbformat_minor: 5, cells }, upgradedFrom: `4.${minor}` };
}
