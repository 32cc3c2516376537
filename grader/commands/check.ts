import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../errors';
import { parseNotebookJson } from '../notebook/format';
import type { Notebook } from '../notebook/types';
import { notebookProblems } from '../notebook/validate';
import { sandboxLimits } from '../options';
import { childJob } from '../sandbox/job';
import { Sandbox } from '../sandbox/session';

export interface SelfCheckResult {
  readonly gradeId: string;
  /** 1-based cell number, as Jupyter users count */
  readonly cell: number;
  readonly passed: boolean;
  /** what the cell printed: one `✓ name` / `✗ name — message` line per check */
  readonly output: string;
  readonly error?: string;
}

export interface CheckReport {
  readonly notebook: string;
  readonly checks: readonly SelfCheckResult[];
  /** other cells that failed (compile errors, exceptions), which often explain failing checks */
  readonly failedCells: readonly { readonly cell: number; readonly gradeId?: string; readonly error: string }[];
  /** why execution stopped early, if it did */
  readonly stopped?: string;
}

function readLearnerNotebook(path: string): Notebook {
  if (!existsSync(path)) throw new UsageError(`no such notebook: "${path}"`);
  let value: unknown;
  try {
    value = parseNotebookJson(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot check "${path}": ${(error as Error).message}`);
  }
  const problems = notebookProblems(value);
  if (problems.length > 0) throw new UsageError(`cannot check "${path}": ${problems.join('; ')}`);
  return value as Notebook;
}

/** `convlab check`: runs a notebook in the grader's sandbox and reports its public self-check cells. */
export async function check(path: string): Promise<CheckReport> {
  const notebook = readLearnerNotebook(path);
  const limits = sandboxLimits();
  const job = childJob(notebook, [], limits);
  const outcome = await new Sandbox(limits).run(job);
  const checks: SelfCheckResult[] = [];
  const failedCells: CheckReport['failedCells'][number][] = [];
  for (const cell of outcome.cells) {
    const nbgrader = notebook.cells[cell.index]?.metadata.nbgrader;
    const passed = cell.status === 'ok' || cell.status === 'skipped';
    if (nbgrader?.grade) {
      checks.push({ gradeId: nbgrader.grade_id, cell: cell.index + 1, passed, output: cell.output, ...(cell.error ? { error: cell.error } : {}) });
    } else if (!passed) {
      failedCells.push({ cell: cell.index + 1, ...(nbgrader ? { gradeId: nbgrader.grade_id } : {}), error: cell.error ?? cell.status });
    }
  }
  const stopped = outcome.termination === undefined ? undefined
    : `execution stopped (${outcome.termination}) at cell ${(outcome.runningCell ?? 0) + 1}`;
  return { notebook: path, checks, failedCells, ...(stopped ? { stopped } : {}) };
}

/** The human-readable check report. */
export function formatCheckReport(report: CheckReport): string {
  const lines = [`${report.notebook}: ${report.checks.filter((c) => c.passed).length} of ${report.checks.length} self-check cells pass`];
  for (const result of report.checks) {
    lines.push(`${result.passed ? '✓' : '✗'} ${result.gradeId} (cell ${result.cell})`);
    lines.push(...result.output.trimEnd().split('\n').filter(Boolean).map((line) => `    ${line}`));
  }
  for (const cell of report.failedCells) {
    lines.push(`! cell ${cell.cell}${cell.gradeId ? ` (${cell.gradeId})` : ''} failed: ${cell.error.trim().split('\n')[0]}`);
  }
  if (report.stopped) lines.push(`! ${report.stopped}`);
  return lines.join('\n');
}
