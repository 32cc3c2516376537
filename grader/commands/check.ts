import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../errors';
import { parseNotebookJson } from '../notebook/format';
import type { Notebook } from '../notebook/types';
import { openNotebook } from '../notebook/open';
import { sandboxLimits } from '../options';
import { childJob } from '../sandbox/child-job';
import { selfChecksOf, type FailedCell, type SelfCheckResult } from '../model/self-checks';
import { Sandbox } from '../sandbox/session';

export interface CheckReport {
  readonly notebook: string;
  readonly checks: readonly SelfCheckResult[];
  /** other cells that failed (compile errors, exceptions), which often explain failing checks */
  readonly failedCells: readonly FailedCell[];
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
