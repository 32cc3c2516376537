import type { CellSource, Gradebook } from '../gradebook/store';
import { MAX_OUTSIDE_ATTEMPTS, type SubmissionResult } from '../model/results';
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
 * Signals that stop a child from outside: the grader marks why before it kills (a timeout), and the submission
 * cannot signal (harden.ts takes process.kill away), so a child stopped by one of these was killed by the OOM killer,
 * an operator or a shutdown. Its own crashes (SIGSEGV, SIGABRT of a full heap) and exits stay its result.
 */
const OUTSIDE_SIGNALS: ReadonlySet<string> = new Set(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP']);

/**
 * Whether the submission did not cause its result: its child was killed from outside, or a stage failed with an
 * `OutsideFailure` (an outcome the queue refused, a worker's own breakdown). (A queue worker that vanished is
 * re-delivered by the queue itself, 3 times in all, before the run records a failure: that one stands.)
 */
export function failedOutside(context: GradingContext): boolean {
  if (context.failedOutside === true) return true;
  if (context.invalid !== undefined || context.failure !== undefined) return false;
  const { termination, signal } = context.outcome ?? {};
  return termination === 'crash' && signal !== undefined && OUTSIDE_SIGNALS.has(signal);
}

/**
 * The result as recorded: a failure outside the submission is counted (the gradebook's earlier count under this setup
 * plus one) and its error says so, and whether the next run grades it again.
 */
function countedOutside(result: SubmissionResult, gradebook: Gradebook, fingerprint: string): SubmissionResult {
  const failures = (gradebook.find(result.assignment, result.student, result.contentHash, fingerprint)?.outsideFailures ?? 0) + 1;
  const next = failures < MAX_OUTSIDE_ATTEMPTS ? `the next run grades it again (attempt ${failures} of ${MAX_OUTSIDE_ATTEMPTS})`
    : `failed so ${failures} times in a row, it is not graded again (--force grades it again)`;
  return { ...result, outsideFailures: failures, error: `${result.error ?? 'not graded'}; not caused by the submission: ${next}` };
}

/**
 * Writes the attempt, its tests and its exercise cells (with the released starter code they are compared against)
 * to the gradebook in one transaction (the only stage that writes SQLite).
 */
export const record: Stage = {
  name: 'record',
  sanitizes: false,
  async run(context: GradingContext): Promise<GradingContext> {
    const { gradebook, fingerprint } = context.run;
    if (!context.result || context.result.unchanged || !gradebook) return context;
    const result = failedOutside(context) ? countedOutside(context.result, gradebook, fingerprint.id) : context.result;
    gradebook.record(result, fingerprint, { exercises: exerciseCells(context.notebook), released: exerciseCells(context.run.assignment.released) });
    return { ...context, result };
  },
};
