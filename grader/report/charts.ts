/**
 * Vega-Lite specs for the report's charts, data inlined. Each chart has an HTML table with the same numbers
 * (`html.ts`); the specs only add the picture.
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import { formatCsv } from './csv';
import { HISTOGRAM_BIN, type CohortReport } from './model';

export interface Chart {
  /** Element id suffix, also the chart's name in tests. */
  readonly id: 'heatmap' | 'distribution' | 'completion' | 'tests' | 'progress';
  readonly title: string;
  readonly spec: TopLevelSpec;
}

const WIDTH = 640;
// Above this many learners the heatmap rows get thin and its learner labels are thinned out by Vega.
const COMPACT_COHORT = 60;
const DAILY_TICKS_UP_TO_DAYS = 21;
const DAY_MS = 24 * 60 * 60 * 1000;
const NOT_SCORED_COLORS = { invalid: '#d62728', missing: '#e6e6e6' } as const;

export function buildCharts(report: CohortReport): Chart[] {
  if (report.assignments.length === 0) return [];
  return [heatmap(report), distribution(report), completion(report), tests(report), progress(report)].filter(
    (chart): chart is Chart => chart !== null,
  );
}

function heatmap(report: CohortReport): Chart {
  // Inline CSV rather than JSON objects: the heatmap has a value per learner × assignment, and repeating the keys
  // in every one of them would more than double the page for a large cohort.
  const rows = report.learners.flatMap((learner) =>
    learner.cells.map((cell) => [
      learner.id,
      cell.assignment,
      cell.state,
      cell.fraction === null ? '' : String(Math.round(cell.fraction * 100)),
    ]),
  );
  const values = formatCsv([['learner', 'assignment', 'state', 'percent'], ...rows]);
  const assignments = report.assignments.map((assignment) => assignment.name);
  const learners = report.learners.map((learner) => learner.id);
  const compact = report.learners.length > COMPACT_COHORT;
  return {
    id: 'heatmap',
    title: 'Scores: learners × assignments',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: { step: 48 },
      height: { step: compact ? 6 : 16 },
      data: { values, format: { type: 'csv', parse: { percent: 'number' } } },
      encoding: {
        // Explicit orders: data order would put an assignment the first learner skipped last.
        x: {
          field: 'assignment',
          type: 'nominal',
          sort: assignments,
          title: null,
          axis: { orient: 'top', labelAngle: -30 },
        },
        y: {
          field: 'learner',
          type: 'nominal',
          sort: learners,
          title: null,
          axis: { labelOverlap: true, labelLimit: 160 },
        },
        tooltip: [
          { field: 'learner', type: 'nominal' },
          { field: 'assignment', type: 'nominal' },
          { field: 'state', type: 'nominal' },
          { field: 'percent', type: 'quantitative', title: 'score %' },
        ],
      },
      layer: [
        {
          transform: [{ filter: "datum.state === 'scored'" }],
          mark: { type: 'rect', tooltip: true },
          encoding: {
            color: {
              field: 'percent',
              type: 'quantitative',
              title: 'score %',
              scale: { scheme: 'viridis', domain: [0, 100] },
            },
          },
        },
        {
          transform: [{ filter: "datum.state !== 'scored'" }],
          mark: { type: 'rect', tooltip: true },
          encoding: {
            color: {
              field: 'state',
              type: 'nominal',
              title: 'not scored',
              scale: { domain: Object.keys(NOT_SCORED_COLORS), range: Object.values(NOT_SCORED_COLORS) },
            },
          },
        },
      ],
      resolve: { scale: { color: 'independent' } },
    },
  };
}

function distribution(report: CohortReport): Chart {
  const binPercent = HISTOGRAM_BIN * 100;
  const bins = report.assignments.flatMap((assignment) =>
    assignment.histogram.map((learners, bin) => ({
      assignment: assignment.name,
      from: bin * binPercent,
      to: (bin + 1) * binPercent,
      learners,
    })),
  );
  const medians = report.assignments
    .filter((assignment) => assignment.median !== null)
    .map((assignment) => ({ assignment: assignment.name, median: Math.round(assignment.median! * 100) }));
  const y = { field: 'assignment', type: 'nominal', sort: null, title: null } as const;
  return {
    id: 'distribution',
    title: 'Score distribution per assignment (learners per 10% band; black tick: median)',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: WIDTH,
      height: { step: 28 },
      layer: [
        {
          data: { values: bins },
          mark: { type: 'rect', tooltip: true, stroke: 'white' },
          encoding: {
            y,
            x: { field: 'from', type: 'quantitative', title: 'score %', scale: { domain: [0, 100] } },
            x2: { field: 'to' },
            color: {
              field: 'learners',
              type: 'quantitative',
              title: 'learners',
              scale: { scheme: 'blues' },
              legend: { format: 'd', tickMinStep: 1 },
            },
          },
        },
        {
          data: { values: medians },
          mark: { type: 'tick', color: 'black', thickness: 3, tooltip: true },
          encoding: { y, x: { field: 'median', type: 'quantitative' } },
        },
      ],
    },
  };
}

function completion(report: CohortReport): Chart {
  const values = report.assignments.map((assignment) => ({
    assignment: assignment.name,
    percent: Math.round(assignment.completionRate * 100),
  }));
  return {
    id: 'completion',
    title: 'Completion rate per assignment (valid submissions over the cohort)',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: WIDTH,
      height: { step: 28 },
      data: { values },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        y: { field: 'assignment', type: 'nominal', sort: null, title: null },
        x: { field: 'percent', type: 'quantitative', title: 'completed %', scale: { domain: [0, 100] } },
      },
    },
  };
}

// One bar per exercise (its tests' mean pass rate), not one per test: 80 bars with cut labels tell nothing.
function tests(report: CohortReport): Chart | null {
  if (report.exercises.length === 0) return null;
  const values = report.exercises.map((exercise) => ({
    exercise: `${exercise.assignment} · ${exercise.exercise}`,
    assignment: exercise.assignment,
    percent: Math.round(exercise.passRate * 100),
    tests: exercise.tests,
    flagged: exercise.flagged,
  }));
  return {
    id: 'tests',
    title: 'Mean pass rate per exercise',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: WIDTH,
      height: { step: 16 },
      data: { values },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        y: { field: 'exercise', type: 'nominal', sort: null, title: null, axis: { labelLimit: 320 } },
        x: { field: 'percent', type: 'quantitative', title: 'mean passed %', scale: { domain: [0, 100] } },
        color: { field: 'assignment', type: 'nominal', title: 'assignment' },
        tooltip: [
          { field: 'exercise', type: 'nominal' },
          { field: 'tests', type: 'quantitative' },
          { field: 'flagged', type: 'quantitative', title: 'flagged tests' },
        ],
      },
    },
  };
}

function progress(report: CohortReport): Chart {
  const values = report.progress.map((point) => ({
    assignment: point.assignment,
    day: point.day,
    percent: Math.round(point.rate * 100),
  }));
  return {
    id: 'progress',
    title: 'Progress over time: share of the cohort that has submitted each assignment',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: WIDTH,
      height: 260,
      data: { values },
      mark: { type: 'line', interpolate: 'step-after', point: true, tooltip: true },
      encoding: {
        x: {
          field: 'day',
          type: 'temporal',
          title: 'day (UTC)',
          scale: { type: 'utc' },
          // A few days apart, default ticks would fall on hours; days are the data's resolution.
          axis: {
            format: '%b %d',
            ...(spanDays(report) <= DAILY_TICKS_UP_TO_DAYS ? { tickCount: { interval: 'day', step: 1 } } : {}),
          },
        },
        y: { field: 'percent', type: 'quantitative', title: 'submitted %', scale: { domain: [0, 100] } },
        color: { field: 'assignment', type: 'nominal', sort: null, title: 'assignment' },
      },
    },
  };
}

function spanDays(report: CohortReport): number {
  const times = report.progress.map((point) => Date.parse(point.day));
  return times.length === 0 ? 0 : (Math.max(...times) - Math.min(...times)) / DAY_MS;
}
