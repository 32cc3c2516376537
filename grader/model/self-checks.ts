import type { Notebook } from '../notebook/types';
import type { SandboxOutcome } from '../sandbox/session';

/** A public self-check cell of an executed notebook, as `convlab check` and the Gradescope results report it. */
export interface SelfCheckResult {
  readonly gradeId: string;
  /** 1-based cell number, as Jupyter users count */
  readonly cell: number;
  readonly passed: boolean;
  /** what the cell printed: one `✓ name` / `✗ name — message` line per check */
  readonly output: string;
  /** why the cell failed: selfCheck's summary of its ✗ lines, or an error thrown before any check ran */
  readonly error?: string;
}

/** A cell of the executed notebook that failed and is not a self-check (a compile error, an exception). */
export interface FailedCell {
  /** 1-based cell number */
  readonly cell: number;
  readonly gradeId?: string;
  readonly error: string;
}

/** The self-check cells of an executed notebook, and its other cells that failed (also for the Gradescope results). */
export function selfChecksOf(notebook: Notebook, outcome: SandboxOutcome): { checks: SelfCheckResult[]; failedCells: FailedCell[] } {
  const checks: SelfCheckResult[] = [];
  const failedCells: FailedCell[] = [];
  for (const cell of outcome.cells) {
    const nbgrader = notebook.cells[cell.index]?.metadata.nbgrader;
    const passed = cell.status === 'ok' || cell.status === 'skipped';
    if (nbgrader?.grade) {
      // The sandbox appends a cell's error to its output; here the two are kept apart.
      const output = cell.error && cell.output.endsWith(cell.error) ? cell.output.slice(0, -cell.error.length) : cell.output;
      checks.push({ gradeId: nbgrader.grade_id, cell: cell.index + 1, passed, output, ...(cell.error ? { error: cell.error } : {}) });
    } else if (!passed) {
      failedCells.push({ cell: cell.index + 1, ...(nbgrader ? { gradeId: nbgrader.grade_id } : {}), error: cell.error ?? cell.status });
    }
  }
  return { checks, failedCells };
}
