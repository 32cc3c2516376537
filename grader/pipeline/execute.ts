import { cellSource, gradeIdOf, isSkippedWhenGrading, type Notebook } from '../notebook/types';
import type { CellJob, ChildJob } from '../sandbox/protocol';
import type { SpecSource } from '../sandbox/specs';
import type { GradingContext, Stage } from './context';

/** The most output kept per cell (characters): enough for error messages, bounded against print loops. */
const CELL_OUTPUT_LIMIT = 20_000;

/** The job a sandbox child runs: the code cells in order (skip-when-grading ones marked) and the hidden tests. */
export function childJob(notebook: Notebook, specs: readonly SpecSource[], timeouts: { cellTimeoutMs: number; testTimeoutMs: number }): ChildJob {
  const cells: CellJob[] = [];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const gradeId = gradeIdOf(cell);
    cells.push({ index, source: cellSource(cell), skip: isSkippedWhenGrading(cell), ...(gradeId !== undefined ? { gradeId } : {}) });
  });
  return {
    cells,
    specs,
    cellTimeoutMs: timeouts.cellTimeoutMs,
    testTimeoutMs: timeouts.testTimeoutMs,
    outputLimit: CELL_OUTPUT_LIMIT,
  };
}

/** Runs the notebook's cells in a sandbox child (specs loaded first); resolves once every cell has run. */
export const execute: Stage = {
  name: 'execute',
  sanitizes: false,
  async run(context: GradingContext): Promise<GradingContext> {
    let executed!: () => void;
    const cellsDone = new Promise<void>((resolve) => { executed = resolve; });
    const { run } = context;
    const job = childJob(context.notebook!, run.assignment.specs, { cellTimeoutMs: run.limits.cellTimeoutMs, testTimeoutMs: run.testTimeoutMs });
    const execution = run.takeSandbox().run(job, executed);
    await Promise.race([cellsDone, execution]);
    return { ...context, execution };
  },
};
