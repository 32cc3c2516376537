import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../errors';
import { parseNotebookJson } from '../notebook/format';
import type { Notebook } from '../notebook/types';
import { openNotebook } from '../notebook/open';
import { sandboxLimits } from '../options';
import { childJob } from '../sandbox/job';
import { Sandbox, type SandboxOutcome } from '../sandbox/session';

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
  const opened = openNotebook(value);
  if (opened.problems) throw new UsageError(`cannot check "${path}": ${opened.problems.join('; ')}`);
  return opened.notebook;
}

/** `convlab check`: runs a notebook in the grader's sandbox and reports its public self-check cells. */
export async function check(path: string): Promise<CheckReport> {
  const notebook = readLearnerNotebook(path);
  const limits = sandboxLimits();
  const job = childJob(notebook, [], limits);
  const outcome = await new Sandbox(limits).run(job);
  const { checks, failedCells } = selfChecksOf(notebook, outcome);
  const stopped = outcome.termination === undefined ? undefined
    : `execution stopped (${outcome.termination}) at cell ${(outcome.runningCell ?? 0) + 1}`;
  return { notebook: path, checks, failedCells, ...(stopped ? { stopped } : {}) };
}

/** The self-check cells of an executed notebook, and its other cells that failed (also for the Gradescope results). */
export function selfChecksOf(notebook: Notebook, outcome: SandboxOutcome): Pick<CheckReport, 'checks' | 'failedCells'> {
  const checks: SelfCheckResult[] = [];
  const failedCells: CheckReport['failedCells'][number][] = [];
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

const firstLine = (text: string): string => text.trim().split('\n')[0]!;

/** The human-readable check report. */
export function formatCheckReport(report: CheckReport): string {
  const lines = [`${report.notebook}: ${report.checks.filter((c) => c.passed).length} of ${report.checks.length} self-check cells pass`];
  for (const result of report.checks) {
    lines.push(`${result.passed ? '✓' : '✗'} ${result.gradeId} (cell ${result.cell})`);
    const printed = result.output.trimEnd().split('\n').filter(Boolean);
    lines.push(...printed.map((line) => `    ${line}`));
    // selfCheck's error only sums up the ✗ lines above; any other error is why no check could run.
    if (result.error && !printed.some((line) => line.startsWith('✗'))) lines.push(`    ! ${firstLine(result.error)}`);
  }
  for (const cell of report.failedCells) {
    lines.push(`! cell ${cell.cell}${cell.gradeId ? ` (${cell.gradeId})` : ''} failed: ${firstLine(cell.error)}`);
  }
  if (report.stopped) lines.push(`! ${report.stopped}`);
  return lines.join('\n');
}
