import { finalScoreOf, maxScoreOf, penaltyOf, scoreOf, type SubmissionResult } from './results';

const STATUS_MARK = { passed: '✓', failed: '✗', error: '!', timeout: '⏱' } as const;

const points = (value: number): string => `${value} pt${value === 1 ? '' : 's'}`;

function headline(result: SubmissionResult): string {
  return `${result.assignment} — ${result.student}: ${finalScoreOf(result)} / ${maxScoreOf(result)}`;
}

/** Raw score, penalty and final score, when the assignment has a due date and this submission was late. */
function lateNote(result: SubmissionResult): string | undefined {
  const { lateness } = result;
  if (lateness === undefined || penaltyOf(result) === 0) return undefined;
  return `Submitted ${lateness.daysLate} day${lateness.daysLate === 1 ? '' : 's'} after the due date (${lateness.dueAt}): `
    + `${scoreOf(result)} points from the tests, minus a late penalty of ${penaltyOf(result)} (${lateness.penaltyPercent}%), `
    + `gives ${finalScoreOf(result)} / ${maxScoreOf(result)}.`;
}

/** Notes about the whole submission a learner should know: why it was not fully graded, what was repaired, lateness. */
function notes(result: SubmissionResult): string[] {
  const lines: string[] = [];
  const late = lateNote(result);
  if (late !== undefined) lines.push(late);
  if (result.status !== 'graded') lines.push(`Your notebook could not be graded completely (${result.status}): ${result.error ?? ''}`);
  if (result.restoredCells.length > 0) {
    lines.push(`These locked cells had been edited and were restored before grading: ${result.restoredCells.join(', ')}.`);
  }
  if (result.reinsertedCells?.length) {
    lines.push(`These cells were missing and were put back from the released notebook before grading: ${result.reinsertedCells.join(', ')}.`);
  }
  lines.push(...result.repairs ?? []);
  const lateness = result.lateness;
  if (lateness && lateness.daysLate > 0) {
    lines.push(`Handed in ${lateness.daysLate} day${lateness.daysLate === 1 ? '' : 's'} after the due date (${lateness.dueAt}): `
      + `${lateness.penaltyPercent}% off, ${scoreOf(result)} − ${penaltyOf(result)} = ${finalScoreOf(result)} pts.`);
  }
  return lines;
}

/** Learner feedback as Markdown: test titles, points and learner-safe messages only. */
export function toFeedbackMarkdown(result: SubmissionResult): string {
  const rows = result.tests.map((test) =>
    `| ${STATUS_MARK[test.status]} | ${escapeCell(test.name)} | ${test.score} / ${points(test.maxScore)} | ${escapeCell(test.feedback)} |`);
  return [
    `# ${headline(result)}`, '',
    ...notes(result).flatMap((note) => [`> ${note}`, '']),
    '| | Test | Points | Feedback |', '|---|---|---|---|', ...rows, '',
  ].join('\n');
}

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);

/** Learner feedback as a self-contained HTML page (no scripts, no external resources). */
export function toFeedbackHtml(result: SubmissionResult): string {
  const rows = result.tests.map((test) => `<tr class="${test.status}"><td>${STATUS_MARK[test.status]}</td>`
    + `<td>${escapeHtml(test.name)}</td><td>${test.score} / ${points(test.maxScore)}</td><td>${escapeHtml(test.feedback)}</td></tr>`);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(headline(result))}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto}table{border-collapse:collapse}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}.passed td:first-child{color:#080}.failed td:first-child,.error td:first-child,.timeout td:first-child{color:#b00}</style>
</head>
<body>
<h1>${escapeHtml(headline(result))}</h1>
${notes(result).map((note) => `<p>${escapeHtml(note)}</p>`).join('\n')}
<table><thead><tr><th></th><th>Test</th><th>Points</th><th>Feedback</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</body>
</html>
`;
}
