import { cellChecksum } from '../notebook/checksum';
import { assignmentOf, matchCells, type CellMatch } from '../notebook/match';
import { gradeIdOf, isSkippedWhenGrading, SKIP_WHEN_GRADING_TAG, type Cell, type Notebook } from '../notebook/types';
import type { GradingContext, Stage } from './context';

const isRequired = (cell: Cell): boolean => Boolean(cell.metadata.nbgrader?.locked || cell.metadata.nbgrader?.solution);
const nameOf = (cell: Cell, position: number): string => gradeIdOf(cell) ?? `cell ${position + 1}`;
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Why the notebook is another assignment's, in words that tell the learner what to submit; undefined when it is not. */
function otherAssignment(context: GradingContext, notebook: Notebook): string | undefined {
  const { assignment, otherReleases } = context.run;
  const releases = new Map([...otherReleases ?? [], [assignment.name, assignment.released]]);
  const belongsTo = assignmentOf(notebook, releases);
  if (belongsTo === undefined || belongsTo === assignment.name) return undefined;
  return `this notebook is assignment ${belongsTo}, not ${assignment.name}: submit your ${assignment.name} notebook`;
}

/** The learner's tags, with the release's say on the tags the grader honours (skip-when-grading). */
function tagsFor(cell: Cell, original: Cell): Cell['metadata'] {
  const tags = [...(cell.metadata.tags ?? []).filter((tag) => tag !== SKIP_WHEN_GRADING_TAG), ...isSkippedWhenGrading(original) ? [SKIP_WHEN_GRADING_TAG] : []];
  return tags.length > 0 ? { tags } : {};
}

/** The learner's metadata with the release's grading metadata (nbgrader, honoured tags) in place of theirs. */
function gradingMetadataFrom(cell: Cell, original: Cell): Cell['metadata'] {
  const { tags: _tags, nbgrader: _nbgrader, ...theirs } = cell.metadata;
  const { tags: _releasedTags, ...released } = original.metadata;
  return { ...theirs, ...released, ...tagsFor(cell, original) };
}

/** The nbgrader fields the grader and Gradescope act on (a cell's role, points and identity). */
const roleOf = (cell: Cell): string => {
  const nbgrader = cell.metadata.nbgrader;
  return JSON.stringify([nbgrader?.grade_id, nbgrader?.solution, nbgrader?.grade, nbgrader?.locked, nbgrader?.points]);
};

/** A cell whose metadata another editor stripped (no nbgrader, no tags): recognised, not tampered with. */
const lostMetadata = (cell: Cell): boolean => cell.metadata.nbgrader === undefined && (cell.metadata.tags ?? []).length === 0;

/**
 * Whether a locked cell differs from the release in what grading sees: its type, its source (by checksum), and unless
 * its metadata was stripped, whether it is skipped or the role its nbgrader metadata gives it.
 */
const tamperedWith = (cell: Cell, original: Cell): boolean =>
  cell.cell_type !== original.cell_type
  || cellChecksum(cell) !== original.metadata.nbgrader?.checksum
  || (!lostMetadata(cell) && (isSkippedWhenGrading(cell) !== isSkippedWhenGrading(original)
    || (cell.metadata.nbgrader !== undefined && roleOf(cell) !== roleOf(original))));

/**
 * The learner's cell, matched to `original`: the release's grading metadata, and for a locked cell whose type, source,
 * tags or role were changed, the released cell itself.
 */
function repairCell(cell: Cell, original: Cell): { cell: Cell; restored: boolean } {
  const metadata = gradingMetadataFrom(cell, original);
  if (!original.metadata.nbgrader?.locked || !tamperedWith(cell, original)) return { cell: { ...cell, metadata }, restored: false };
  return { cell: { ...original, metadata }, restored: true };
}

/** A learner's own cell: nbgrader metadata copied or made up there would make it pass for a self-check or exercise. */
function ownCell(cell: Cell): Cell {
  if (cell.metadata.nbgrader === undefined) return cell;
  const { nbgrader: _nbgrader, ...metadata } = cell.metadata;
  return { ...cell, metadata };
}

/**
 * Matches the learner's cells to the release (grade_id, cell id, checksum, position), gives each the release's grading
 * metadata, puts back every locked cell a learner edited, retyped or retagged as released, strips the nbgrader metadata
 * of the learner's own cells, re-inserts every locked or exercise cell they deleted at its place (an exercise
 * as its stub, which fails only the tests that need it), and lists what it did. Only a notebook of another assignment,
 * or one of whose cells none match, is invalid.
 */
export const restoreLocked: Stage = {
  name: 'restore-locked',
  sanitizes: true,
  async run(context: GradingContext): Promise<GradingContext> {
    const notebook = context.notebook!;
    const { assignment } = context.run;
    const wrongAssignment = otherAssignment(context, notebook);
    if (wrongAssignment !== undefined) return { ...context, invalid: wrongAssignment };
    const released = assignment.released.cells;
    const matches = matchCells(notebook.cells, released, { byCellId: context.upgradedFrom === undefined });
    if (matches.every((match) => match === undefined)) {
      return {
        ...context,
        invalid: `none of this notebook's cells belong to assignment ${assignment.name}: start again from the released ${assignment.name} notebook and copy your code into it`,
      };
    }
    const restored: string[] = [];
    const recognised: string[] = [];
    const cells: { cell: Cell; released?: number }[] = notebook.cells.map((cell, position) => {
      const match: CellMatch | undefined = matches[position];
      if (!match) return { cell: ownCell(cell) };
      const original = released[match.released]!;
      const repaired = repairCell(cell, original);
      if (repaired.restored) restored.push(nameOf(original, match.released));
      if (match.by !== 'grade-id' && gradeIdOf(original) !== undefined) recognised.push(nameOf(original, match.released));
      return { cell: repaired.cell, released: match.released };
    });
    const present = new Set(cells.map((entry) => entry.released));
    const reinserted: string[] = [];
    const stubs: string[] = [];
    released.forEach((original, position) => {
      if (present.has(position) || !isRequired(original)) return;
      // After the learner's cell holding the nearest earlier released cell (or first), so the order of definitions holds.
      const after = cells.reduce((found, entry, at) => (entry.released !== undefined && entry.released < position && (found < 0 || entry.released > cells[found]!.released!) ? at : found), -1);
      cells.splice(after + 1, 0, { cell: original, released: position });
      reinserted.push(nameOf(original, position));
      if (original.metadata.nbgrader?.solution) stubs.push(nameOf(original, position));
    });
    const repairs = [
      ...context.upgradedFrom !== undefined ? [`Your notebook was saved in an older format (nbformat ${context.upgradedFrom}); it was converted before grading.`] : [],
      ...context.repairs ?? [],
      ...recognised.length > 0 ? [`${plural(recognised.length, 'cell')} had lost their grading information and were recognised by their id or content: ${recognised.join(', ')}.`] : [],
      ...stubs.length > 0 ? [`Your notebook had no ${stubs.join(', ')} exercise cell; the starting code was put in its place, so the tests that need it fail.`] : [],
    ];
    return {
      ...context,
      notebook: { ...notebook, cells: cells.map((entry) => entry.cell) },
      restoredCells: restored,
      reinsertedCells: reinserted,
      repairs,
    };
  },
};
