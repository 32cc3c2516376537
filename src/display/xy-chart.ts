/**
 * Line charts over an explicit x axis (a precision–recall curve, a sweep over a threshold), where plotCurves counts
 * epochs. Import it from "../dist/src/display/xy-chart".
 */
import type { Display } from 'tslab';
import { PALETTE } from './html';
import { showInCell } from './output';
import { Shown } from './shown';
import { renderSvg, type ChartSpec } from './vega';

export interface XYSeries {
  readonly x: readonly number[];
  readonly y: readonly number[];
}

export interface XYChartOptions {
  title?: string;
  /** Default "x". */
  xLabel?: string;
  /** Default "y". */
  yLabel?: string;
  /** Draw the steps of a staircase (value held until the next x) instead of straight segments. */
  step?: boolean;
  /** Where to show it (default: tslab's display for the running cell; tests pass a recorder). */
  display?: Display;
}

/** Line chart spec: one line per named series of (x, y) points, drawn in the order given. */
export function xyChartSpec(series: Record<string, XYSeries>, options: XYChartOptions = {}): ChartSpec {
  const names = Object.keys(series);
  if (names.length === 0) throw new Error('plotXY: no series to plot; pass e.g. { recall: { x: [0, 1], y: [1, 0.5] } }');
  for (const name of names) {
    const { x, y } = series[name];
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) {
      throw new Error(`plotXY: series "${name}" needs arrays x and y of the same length, got ${x?.length} and ${y?.length}`);
    }
  }
  const values = names.flatMap((name) => series[name].x.map((x, order) => ({ x, y: series[name].y[order], order, series: name })));
  return {
    ...(options.title === undefined ? {} : { title: options.title }),
    width: 400,
    height: 240,
    data: { values },
    mark: { type: 'line', point: true, interpolate: options.step ? 'step-after' : 'linear' },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: options.xLabel ?? 'x' },
      y: { field: 'y', type: 'quantitative', title: options.yLabel ?? 'y' },
      order: { field: 'order', type: 'quantitative' },
      color: { field: 'series', type: 'nominal', title: null, sort: names, scale: { range: [...PALETTE] } },
    },
  };
}

/** Line chart of (x, y) series; returns the SVG as a `Shown<'svg'>`. */
export async function plotXY(series: Record<string, XYSeries>, options: XYChartOptions = {}): Promise<Shown<'svg'>> {
  const svg = await renderSvg(xyChartSpec(series, options));
  showInCell((cell) => cell.svg(svg), options.display);
  return new Shown('line chart', 'svg', svg);
}
