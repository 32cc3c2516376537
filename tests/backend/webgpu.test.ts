import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { useBestBackend } from '../../src/backend';
import { expectClose, randomValues } from './compare';

/** Forward conv and both of its gradients for one seeded case, computed on the current backend. */
async function convAndGradients(): Promise<Float32Array[]> {
  const x = tf.tensor4d(randomValues([2, 9, 9, 3], 11), [2, 9, 9, 3]);
  const filter = tf.tensor4d(randomValues([3, 3, 3, 4], 12), [3, 3, 3, 4]);
  const conv = (input: tf.Tensor4D, weights: tf.Tensor4D) => tf.conv2d(input, weights, 2, 'same');
  const output = conv(x, filter);
  const [dx, dFilter] = tf.grads((input: tf.Tensor, weights: tf.Tensor) =>
    conv(input as tf.Tensor4D, weights as tf.Tensor4D).square().sum(),
  )([x, filter]);
  const values = await Promise.all([output, dx, dFilter].map((tensor) => tensor.data() as Promise<Float32Array>));
  tf.dispose([x, filter, output, dx, dFilter]);
  return values;
}

describe('webgpu', () => {
  let unavailable: string | undefined;
  before(async () => {
    try {
      await useBestBackend({ force: 'webgpu', quiet: true });
    } catch (error) {
      unavailable = (error as Error).message;
    }
  });

  it('computes a strided conv and its gradients as the cpu backend does', async function () {
    if (unavailable !== undefined) {
      console.log(`    skipped: ${unavailable}`);
      this.skip();
    }
    const onWebgpu = await convAndGradients();
    await useBestBackend({ force: 'cpu', quiet: true });
    const onCpu = await convAndGradients();
    for (const [index, values] of onCpu.entries()) expectClose(onWebgpu[index], values, 1e-3);
    expect(onWebgpu).to.have.length(3);
  });
});
