import type { SkippedSubmission } from '../inputs/collect';
import { finalScoreOf, maxScoreOf, penaltyOf, scoreOf, type GradingReport } from './results';

/** The `--json` document, exactly as the contract in the brief/README defines it. */
export function toJsonDocument(report: GradingReport): object {
  return {
    assignment: report.assignment,
    results: report.results.map((result) => ({
      submission: result.submission,
      student: result.student,
      status: result.status,
      // score is the final score; raw score, penalty and lateness appear only when the assignment has a due date
      score: finalScoreOf(result),
      maxScore: maxScoreOf(result),
      ...(result.lateness !== undefined
        ? { rawScore: scoreOf(result), penalty: penaltyOf(result), lateness: result.lateness }
        : {}),
      ...(result.regraded !== undefined ? { regraded: result.regraded } : {}),
      ...(result.error !== undefined ? { error: result.error } : {}),
      tests: result.tests.map((test) => ({
        name: test.name,
        status: test.status,
        score: test.score,
        maxScore: test.maxScore,
        ...(test.message !== undefined ? { message: test.message } : {}),
      })),
    })),
  };
}

/**
 * The `--json` output of a run: one assignment's document (as above, with `skipped` when files were skipped), or for
 * several assignments `{"assignments": [document, ...], "skipped": [...]}`.
 */
export function toJsonOutput(reports: readonly GradingReport[], skipped: readonly SkippedSubmission[]): object {
  const withSkipped = skipped.length > 0 ? { skipped } : {};
  if (reports.length === 1) return { ...toJsonDocument(reports[0]!), ...withSkipped };
  return { assignments: reports.map(toJsonDocument), ...withSkipped };
}
