/**
 * The LMS export: one row per learner, one column per assignment (points that count, after any late penalty, of the
 * current attempt) plus the total. A missing submission is an empty cell, so an LMS import leaves it ungraded instead
 * of recording a zero. When any learner has a late penalty, each assignment also gets its raw score and penalty
 * columns, after the final scores.
 */
import { formatCsv } from './csv';
import { formatPoints, type CohortReport } from './model';

export function formatScoresCsv(report: CohortReport): string {
  const penalized = report.learners.some((learner) => learner.cells.some((cell) => cell.penalty > 0));
  const points = (value: number | null): string => (value === null ? '' : formatPoints(value));
  const header = [
    'id', 'name', 'email', ...report.assignments.map((assignment) => assignment.name), 'total',
    ...(penalized ? report.assignments.flatMap(({ name }) => [`${name} raw`, `${name} penalty`]) : []),
  ];
  const rows = report.learners.map((learner) => [
    learner.id,
    learner.name ?? '',
    learner.email ?? '',
    ...learner.cells.map((cell) => points(cell.score)),
    formatPoints(learner.total),
    ...(penalized ? learner.cells.flatMap((cell) => [points(cell.rawScore), cell.rawScore === null ? '' : formatPoints(cell.penalty)]) : []),
  ]);
  return formatCsv([header, ...rows]);
}
