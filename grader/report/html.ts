/**
 * The view: one self-contained HTML page. Every chart sits above an HTML table with its numbers, so the page reads
 * without JavaScript; with it, the inlined Vega-Lite runtime draws the charts and folds the tables.
 */
import type { Chart } from './charts';
import { RENDER_CHARTS_SCRIPT, type ChartRuntime } from './chart-runtime';
import {
  HISTOGRAM_BIN,
  formatPercent,
  formatPoints,
  type CohortReport,
  type LearnerReport,
  type ScoreCell,
} from './model';
import { MIN_ATTEMPTS_FOR_DISCRIMINATION, NEGATIVE_DISCRIMINATION } from './item-analysis';
import { SIMILARITY_CAVEAT } from '../similarity/report';
import { html, inlineScript, jsonForScript, SafeHtml, type Interpolation } from './safe-html';

// Scripts are inline and Vega compiles its expressions with Function(); nothing may be fetched from anywhere.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:";

export function renderReportPage(report: CohortReport, charts: readonly Chart[], runtime: ChartRuntime): string {
  const chartById = new Map(charts.map((chart) => [chart.id, chart]));
  const figure = (id: Chart['id'], table: SafeHtml): SafeHtml | null => {
    const chart = chartById.get(id);
    return chart === undefined ? null : chartFigure(chart, table);
  };
  const empty = report.assignments.length === 0;
  const body = empty
    ? [emptyMessage(report), rosterSection(report)]
    : [
        atRiskSection(report),
        section('overview', 'Cohort overview', figure('heatmap', scoreMatrixTable(report))),
        // The completion chart's numbers are columns of the distribution's table.
        section('assignments', 'Per assignment', [
          figure('distribution', assignmentTable(report)),
          figure('completion', html``),
        ]),
        section('tests', 'Per exercise and test', [
          html`<p class="note">${ITEM_ANALYSIS_NOTE}</p>`,
          figure('tests', exerciseTable(report)),
          flaggedTests(report),
          html`<details class="per-test"><summary>Every test (${report.tests.length})</summary>${testTable(report)}</details>`,
        ]),
        section('progress', 'Progress over time', figure('progress', progressTable(report))),
        similaritySection(report),
        rosterSection(report),
        learnersSection(report),
      ];
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${new SafeHtml(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>convlab cohort report</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<header>
<h1>Cohort report</h1>
<p class="summary">${summaryLine(report)}</p>
${empty ? null : navigation()}
</header>
<main>
${body}
</main>
${charts.map(
  (chart) => html`<script type="application/json" id="chart-spec-${chart.id}">${jsonForScript(chart.spec)}</script>\n`,
)}
${
  charts.length === 0
    ? null
    : html`<script>${inlineScript(runtime.vega)}</script>
<script>${inlineScript(runtime.vegaLite)}</script>
<script>${inlineScript(RENDER_CHARTS_SCRIPT)}</script>`
}
</body>
</html>
`.value;
}

function summaryLine(report: CohortReport): string {
  const period = report.since === null ? 'all submissions' : `submissions since ${formatTime(report.since)}`;
  return (
    `${report.learners.length} learner${report.learners.length === 1 ? '' : 's'}, ` +
    `${report.assignments.length} assignment${report.assignments.length === 1 ? '' : 's'}, ${period}. ` +
    `Generated ${formatTime(report.generatedAt)}.`
  );
}

function navigation(): SafeHtml {
  const links = [
    ['at-risk', 'Learners at risk'],
    ['overview', 'Overview'],
    ['assignments', 'Assignments'],
    ['tests', 'Tests'],
    ['progress', 'Progress'],
    ['similarity', 'Similar code'],
    ['roster', 'Roster'],
    ['learners', 'Learners'],
  ];
  return html`<nav>${links.map(([id, label]) => html`<a href="#${id}">${label}</a> `)}</nav>`;
}

function emptyMessage(report: CohortReport): SafeHtml {
  const text =
    report.since === null
      ? 'The gradebook has no submissions yet: grade some with "convlab grade", then build the report again.'
      : `The gradebook has no submissions since ${formatTime(report.since)}.`;
  return html`<p class="empty" id="empty-message">${text}</p>`;
}

function chartFigure(chart: Chart, table: SafeHtml): SafeHtml {
  const fallback =
    table.value === '' ? null : html`<details class="chart-data" open><summary>Data table</summary>${table}</details>`;
  return html`<figure>
<figcaption>${chart.title}</figcaption>
<div class="chart" id="chart-${chart.id}" data-spec="chart-spec-${chart.id}" role="img" aria-label="${chart.title}"></div>
${fallback}
</figure>`;
}

function atRiskSection(report: CohortReport): SafeHtml {
  const { policy } = report;
  const rule =
    `Below ${formatPercent(policy.belowAverage)} on average (missing work counts 0), or without a valid submission ` +
    `for any of the ${policy.latestAssignments} latest assignments.`;
  const rows = report.atRisk.map(
    ({ learner, reasons }) => html`<tr><td>${learnerLink(learner)}</td><td>${learner.name}</td>
<td class="num">${learner.average === null ? '–' : formatPercent(learner.average)}</td>
<td class="num">${formatPoints(learner.total)} / ${formatPoints(learner.totalMax)}</td>
<td class="num">${learner.submitted} / ${report.assignments.length}</td><td>${reasons.join('; ')}</td></tr>`,
  );
  const content =
    rows.length === 0
      ? html`<p>No learner is at risk.</p>`
      : table(['learner', 'name', 'average', 'points', 'submitted', 'why'], rows);
  return section('at-risk', `Learners at risk (${report.atRisk.length})`, [html`<p class="note">${rule}</p>`, content]);
}

function scoreMatrixTable(report: CohortReport): SafeHtml {
  const totalMax = report.learners[0]?.totalMax ?? 0;
  const rows = report.learners.map(
    (learner) => html`<tr><th scope="row">${learnerLink(learner)}</th>${learner.cells.map(scoreCell)}
<td>${formatPoints(learner.total)}</td></tr>`,
  );
  const headers = [
    'learner',
    ...report.assignments.map((assignment) => `${assignment.name} (${formatPoints(assignment.maxScore)})`),
    `total (${formatPoints(totalMax)})`,
  ];
  return table(headers, rows, 'matrix');
}

// Short class names: a large cohort's matrix has one cell per learner × assignment.
function scoreCell(cell: ScoreCell): SafeHtml {
  if (cell.state === 'missing') return html`<td class="m">missing</td>`;
  if (cell.state === 'invalid') return html`<td class="i">invalid (0)</td>`;
  const band = Math.min(4, Math.floor((cell.fraction ?? 0) * 5));
  const status = cell.status === 'graded' ? null : ` (${cell.status})`;
  // A late penalty shows how the final score came about: raw − penalty.
  const late = cell.penalty > 0 ? ` = ${formatPoints(cell.rawScore ?? 0)} − ${formatPoints(cell.penalty)} late` : null;
  return html`<td class="b${band}">${formatPoints(cell.score ?? 0)}${late}${status}</td>`;
}

function assignmentTable(report: CohortReport): SafeHtml {
  const binPercent = HISTOGRAM_BIN * 100;
  const binLabels = (report.assignments[0]?.histogram ?? []).map(
    (_, bin) => `${bin * binPercent}–${(bin + 1) * binPercent}%`,
  );
  const rows = report.assignments.map(
    (assignment) => html`<tr><th scope="row">${assignment.name}</th><td>${formatPoints(assignment.maxScore)}</td>
<td>${assignment.submitted}</td><td>${assignment.invalid}</td><td>${assignment.missing}</td>
<td>${formatPercent(assignment.completionRate)}</td>
<td>${assignment.median === null ? '–' : formatPercent(assignment.median)}</td>
<td>${assignment.mean === null ? '–' : formatPercent(assignment.mean)}</td>
${assignment.histogram.map((count) => html`<td>${count}</td>`)}</tr>`,
  );
  return table(
    ['assignment', 'max points', 'submitted', 'invalid', 'missing', 'completed', 'median', 'mean', ...binLabels],
    rows,
    'numbers',
  );
}

const ITEM_ANALYSIS_NOTE = 'Discrimination is the correlation between passing a test and the points from the '
  + "assignment's other tests (point-biserial, −1…1): near 0 says little, below "
  + `${NEGATIVE_DISCRIMINATION} means strong learners fail it more often than weak ones, which usually points at a broken `
  + `test (judged from ${MIN_ATTEMPTS_FOR_DISCRIMINATION} attempts up).`;

const formatDiscrimination = (value: number | null): string => (value === null ? '–' : value.toFixed(2));

function exerciseTable(report: CohortReport): SafeHtml {
  const rows = report.exercises.map(
    (exercise) =>
      html`<tr><td>${exercise.assignment}</td><td>${exercise.exercise}</td><td class="num">${exercise.tests}</td>
<td class="num">${formatPercent(exercise.passRate)}</td><td class="num">${formatPercent(exercise.lowestPassRate)}</td>
<td class="num">${exercise.flagged}</td></tr>`,
  );
  return table(['assignment', 'exercise', 'tests', 'mean pass rate', 'hardest test', 'flagged tests'], rows, 'exercises');
}

function flaggedTests(report: CohortReport): SafeHtml {
  const flagged = report.tests.filter((test) => test.flags.length > 0);
  if (flagged.length === 0) return html`<p id="flagged-tests">No test is flagged.</p>`;
  const rows = flagged.map((test) => html`<tr><td>${test.assignment}</td><td>${test.name}</td><td>${test.flags.join(', ')}</td>
<td class="num">${formatPercent(test.passRate)}</td><td class="num">${formatDiscrimination(test.discrimination)}</td></tr>`);
  return html`<div id="flagged-tests"><h3>Flagged tests (${flagged.length})</h3>
${table(['assignment', 'test', 'flags', 'pass rate', 'discrimination'], rows, 'flagged')}</div>`;
}

function testTable(report: CohortReport): SafeHtml {
  if (report.tests.length === 0) return html`<p>No test results recorded.</p>`;
  const rows = report.tests.map(
    (test) =>
      html`<tr><td>${test.assignment}</td><td>${test.name}</td><td class="num">${test.passed} / ${test.attempts}</td>
<td class="num">${formatPercent(test.passRate)}</td><td class="num">${formatDiscrimination(test.discrimination)}</td>
<td>${test.flags.join(', ')}</td></tr>`,
  );
  return table(['assignment', 'test', 'passed', 'pass rate', 'discrimination', 'flags'], rows, 'tests');
}

function similaritySection(report: CohortReport): SafeHtml {
  const pairs = report.similarity.flatMap((assignment) =>
    assignment.exercises.flatMap((exercise) => exercise.pairs.map((pair) => ({ assignment: assignment.assignment, pair }))));
  const compared = report.similarity.length === 0
    ? html`<p>The gradebook keeps no exercise cells (it was written by an older convlab): grade again to compare them.</p>`
    : pairs.length === 0 ? html`<p id="no-similar-pairs">No pair of exercise cells is above the threshold.</p>` : null;
  const rows = pairs.map(({ assignment, pair }) => html`<tr><td>${assignment}</td><td>${pair.exercise}</td><td>${pair.a}</td><td>${pair.b}</td>
<td class="num">${formatPercent(pair.similarity)}</td><td class="num">${pair.shared}</td></tr>`);
  const details = pairs.map(({ assignment, pair }) => html`<details class="similar-pair"><summary>${assignment} · ${pair.exercise}: ${pair.a} ~ ${pair.b}</summary>
<table class="fragments"><thead><tr><th scope="col">${pair.a}</th><th scope="col">${pair.b}</th></tr></thead><tbody>
${pair.fragments.map((fragment) => html`<tr><td><div class="lines">lines ${fragment.a.startLine}–${fragment.a.endLine}</div><pre>${fragment.a.text}</pre></td>
<td><div class="lines">lines ${fragment.b.startLine}–${fragment.b.endLine}</div><pre>${fragment.b.text}</pre></td></tr>`)}
</tbody></table></details>`);
  return section('similarity', `Similar code (${pairs.length} pair${pairs.length === 1 ? '' : 's'})`, [
    html`<p class="note">${SIMILARITY_CAVEAT}</p>`,
    compared,
    pairs.length === 0 ? null : table(['assignment', 'exercise', 'learner', 'learner', 'alike', 'shared fingerprints'], rows, 'similar'),
    details,
  ]);
}

function progressTable(report: CohortReport): SafeHtml {
  const rows = report.progress.map(
    (point) =>
      html`<tr><td>${point.assignment}</td><td>${point.day}</td><td class="num">${point.submitted}</td>
<td class="num">${formatPercent(point.rate)}</td></tr>`,
  );
  return table(['assignment', 'day (UTC)', 'submitted so far', 'of the cohort'], rows);
}

function rosterSection(report: CohortReport): SafeHtml {
  const { roster } = report;
  if (!roster.given) {
    return section(
      'roster',
      'Roster',
      html`<p>No roster given (<code>--roster</code>): the cohort is the learners with at least one submission,
so learners who never submitted are not counted as missing.</p>`,
    );
  }
  const list = (title: string, id: string, ids: readonly string[]): SafeHtml => {
    const items = ids.map((learnerId) => html`<li>${learnerId}</li>`);
    return html`<h3>${title} (${ids.length})</h3>${ids.length === 0 ? html`<p>None.</p>` : html`<ul id="${id}">${items}</ul>`}`;
  };
  return section('roster', 'Roster', [
    list('In the gradebook but not in the roster', 'not-in-roster', roster.notInRoster),
    list('In the roster without any submission', 'without-submissions', roster.withoutSubmissions),
  ]);
}

function learnersSection(report: CohortReport): SafeHtml {
  return section('learners', 'Learners', report.learners.map(learnerDetails));
}

function learnerDetails(learner: LearnerReport): SafeHtml {
  const rows = learner.cells.map(
    (cell) => html`<tr><th scope="row">${cell.assignment}</th>${scoreCell(cell)}<td>${cell.attempts}</td>
<td>${cell.submittedAt === null ? null : formatTime(cell.submittedAt)}</td><td>${feedbackList(cell)}</td></tr>`,
  );
  const identity = [learner.name, learner.email].filter((part) => part !== null && part !== '').join(', ');
  const average = learner.average === null ? '–' : formatPercent(learner.average);
  const points = `${formatPoints(learner.total)} / ${formatPoints(learner.totalMax)} points`;
  const headers = ['assignment', 'score', 'attempts', 'last submitted', 'feedback on the current attempt'];
  return html`<details class="learner" id="${learner.anchor}">
<summary>${learner.id}${identity === '' ? null : ` — ${identity}`}: ${average}, ${points}</summary>
${learner.inRoster ? null : html`<p class="note">Not in the roster.</p>`}
${table(headers, rows, 'attempts')}</details>`;
}

// Tests failed for the same reason (a timeout fails them all) share one line.
function feedbackList(cell: ScoreCell): SafeHtml | null {
  const byReason = new Map<string, string[]>();
  for (const test of cell.failedTests) {
    const reason = `${test.status === 'failed' ? '' : `(${test.status}) `}${test.feedback ?? ''}`;
    byReason.set(reason, [...(byReason.get(reason) ?? []), test.name]);
  }
  const items = [
    ...(cell.error === null ? [] : [html`<li class="error">${cell.error}</li>`]),
    ...[...byReason].map(
      ([reason, names]) => html`<li><b>${names.join(', ')}</b>${reason === '' ? null : `: ${reason}`}</li>`,
    ),
  ];
  return items.length === 0 ? null : html`<ul>${items}</ul>`;
}

function learnerLink(learner: LearnerReport): SafeHtml {
  return html`<a href="#${learner.anchor}">${learner.id}</a>`;
}

function table(headers: readonly string[], rows: readonly SafeHtml[], className?: string): SafeHtml {
  const head = headers.map((header) => html`<th scope="col">${header}</th>`);
  return html`<table${className === undefined ? null : html` class="${className}"`}><thead><tr>${head}</tr></thead>
<tbody>${rows.map((row) => html`${row}\n`)}</tbody></table>`;
}

function section(id: string, title: string, content: Interpolation): SafeHtml {
  return html`<section id="${id}"><h2>${title}</h2>\n${content}</section>\n`;
}

function formatTime(timestamp: string): string {
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? timestamp : `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 0 16px 48px; color: #1d1d1d; }
h1 { margin-bottom: 4px; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 40px; }
nav a { margin-right: 12px; }
.summary, .note { color: #555; }
.empty { font-size: 18px; padding: 24px; background: #f6f6f6; border-radius: 6px; }
figure { margin: 16px 0; } figcaption { font-weight: 600; margin-bottom: 8px; }
.chart { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
thead th { background: #f3f3f3; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.m { background: #e6e6e6; color: #666; font-style: italic; }
td.i { background: #d62728; color: #fff; }
td.b0 { background: #fde0dd; } td.b1 { background: #fdf0d5; } td.b2 { background: #fffbd5; }
td.b3 { background: #e3f4d7; } td.b4 { background: #c7e9c0; }
.matrix td, .numbers td, .attempts td:nth-child(2), .attempts td:nth-child(3) {
  text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap;
}
.attempts ul { margin: 0; padding-left: 18px; }
details.learner { margin: 4px 0; } details.learner summary { cursor: pointer; }
li.error { color: #a00; }
table.fragments td { width: 50%; } table.fragments pre { margin: 0; white-space: pre-wrap; font-size: 12px; }
.lines { color: #555; font-size: 12px; }
`;
