import type { Display } from 'tslab';
import { PALETTE } from './html';
import { showInCell } from './output';
import { Shown } from './shown';
import { renderSvg, type ChartSpec } from './vega';

export interface CurvesOptions {
  title?: string;
  /** Default "epoch". */
  xLabel?: string;
  /** Default "value". */
  yLabel?: string;
  /** Where to show it (default: tslab's display for the running cell; tests pass a recorder). */
  display?: Display;
}

export interface ConfusionMatrixOptions {
  title?: string;
  /** Where to show it (default: tslab's display for the running cell; tests pass a recorder). */
  display?: Display;
}

export interface BarsOptions {
  title?: string;
  /** Default "value". */
  yLabel?: string;
  /** Where to show it (default: tslab's display for the running cell; tests pass a recorder). */
  display?: Display;
}

const CHART_WIDTH = 400;
const CHART_HEIGHT = 240;
const MATRIX_CELL = 44;

/** Shows a chart in the running cell (while grading, an empty one of the same name and kind: see renderSvg). */
async function showSvg(what: string, spec: ChartSpec, display: Display | undefined): Promise<Shown<'svg'>> {
  const svg = await renderSvg(spec);
  showInCell((cell) => cell.svg(svg), display);
  return new Shown(what, 'svg', svg);
}

function titled(title: string | undefined): Pick<ChartSpec, 'title'> {
  return title === undefined ? {} : { title };
}

/** Line chart spec: one line per series, x = position in the series counted from 1 (the epoch). */
export function curvesSpec(series: Record<string, number[]>, options: CurvesOptions = {}): ChartSpec {
  const names = Object.keys(series);
  if (names.length === 0) throw new Error('plotCurves: no series to plot; pass e.g. { loss: [0.9, 0.5, 0.3] }');
  for (const name of names) {
    if (!Array.isArray(series[name])) throw new Error(`plotCurves: series "${name}" must be an array of numbers, got ${typeof series[name]}`);
  }
  // Missing values (NaN, e.g. a metric logged only some epochs) leave a gap instead of failing the chart.
  const values = names.flatMap((name) =>
    series[name].map((value, i) => ({ step: i + 1, value: Number.isFinite(value) ? value : null, series: name })),
  );
  return {
    ...titled(options.title),
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values },
    mark: { type: 'line', point: false },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: options.xLabel ?? 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: options.yLabel ?? 'value', scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, sort: names, scale: { range: [...PALETTE] } },
    },
  };
}

/** Heatmap spec of counts: rows are the actual class, columns the predicted one, every cell labelled. */
export function confusionMatrixSpec(cm: number[][], classes: string[], options: ConfusionMatrixOptions = {}): ChartSpec {
  const n = classes.length;
  if (cm.length !== n || cm.some((row) => row.length !== n)) {
    throw new Error(
      `plotConfusionMatrix: expected a ${n}×${n} matrix for ${n} classes, got rows of lengths [${cm.map((row) => row.length)}]`,
    );
  }
  const values = cm.flatMap((row, actual) =>
    row.map((count, predicted) => ({ actual: classes[actual], predicted: classes[predicted], count })),
  );
  const maxCount = Math.max(0, ...values.map((cell) => cell.count));
  return {
    ...titled(options.title),
    width: MATRIX_CELL * n,
    height: MATRIX_CELL * n,
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: classes, title: 'predicted', axis: { labelAngle: 0 } },
      y: { field: 'actual', type: 'nominal', sort: classes, title: 'actual' },
    },
    layer: [
      {
        mark: 'rect',
        encoding: { color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues', domainMin: 0 }, legend: null } },
      },
      {
        mark: 'text',
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          // Dark text on pale cells, white on dark ones.
          color: { condition: { test: `datum.count > ${maxCount / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}

/** Room per bar: at least enough for a short name, at most this much before long names are slanted instead. */
const BAR_STEP = { min: 40, max: 80 } as const;
/** Vega sizes text at 0.8 × font size per character when it has no canvas (as here); axis labels are 10 px. */
const LABEL_CHARACTER_WIDTH = 0.8 * 10;
/** Space between two neighbouring labels. */
const LABEL_GAP = 8;

/**
 * Where each bar's name goes: level under its bar when it fits in up to BAR_STEP.max, otherwise slanted, so long
 * names ("separable 7×7") never run into each other.
 */
function barLayout(names: readonly string[]): { step: number; labelAngle: number } {
  const widest = Math.max(...names.map((name) => name.length)) * LABEL_CHARACTER_WIDTH + LABEL_GAP;
  return widest <= BAR_STEP.max ? { step: Math.max(BAR_STEP.min, widest), labelAngle: 0 } : { step: BAR_STEP.min, labelAngle: -45 };
}

/** Bar chart spec, bars in the order of the record's keys. */
export function barsSpec(values: Record<string, number>, options: BarsOptions = {}): ChartSpec {
  const names = Object.keys(values);
  if (names.length === 0) throw new Error('plotBars: no values to plot; pass e.g. { ants: 0.9, bees: 0.8 }');
  const { step, labelAngle } = barLayout(names);
  return {
    ...titled(options.title),
    width: Math.max(CHART_WIDTH / 2, step * names.length),
    height: CHART_HEIGHT,
    data: { values: names.map((name) => ({ name, value: values[name] })) },
    mark: 'bar',
    encoding: {
      x: { field: 'name', type: 'nominal', sort: names, title: null, axis: { labelAngle } },
      y: { field: 'value', type: 'quantitative', title: options.yLabel ?? 'value' },
      color: { value: PALETTE[0] },
    },
  };
}

/** Line chart of training curves, e.g. `{ loss: [...], val_loss: [...] }`; returns the SVG as a `Shown<'svg'>`. */
export async function plotCurves(series: Record<string, number[]>, options: CurvesOptions = {}): Promise<Shown<'svg'>> {
  return showSvg('line chart', curvesSpec(series, options), options.display);
}

/** Confusion matrix heatmap with counts (rows actual, columns predicted); returns the SVG as a `Shown<'svg'>`. */
export async function plotConfusionMatrix(cm: number[][], classes: string[], options: ConfusionMatrixOptions = {}): Promise<Shown<'svg'>> {
  return showSvg('confusion matrix', confusionMatrixSpec(cm, classes, options), options.display);
}

/** Bar chart of named values; returns the SVG as a `Shown<'svg'>`. */
export async function plotBars(values: Record<string, number>, options: BarsOptions = {}): Promise<Shown<'svg'>> {
  return showSvg('bar chart', barsSpec(values, options), options.display);
}
