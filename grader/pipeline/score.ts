import { testsNotRun, type SubmissionResult, type SubmissionStatus } from '../model/results';
import type { SandboxLimits } from '../sandbox/limits';
import type { SandboxOutcome } from '../sandbox/session';
import type { GradingContext, Stage } from './context';

/** Names a cell for instructors and learners: its position and, when it has one, its grade_id. */
function describeCell(context: GradingContext, index: number | undefined): string {
  if (index === undefined) return 'while running the hidden tests';
  const gradeId = context.notebook?.cells[index]?.metadata.nbgrader?.grade_id;
  return `while running cell ${index + 1}${gradeId !== undefined ? ` (${gradeId})` : ''}`;
}

/** The submission's status and, unless it was graded normally, why. */
export function statusOf(context: GradingContext, outcome: SandboxOutcome, limits: SandboxLimits): { status: SubmissionStatus; error?: string } {
  const where = describeCell(context, outcome.runningCell);
  switch (outcome.termination) {
    case undefined:
      return { status: 'graded' };
    case 'timeout':
      return { status: 'timeout', error: `timed out after ${limits.timeoutMs / 1000} s ${where}` };
    case 'cell-timeout':
      return { status: 'timeout', error: `a cell ran longer than ${limits.cellTimeoutMs / 1000} s ${where}` };
    case 'memory':
      return { status: 'error', error: `ran out of memory (limit ${limits.maxOldSpaceMb} MiB) ${where}` };
    case 'crash': {
      const how = outcome.signal !== undefined ? `signal ${outcome.signal}` : `exit code ${outcome.exitCode}`;
      return { status: 'error', error: `the grading process stopped (${how}) ${where}` };
    }
    case 'fatal':
      return { status: 'error', error: `the grader failed: ${outcome.fatal ?? 'unknown error'}` };
  }
}

/** Builds the submission's result record from what the earlier stages found. */
export const score: Stage = {
  name: 'score',
  sanitizes: false,
  async run(context: GradingContext): Promise<GradingContext> {
    if (context.result) return context;
    const { run, source } = context;
    const outcome = context.outcome;
    const verdict = context.invalid !== undefined ? { status: 'invalid' as const, error: context.invalid }
      : context.failure !== undefined ? { status: 'error' as const, error: context.failure }
      : outcome ? statusOf(context, outcome, run.limits) : { status: 'error' as const, error: 'the submission was not executed' };
    const tests = context.tests ?? testsNotRun(run.assignment.tests, 'error', verdict.error ?? 'not run');
    const result: SubmissionResult = {
      submission: source.label,
      student: source.student,
      assignment: run.assignment.name,
      ...verdict,
      tests,
      restoredCells: context.restoredCells ?? [],
      ...(context.reinsertedCells?.length ? { reinsertedCells: context.reinsertedCells } : {}),
      ...(context.repairs?.length ? { repairs: context.repairs } : {}),
      contentHash: context.contentHash ?? '',
      submittedAt: source.submittedAt.toISOString(),
      gradedAt: new Date().toISOString(),
      durationMs: Date.now() - context.startedAt,
      unchanged: false,
      ...(context.regraded !== undefined ? { regraded: context.regraded } : {}),
    };
    return { ...context, result };
  },
};
