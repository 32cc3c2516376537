import { inspect } from 'node:util';
import type { CustomCallbackArgs } from '@tensorflow/tfjs';
import type { Display } from 'tslab';
import { curvesSpec } from './charts';
import { escapeMarkup } from './html';
import { newCellDisplay, showInCell } from './output';
import { renderSvg } from './vega';

type Logs = Record<string, number>;

export interface TrainingProgressOptions {
  epochs: number;
  /** Logged values shown in the status line, in this order (default: all, training ones first). */
  metrics?: string[];
  /** Redraw the curves every this many epochs (default: only when training ends). */
  plotEvery?: number;
  /** Where the plain lines go outside Jupyter (default console.log). */
  log?: (line: string) => void;
  /** The display entry to update (default: a new tslab display). */
  display?: Display;
}

/** Pass as `model.fit(xs, ys, { epochs, callbacks: progress })`. */
export interface TrainingProgress extends CustomCallbackArgs {
  /** Every logged value per epoch, e.g. `{ loss: [...], val_loss: [...], acc: [...] }`. */
  readonly history: Record<string, number[]>;
  /** The SVG charts last drawn: one per metric (of `metrics`, when given), its validation twin on the same axes. */
  readonly charts: string[];
  onTrainBegin(): void;
  onEpochBegin(epoch: number): void;
  onBatchEnd(batch: number, logs?: Logs): void;
  onEpochEnd(epoch: number, logs?: Logs): Promise<void>;
  onTrainEnd(): Promise<void>;
  /** One line, e.g. "training progress (3/10 epochs)": a cell ending with the callback prints no history or SVG. */
  [inspect.custom](): string;
}

const DECIMALS = 4;
// tf.js adds these bookkeeping entries to batch logs; they are counters, not metrics.
const BATCH_COUNTERS = ['batch', 'size'];
// Batch updates redraw the cell; a few per second is smooth without flooding the notebook's output channel.
const BATCH_REDRAW_MS = 250;

/** tf.js logs validation values first; training values read better first, each followed later by its twin. */
function defaultOrder(logs: Logs): string[] {
  const names = Object.keys(logs);
  return [...names.filter((name) => !name.startsWith('val_')), ...names.filter((name) => name.startsWith('val_'))];
}

function formatMetrics(logs: Logs, metrics: string[] | undefined): string[] {
  return (metrics ?? defaultOrder(logs))
    .filter((name) => logs[name] !== undefined)
    .map((name) => `${name} ${logs[name].toFixed(DECIMALS)}`);
}

/** Metrics and their validation twins share a chart: { loss: [loss, val_loss], acc: [acc, val_acc] }. */
function chartGroups(history: Record<string, number[]>): Map<string, Record<string, number[]>> {
  const groups = new Map<string, Record<string, number[]>>();
  for (const [name, values] of Object.entries(history)) {
    const base = name.startsWith('val_') ? name.slice('val_'.length) : name;
    groups.set(base, { ...groups.get(base), [name]: values });
  }
  return groups;
}

function validateOptions({ epochs, plotEvery }: TrainingProgressOptions): void {
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`trainingProgress: epochs must be a positive integer, got ${epochs}`);
  if (plotEvery !== undefined && (!Number.isInteger(plotEvery) || plotEvery < 1)) {
    throw new Error(`trainingProgress: plotEvery must be a positive integer, got ${plotEvery}`);
  }
}

/**
 * A tf.js callback that reports training as it goes: in Jupyter one display entry updated in place
 * ("epoch 3/10 · loss 0.1234 · acc 0.9650 · 2.1 s/epoch") and the curves at the end; elsewhere one plain line per
 * epoch.
 */
export function trainingProgress(options: TrainingProgressOptions): TrainingProgress {
  validateOptions(options);
  const { epochs, metrics, plotEvery, log = (line: string) => console.log(line) } = options;
  const display = options.display ?? newCellDisplay();
  const history: Record<string, number[]> = {};
  const charts: string[] = [];
  const epochSeconds: number[] = [];
  let inJupyter = true;
  let epochStartedAt = Date.now();
  let lastRedrawAt = 0;
  let status = '';

  const epochLabel = (epoch: number) => `epoch ${epoch + 1}/${epochs}`;

  const redraw = () => {
    const html = `<pre style="margin:0">${escapeMarkup(status)}</pre>${charts.join('')}`;
    inJupyter = inJupyter && showInCell((cell) => cell.html(html), display);
  };

  const drawCharts = async () => {
    const shown = metrics === undefined ? history : Object.fromEntries(metrics.filter((name) => name in history).map((name) => [name, history[name]]));
    const groups = [...chartGroups(shown)];
    const svgs = await Promise.all(
      groups.map(([base, series]) => renderSvg(curvesSpec(series, { title: base, yLabel: base }))),
    );
    charts.splice(0, charts.length, ...svgs);
  };

  return {
    history,
    charts,
    onTrainBegin() {
      epochStartedAt = Date.now();
    },
    onEpochBegin() {
      epochStartedAt = Date.now();
    },
    onBatchEnd(batch, logs = {}) {
      if (!inJupyter || Date.now() - lastRedrawAt < BATCH_REDRAW_MS) return;
      lastRedrawAt = Date.now();
      const values = Object.fromEntries(Object.entries(logs).filter(([name]) => !BATCH_COUNTERS.includes(name)));
      status = [epochLabel(epochSeconds.length), `batch ${batch + 1}`, ...formatMetrics(values, metrics)].join(' · ');
      redraw();
    },
    async onEpochEnd(epoch, logs = {}) {
      epochSeconds.push((Date.now() - epochStartedAt) / 1000);
      for (const [name, value] of Object.entries(logs)) (history[name] ??= []).push(value);
      const secondsPerEpoch = epochSeconds.reduce((sum, seconds) => sum + seconds, 0) / epochSeconds.length;
      status = [epochLabel(epoch), ...formatMetrics(logs, metrics), `${secondsPerEpoch.toFixed(1)} s/epoch`].join(' · ');
      if (inJupyter && plotEvery !== undefined && (epoch + 1) % plotEvery === 0) await drawCharts();
      redraw();
      if (!inJupyter) log(status);
    },
    async onTrainEnd() {
      await drawCharts();
      redraw();
      const total = epochSeconds.reduce((sum, seconds) => sum + seconds, 0);
      if (!inJupyter) log(`done · ${epochSeconds.length} epochs in ${total.toFixed(1)} s`);
    },
    [inspect.custom]() {
      return `training progress (${epochSeconds.length}/${epochs} epochs)`;
    },
  };
}
