import { NAME_SEPARATOR, type ListedTest } from '../sandbox/specs';
import { finalScoreOf, maxScoreOf, penaltyOf, scoreOf, type SubmissionResult, type TestResult } from './results';

/**
 * Learner feedback: one model (summary, notes, failures grouped by exercise, then passes) rendered three ways —
 * Markdown and HTML files, and plain text for Gradescope's `output`. Learners see test titles, points, the status in
 * words, their own code's errors and the instructor's hints; never a hidden input or expected value.
 */

/** What became of one test, as a learner should read it: "not implemented yet" is not the same as "wrong". */
export type TestVerdict = 'passed' | 'not implemented' | 'wrong' | 'error' | 'timeout';
/** An exercise is every test under the same top-level `describe` (by convention named after the function to write). */
export type ExerciseState = 'passed' | 'failed' | 'not attempted';

export interface FeedbackTest {
  readonly title: string;
  readonly verdict: TestVerdict;
  readonly score: number;
  readonly maxScore: number;
  readonly feedback: string;
  readonly hint?: string;
}

export interface FeedbackExercise {
  readonly name: string;
  readonly state: ExerciseState;
  readonly passed: number;
  readonly score: number;
  readonly maxScore: number;
  readonly tests: readonly FeedbackTest[];
}

export interface FeedbackModel {
  readonly headline: string;
  readonly notes: readonly string[];
  readonly exercises: readonly FeedbackExercise[];
}

/** Tests that sit outside any `describe` block (checks on the whole notebook). */
const WHOLE_NOTEBOOK = 'whole notebook';
/** The release's stubs throw `Error("Not implemented: <grade_id>")`; the learner's own error reaches their feedback. */
const NOT_IMPLEMENTED = /Error in your code: (?:\w*Error: )?Not implemented: /;

export const SELF_CHECK_NOTE = 'The self-checks in your notebook try only some cases; the grader\'s tests check more cases, '
  + 'so a notebook whose self-checks all pass can still lose points here.';

/** The exercise a test belongs to and its title within it: `"iou › handles …"` → `["iou", "handles …"]`. */
export function splitTestName(name: string): [exercise: string, title: string] {
  const separator = name.indexOf(NAME_SEPARATOR);
  return separator < 0 ? [WHOLE_NOTEBOOK, name] : [name.slice(0, separator), name.slice(separator + NAME_SEPARATOR.length)];
}

export const exerciseOf = (name: string): string => splitTestName(name)[0];

export function verdictOf(test: TestResult): TestVerdict {
  if (test.status === 'passed') return 'passed';
  if (test.status === 'error' && NOT_IMPLEMENTED.test(test.feedback)) return 'not implemented';
  if (test.status === 'failed') return 'wrong';
  return test.status;
}

/** The result with each test's instructor hint (from the hidden tests' titles) attached, matched by test name. */
export function withHints(result: SubmissionResult, listed: readonly ListedTest[]): SubmissionResult {
  const hints = new Map(listed.flatMap((test) => (test.hint !== undefined ? [[test.name, test.hint] as const] : [])));
  if (hints.size === 0) return result;
  return { ...result, tests: result.tests.map((test) => (hints.has(test.name) ? { ...test, hint: hints.get(test.name)! } : test)) };
}

const points = (value: number): string => `${value} pt${value === 1 ? '' : 's'}`;
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
const round = (value: number): number => Math.round(value * 1000) / 1000;

function stateOf(tests: readonly FeedbackTest[]): ExerciseState {
  if (tests.every((test) => test.verdict === 'passed')) return 'passed';
  if (tests.every((test) => test.verdict === 'not implemented')) return 'not attempted';
  return 'failed';
}

/** Groups the tests by exercise, in the order the hidden tests run. */
function exercisesOf(tests: readonly TestResult[]): FeedbackExercise[] {
  const groups = new Map<string, FeedbackTest[]>();
  for (const test of tests) {
    const [exercise, title] = splitTestName(test.name);
    const verdict = verdictOf(test);
    const group = groups.get(exercise) ?? [];
    group.push({ title, verdict, score: test.score, maxScore: test.maxScore, feedback: test.feedback,
      // a hint helps someone whose code is wrong, not someone who has not started
      ...(test.hint !== undefined && verdict !== 'passed' && verdict !== 'not implemented' ? { hint: test.hint } : {}) });
    groups.set(exercise, group);
  }
  return [...groups].map(([name, group]) => ({
    name, state: stateOf(group), passed: group.filter((test) => test.verdict === 'passed').length,
    score: round(group.reduce((sum, test) => sum + test.score, 0)), maxScore: round(group.reduce((sum, test) => sum + test.maxScore, 0)),
    tests: group,
  }));
}

/** Notes about the whole submission a learner should know: lateness, why it was not fully graded, what was repaired. */
function notesOf(result: SubmissionResult): string[] {
  const lines: string[] = [];
  const { lateness } = result;
  if (lateness !== undefined && penaltyOf(result) > 0) {
    lines.push(`Submitted ${plural(lateness.daysLate, 'day')} after the due date (${lateness.dueAt}): `
      + `${scoreOf(result)} points from the tests, minus a late penalty of ${penaltyOf(result)} (${lateness.penaltyPercent}%), `
      + `gives ${finalScoreOf(result)} / ${maxScoreOf(result)}.`);
  }
  if (result.status !== 'graded') lines.push(`Your notebook could not be graded completely (${result.status}): ${result.error ?? ''}`);
  if (result.restoredCells.length > 0) {
    lines.push(`These locked cells had been edited and were restored before grading: ${result.restoredCells.join(', ')}.`);
  }
  if (result.reinsertedCells?.length) {
    lines.push(`These cells were missing and were put back from the released notebook before grading: ${result.reinsertedCells.join(', ')}.`);
  }
  lines.push(...result.repairs ?? []);
  return lines;
}

export function feedbackModel(result: SubmissionResult): FeedbackModel {
  return {
    headline: `${result.assignment} — ${result.student}: ${finalScoreOf(result)} / ${maxScoreOf(result)}`,
    notes: notesOf(result),
    exercises: exercisesOf(result.tests),
  };
}

/** One summary line per exercise, e.g. "iou: failed — 14 of 16 tests passed, 15 / 17 pts". */
function summaryLine(exercise: FeedbackExercise): string {
  const detail = exercise.state === 'not attempted' ? 'not implemented yet'
    : `${exercise.passed} of ${plural(exercise.tests.length, 'test')} passed`;
  return `${exercise.name}: ${exercise.state} — ${detail}, ${exercise.score} / ${points(exercise.maxScore)}`;
}

const VERDICT_MARK: Readonly<Record<TestVerdict, string>> = {
  passed: '✓', wrong: '✗', 'not implemented': '…', error: '!', timeout: '⏱',
};

/** The lines of one test in the "to fix" part: title, points, what went wrong and the hint. */
function failureText(test: FeedbackTest): { line: string; hint?: string } {
  return { line: `${VERDICT_MARK[test.verdict]} ${test.title} (${test.score} / ${points(test.maxScore)}): ${test.feedback}`,
    ...(test.hint !== undefined ? { hint: `Hint: ${test.hint}` } : {}) };
}

/** "Not implemented yet" once for an exercise nobody has started, instead of one line per waiting test. */
const notAttemptedText = (exercise: FeedbackExercise): string =>
  `Not implemented yet: the exercise cell still throws "Not implemented". Its ${plural(exercise.tests.length, 'test')} `
  + `(${points(exercise.maxScore)}) will run once you write it.`;

const toFix = (model: FeedbackModel): FeedbackExercise[] => model.exercises.filter((exercise) => exercise.state !== 'passed');
const failuresOf = (exercise: FeedbackExercise): FeedbackTest[] => exercise.tests.filter((test) => test.verdict !== 'passed');
const passesOf = (model: FeedbackModel): { exercise: string; test: FeedbackTest }[] =>
  model.exercises.flatMap((exercise) => exercise.tests.filter((test) => test.verdict === 'passed').map((test) => ({ exercise: exercise.name, test })));

/** Learner feedback as plain text, e.g. for Gradescope's `output`. */
export function toFeedbackText(result: SubmissionResult): string {
  const model = feedbackModel(result);
  const lines = [model.headline, '', ...model.exercises.map((exercise) => `  ${summaryLine(exercise)}`), ''];
  for (const note of model.notes) lines.push(note, '');
  lines.push(SELF_CHECK_NOTE, '');
  for (const exercise of toFix(model)) {
    lines.push(`To fix in ${exercise.name}:`);
    if (exercise.state === 'not attempted') lines.push(`  ${notAttemptedText(exercise)}`);
    else {
      for (const test of failuresOf(exercise)) {
        const { line, hint } = failureText(test);
        lines.push(`  ${line}`, ...(hint !== undefined ? [`    ${hint}`] : []));
      }
    }
    lines.push('');
  }
  const passes = passesOf(model);
  if (passes.length > 0) lines.push('Passed:', ...passes.map(({ exercise, test }) => `  ✓ ${exercise} › ${test.title} (${points(test.maxScore)})`), '');
  return lines.join('\n');
}

const escapeMarkdown = (text: string): string => text.replace(/([\\`*_|<>[\]])/g, '\\$1').replace(/\r?\n/g, ' ');

/** Learner feedback as Markdown. */
export function toFeedbackMarkdown(result: SubmissionResult): string {
  const model = feedbackModel(result);
  const lines = [`# ${escapeMarkdown(model.headline)}`, '', '| Exercise | State | Tests passed | Points |', '|---|---|---|---|',
    ...model.exercises.map((exercise) => `| ${escapeMarkdown(exercise.name)} | ${exercise.state} | ${exercise.passed} / ${exercise.tests.length} `
      + `| ${exercise.score} / ${points(exercise.maxScore)} |`), ''];
  for (const note of model.notes) lines.push(`> ${escapeMarkdown(note)}`, '');
  lines.push(`*${SELF_CHECK_NOTE}*`, '');
  const fix = toFix(model);
  if (fix.length > 0) lines.push('## To fix', '');
  for (const exercise of fix) {
    lines.push(`### ${escapeMarkdown(exercise.name)}`, '');
    if (exercise.state === 'not attempted') lines.push(notAttemptedText(exercise), '');
    else {
      for (const test of failuresOf(exercise)) {
        const { line, hint } = failureText(test);
        lines.push(`- ${escapeMarkdown(line)}`, ...(hint !== undefined ? [`  - ${escapeMarkdown(hint)}`] : []));
      }
      lines.push('');
    }
  }
  const passes = passesOf(model);
  if (passes.length > 0) {
    lines.push('## Passed', '', ...passes.map(({ exercise, test }) => `- ✓ ${escapeMarkdown(`${exercise} › ${test.title}`)} (${points(test.maxScore)})`), '');
  }
  return lines.join('\n');
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);

const STATE_CLASS: Readonly<Record<ExerciseState, string>> = { passed: 'passed', failed: 'failed', 'not attempted': 'not-attempted' };

/** Learner feedback as a self-contained HTML page (no scripts, no external resources). */
export function toFeedbackHtml(result: SubmissionResult): string {
  const model = feedbackModel(result);
  const summary = model.exercises.map((exercise) => `<tr class="${STATE_CLASS[exercise.state]}"><td>${escapeHtml(exercise.name)}</td>`
    + `<td>${exercise.state}</td><td>${exercise.passed} / ${exercise.tests.length}</td><td>${exercise.score} / ${points(exercise.maxScore)}</td></tr>`);
  const fix = toFix(model).map((exercise) => {
    const body = exercise.state === 'not attempted' ? `<p>${escapeHtml(notAttemptedText(exercise))}</p>`
      : `<ul>${failuresOf(exercise).map((test) => {
        const { line, hint } = failureText(test);
        return `<li class="${test.verdict.replace(' ', '-')}">${escapeHtml(line)}${hint !== undefined ? `<br><span class="hint">${escapeHtml(hint)}</span>` : ''}</li>`;
      }).join('\n')}</ul>`;
    return `<h3>${escapeHtml(exercise.name)}</h3>\n${body}`;
  });
  const passes = passesOf(model);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(model.headline)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto}table{border-collapse:collapse}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}.passed td:nth-child(2){color:#080}.failed td:nth-child(2){color:#b00}.not-attempted td:nth-child(2){color:#666}.hint{color:#05a}.note{font-style:italic}</style>
</head>
<body>
<h1>${escapeHtml(model.headline)}</h1>
<table><thead><tr><th>Exercise</th><th>State</th><th>Tests passed</th><th>Points</th></tr></thead>
<tbody>
${summary.join('\n')}
</tbody></table>
${model.notes.map((note) => `<p>${escapeHtml(note)}</p>`).join('\n')}
<p class="note">${escapeHtml(SELF_CHECK_NOTE)}</p>
${fix.length > 0 ? `<h2>To fix</h2>\n${fix.join('\n')}` : ''}
${passes.length > 0 ? `<h2>Passed</h2>\n<ul>${passes.map(({ exercise, test }) => `<li class="passed">✓ ${escapeHtml(`${exercise} › ${test.title}`)} (${points(test.maxScore)})</li>`).join('\n')}</ul>` : ''}
</body>
</html>
`;
}
