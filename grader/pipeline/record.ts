import type { CellSource } from '../gradebook/store';
import { cellSource, gradeIdOf, type Notebook } from '../notebook/types';
import type { GradingContext, Stage } from './context';

/** The code of a notebook's exercise (solution) cells, by grade_id. */
export function exerciseCells(notebook: Notebook | undefined): CellSource[] {
  return (notebook?.cells ?? []).flatMap((cell) => {
    const gradeId = gradeIdOf(cell);
    return cell.cell_type === 'code' && cell.metadata.nbgrader?.solution === true && gradeId !== undefined
      ? [{ gradeId, source: cellSource(cell) }] : [];
  });
}

/**
 * Writes the attempt, its tests and its exercise cells (with the released starter code they are compared against)
 * to the gradebook in one transaction (the only stage that writes SQLite).
 */
export const record: Stage = {
  name: 'record',
  sanitizes: false,
  async run(context: GradingContext): Promise<GradingContext> {
    if (!context.result || context.result.unchanged) return context;
    context.run.gradebook?.record(context.result, context.run.fingerprint,
      { exercises: exerciseCells(context.notebook), released: exerciseCells(context.run.assignment.released) });
    return context;
  },
};
