import type { SkippedSubmission } from '../inputs/collect';
import { finalScoreOf, maxScoreOf, penaltyOf, regradeCounts, scoreOf, type GradingReport, type SubmissionResult } from './results';

function note(result: SubmissionResult): string {
  const parts: string[] = [];
  if (result.unchanged) parts.push('unchanged, not regraded');
  if (result.regraded !== undefined) parts.push(`regraded: ${result.regraded.join(', ')}`);
  if (result.error !== undefined) parts.push(result.error);
  if (result.restoredCells.length > 0) parts.push(`restored locked cells: ${result.restoredCells.join(', ')}`);
  if (result.reinsertedCells?.length) parts.push(`re-inserted deleted cells: ${result.reinsertedCells.join(', ')}`);
  if (result.lateness && result.lateness.daysLate > 0) parts.push(`${result.lateness.daysLate} days late`);
  if (result.lateness?.lmsLate) parts.push('LMS: late');
  return parts.join('; ');
}

const percent = (score: number, max: number): string => (max === 0 ? '–' : `${((100 * score) / max).toFixed(1)}%`);

/** "12 regraded: hidden tests changed", one line per set of reasons. */
export function regradeSummary(report: GradingReport): string[] {
  return [...regradeCounts(report.results)].map(([reasons, count]) => `${count} regraded: ${reasons}`);
}

/**
 * The score table printed after grading: one row per submission, aligned columns, notes last. Raw score and penalty
 * get their own columns only when some submission has a penalty; the score column is always the final score.
 */
export function toScoreTable(report: GradingReport): string {
  const penalized = report.results.some((result) => penaltyOf(result) > 0);
  const header = ['student', 'status', ...(penalized ? ['raw', 'penalty'] : []), 'score', '%', 'notes'];
  const rows = report.results.map((result) => [
    result.student, result.status,
    ...(penalized ? [String(scoreOf(result)), penaltyOf(result) > 0 ? `-${penaltyOf(result)}` : ''] : []),
    `${finalScoreOf(result)} / ${maxScoreOf(result)}`, percent(finalScoreOf(result), maxScoreOf(result)), note(result),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  const graded = report.results.filter((result) => result.status === 'graded').length;
  return [
    `${report.assignment}: ${report.results.length} submission${report.results.length === 1 ? '' : 's'}, ${graded} graded, max ${report.maxScore} pts`,
    ...regradeSummary(report),
    line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line),
  ].join('\n');
}

/** A run's summary: each assignment's score table, then the files it skipped and why. */
export function toRunSummary(reports: readonly GradingReport[], skipped: readonly SkippedSubmission[]): string {
  const skippedLines = skipped.length === 0 ? []
    : [`skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'}:`, ...skipped.map((file) => `  ${file.label}: ${file.reason}`)];
  return [...reports.map(toScoreTable), ...skippedLines.length > 0 ? [skippedLines.join('\n')] : []].join('\n\n');
}
