import { cellSource, gradeIdOf, isSkippedWhenGrading, type Notebook } from '../notebook/types';
import type { CellJob, ChildJob } from './protocol';
import type { SandboxLimits } from './session';
import type { SpecSource } from './specs';

/** The most output kept per cell (characters): enough for error messages, bounded against print loops. */
const CELL_OUTPUT_LIMIT = 20_000;

/** The job a sandbox child runs: the code cells in order (skip-when-grading ones marked) and the hidden tests. */
export function childJob(notebook: Notebook, specs: readonly SpecSource[], limits: SandboxLimits): ChildJob {
  const cells: CellJob[] = [];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const gradeId = gradeIdOf(cell);
    cells.push({ index, source: cellSource(cell), skip: isSkippedWhenGrading(cell), ...(gradeId !== undefined ? { gradeId } : {}) });
  });
  return {
    cells,
    specs,
    cellTimeoutMs: limits.cellTimeoutMs,
    testTimeoutMs: limits.testTimeoutMs,
    outputLimit: CELL_OUTPUT_LIMIT,
  };
}
