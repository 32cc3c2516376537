import { expect } from 'chai';
import { inspect } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { trainingProgress, type TrainingProgressOptions } from '../../src/display';
import { recordingDisplay } from './recording-display';
import { elements, markGroups, parseSvg, texts } from './svg';

/** A real (tiny) classifier and data, so the callback is driven by tf.js itself. */
async function fitWith(progress: ReturnType<typeof trainingProgress>, epochs: number): Promise<void> {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, activation: 'softmax' })] });
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const xs = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1], [0.1, 0.9], [0.9, 0.1]]);
  const ys = tf.oneHot(tf.tensor1d([0, 1, 1, 0, 1, 1], 'int32'), 2);
  await model.fit(xs, ys, { epochs, batchSize: 2, validationSplit: 0.34, verbose: 0, callbacks: progress });
}

const STATUS = /^epoch (\d+)\/3 · loss \d+\.\d{4} · acc \d\.\d{4} · val_loss \d+\.\d{4} · val_acc \d\.\d{4} · \d+\.\d s\/epoch$/;

describe('trainingProgress', () => {
  it('prints one staged line per epoch outside Jupyter, then a summary, and keeps the history', async () => {
    const lines: string[] = [];
    const progress = trainingProgress({ epochs: 3, log: (line) => lines.push(line) });
    await fitWith(progress, 3);
    expect(lines).to.have.length(4);
    expect(lines.slice(0, 3).map((line) => STATUS.exec(line)?.[1])).to.deep.equal(['1', '2', '3']);
    expect(lines[3]).to.match(/^done · 3 epochs in \d+\.\d s$/);
    expect(Object.keys(progress.history)).to.have.members(['loss', 'acc', 'val_loss', 'val_acc']);
    for (const values of Object.values(progress.history)) expect(values).to.have.length(3);
    expect(inspect(progress)).to.equal('training progress (3/3 epochs)');
  });

  it('shows only the chosen metrics, in the chosen order', async () => {
    const lines: string[] = [];
    await fitWith(trainingProgress({ epochs: 1, metrics: ['val_acc', 'loss'], log: (line) => lines.push(line) }), 1);
    expect(lines[0]).to.match(/^epoch 1\/1 · val_acc \d\.\d{4} · loss \d+\.\d{4} · \d+\.\d s\/epoch$/);
  });

  it('draws one chart per metric, its validation twin on the same axes, when training ends', async () => {
    const progress = trainingProgress({ epochs: 2, log: () => {} });
    await fitWith(progress, 2);
    expect(progress.charts).to.have.length(2);
    const [loss, acc] = progress.charts.map(parseSvg);
    expect(texts(loss)).to.include.members(['loss', 'val_loss']);
    expect(texts(acc)).to.include.members(['acc', 'val_acc']);
    expect(markGroups(loss, 'mark-line').flatMap((group) => elements(group, 'path'))).to.have.length(2);
  });

  it('charts only the chosen metrics', async () => {
    const progress = trainingProgress({ epochs: 1, metrics: ['loss', 'val_loss'], log: () => {} });
    await fitWith(progress, 1);
    expect(progress.charts).to.have.length(1);
    const labels = texts(parseSvg(progress.charts[0]));
    expect(labels).to.include.members(['loss', 'val_loss']);
    expect(labels).not.to.include.members(['acc']);
  });

  it('shows batch progress in Jupyter without tf.js\'s batch counters', async () => {
    const display = recordingDisplay();
    const progress = trainingProgress({ epochs: 1, display });
    progress.onTrainBegin();
    progress.onBatchEnd(0, { batch: 0, size: 32, loss: 0.5 });
    expect(display.shown.map((entry) => entry.content)).to.deep.equal(['<pre style="margin:0">epoch 1/1 · batch 1 · loss 0.5000</pre>']);
  });

  it('updates one display entry in Jupyter and prints nothing', async () => {
    const display = recordingDisplay();
    const lines: string[] = [];
    const progress = trainingProgress({ epochs: 3, plotEvery: 2, display, log: (line) => lines.push(line) });
    await fitWith(progress, 3);
    expect(lines).to.deep.equal([]);
    const updates = display.shown.map((entry) => entry.content as string);
    expect(display.shown.every((entry) => entry.kind === 'html')).to.equal(true);
    const statuses = updates.map((html) => /^<pre[^>]*>([^<]*)<\/pre>/.exec(html)?.[1] ?? '');
    const epochLines = statuses.filter((status) => STATUS.test(status));
    expect(epochLines.map((status) => STATUS.exec(status)![1])).to.deep.equal(['1', '2', '3', '3']);
    const chartCounts = updates.map((html) => (html.match(/<svg/g) ?? []).length);
    // Before epoch 2 no chart; from the plot at epoch 2 on, both; the last update is the final chart.
    expect(chartCounts[0]).to.equal(0);
    expect(chartCounts.at(-1)).to.equal(2);
  });

  const invalid: [TrainingProgressOptions, string][] = [
    [{ epochs: 0 }, 'trainingProgress: epochs must be a positive integer, got 0'],
    [{ epochs: 3, plotEvery: 0.5 }, 'trainingProgress: plotEvery must be a positive integer, got 0.5'],
  ];
  for (const [options, message] of invalid) {
    it(`rejects ${JSON.stringify(options)} quoting the bad value`, () => {
      expect(() => trainingProgress(options)).to.throw(message);
    });
  }
});
