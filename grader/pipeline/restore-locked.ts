import { cellChecksum } from '../notebook/checksum';
import { gradeIdOf, type Cell } from '../notebook/types';
import type { GradingContext, Stage } from './context';

/**
 * Puts back the released source of every locked cell a learner edited (matched by grade_id, compared by checksum)
 * and lists them; a locked or exercise cell that is missing makes the submission invalid.
 */
export const restoreLocked: Stage = {
  name: 'restore-locked',
  sanitizes: true,
  async run(context: GradingContext): Promise<GradingContext> {
    const notebook = context.notebook!;
    const released = new Map<string, Cell>();
    for (const cell of context.run.assignment.released.cells) {
      const gradeId = gradeIdOf(cell);
      if (gradeId !== undefined && (cell.metadata.nbgrader?.locked || cell.metadata.nbgrader?.solution)) released.set(gradeId, cell);
    }
    const present = new Set(notebook.cells.map(gradeIdOf));
    const missing = [...released.keys()].filter((gradeId) => !present.has(gradeId));
    if (missing.length > 0) {
      return { ...context, invalid: `missing required cell${missing.length > 1 ? 's' : ''} ${missing.map((id) => `"${id}"`).join(', ')}` };
    }
    const restored: string[] = [];
    const cells = notebook.cells.map((cell) => {
      const gradeId = gradeIdOf(cell);
      const original = gradeId === undefined ? undefined : released.get(gradeId);
      if (!original?.metadata.nbgrader?.locked || cellChecksum(cell) === original.metadata.nbgrader.checksum) return cell;
      restored.push(gradeId!);
      return { ...cell, cell_type: original.cell_type, source: original.source };
    });
    return { ...context, notebook: { ...notebook, cells }, restoredCells: restored };
  },
};
