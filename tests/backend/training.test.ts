import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { useBestBackend } from '../../src/backend';
import { randomValues } from './compare';

/** A small network that uses every kernel convlab adds for training: conv, depthwise conv, pooling, dense. */
function buildNetwork(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 2], filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  return model;
}

function trainingData(): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const xs = tf.tensor4d(randomValues([16, 12, 12, 2], 7), [16, 12, 12, 2]);
  const ys = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 3), 'int32'), 3).toFloat() as tf.Tensor2D;
  return { xs, ys };
}

/**
 * Counts after each call: the engine's tensors, and the backend's data buffers, which also count the intermediates
 * a kernel allocates on the wasm heap and must free (the engine's numDataBuffers does not see those).
 */
async function memoryAfterEach(times: number, step: () => Promise<unknown>): Promise<Array<[number, number]>> {
  const counts: Array<[number, number]> = [];
  for (let i = 0; i < times; i++) {
    await step();
    counts.push([tf.memory().numTensors, tf.backend().numDataIds()]);
  }
  return counts;
}

describe('training on wasm', () => {
  before(async () => {
    await useBestBackend({ force: 'wasm', quiet: true });
  });

  it('lowers the loss of a conv network', async () => {
    const model = buildNetwork();
    const { xs, ys } = trainingData();
    const history = await model.fit(xs, ys, { epochs: 15, batchSize: 8, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses[losses.length - 1]).to.be.below(losses[0] * 0.8);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('keeps tensors and buffers stable across model.fit calls', async () => {
    const model = buildNetwork();
    const { xs, ys } = trainingData();
    await model.fit(xs, ys, { epochs: 1, batchSize: 8, verbose: 0 });
    const counts = await memoryAfterEach(4, () => model.fit(xs, ys, { epochs: 1, batchSize: 8, verbose: 0 }));
    expect(new Set(counts.map((count) => count.join())).size, `counts after each fit: ${JSON.stringify(counts)}`).to.equal(1);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('keeps tensors and buffers stable across optimizer.minimize steps', async () => {
    const filter = tf.variable(tf.tensor4d(randomValues([3, 3, 2, 4], 3), [3, 3, 2, 4]));
    const { xs } = trainingData();
    const optimizer = tf.train.adam(0.01);
    const step = async () =>
      optimizer.minimize(() => tf.conv2d(xs, filter, 2, 'same').maxPool(2, 2, 'valid').square().mean() as tf.Scalar);
    await step();
    const counts = await memoryAfterEach(4, step);
    expect(new Set(counts.map((count) => count.join())).size, `counts after each step: ${JSON.stringify(counts)}`).to.equal(1);
    tf.dispose([filter, xs]);
    optimizer.dispose();
  });
});
