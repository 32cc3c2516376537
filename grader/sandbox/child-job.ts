import { cellSource, gradeIdOf, isSkippedWhenGrading, type Notebook } from '../notebook/types';
import type { CellJob, ChildJob } from './protocol';
import type { SandboxLimits } from './limits';
import type { SpecSource } from './specs';

/** The most output kept per cell (characters): enough for error messages, bounded against print loops. */
const CELL_OUTPUT_LIMIT = 20_000;

export const codeCellCount = (notebook: Notebook): number => notebook.cells.filter((cell) => cell.cell_type === 'code').length;

/**
 * How many of the job's first cells are the released notebook's own, in order (same source, same skip): compiled for
 * the same declarations in every submission, once for the cohort, and run before any learner's code.
 */
export function releasedLeadingCells(job: ChildJob, released: Notebook): number {
  const release = childJob(released, [], { cellTimeoutMs: 0, testTimeoutMs: 0 }).cells;
  const differs = job.cells.findIndex((cell, position) => cell.source !== release[position]?.source || cell.skip !== release[position]?.skip);
  return differs < 0 ? job.cells.length : differs;
}

/** The job a sandbox child runs: the code cells in order (skip-when-grading ones marked) and the hidden tests. */
export function childJob(notebook: Notebook, specs: readonly SpecSource[], limits: Pick<SandboxLimits, 'cellTimeoutMs' | 'testTimeoutMs'>): ChildJob {
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
