/**
 * The LMS export: one row per learner, one column per assignment (points of the current attempt) plus the total.
 * A missing submission is an empty cell, so an LMS import leaves it ungraded instead of recording a zero.
 */
import { formatCsv } from './csv';
import { formatPoints, type CohortReport } from './model';

export function formatScoresCsv(report: CohortReport): string {
  const header = ['id', 'name', 'email', ...report.assignments.map((assignment) => assignment.name), 'total'];
  const rows = report.learners.map((learner) => [
    learner.id,
    learner.name ?? '',
    learner.email ?? '',
    ...learner.cells.map((cell) => (cell.score === null ? '' : formatPoints(cell.score))),
    formatPoints(learner.total),
  ]);
  return formatCsv([header, ...rows]);
}
