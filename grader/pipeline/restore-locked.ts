import { cellChecksum } from '../notebook/checksum';
import { assignmentOf, matchCells, type CellMatch } from '../notebook/match';
import { gradeIdOf, type Cell, type Notebook } from '../notebook/types';
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

/** The learner's cell, matched to `original`: the release's grading metadata, and its source when a locked cell was edited. */
function repairCell(cell: Cell, original: Cell): { cell: Cell; restored: boolean } {
  const withMetadata: Cell = { ...cell, metadata: { ...cell.metadata, ...original.metadata } };
  const nbgrader = original.metadata.nbgrader;
  if (!nbgrader?.locked || cellChecksum(cell) === nbgrader.checksum) return { cell: withMetadata, restored: false };
  return { cell: { ...withMetadata, cell_type: original.cell_type, source: original.source }, restored: true };
}

/**
 * Matches the learner's cells to the release (grade_id, cell id, checksum, position), puts back the released source of
 * every locked cell a learner edited, re-inserts every locked or exercise cell they deleted at its place (an exercise
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
      if (!match) return { cell };
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
