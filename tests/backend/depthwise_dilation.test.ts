import * as tf from '@tensorflow/tfjs';
import { useBestBackend } from '../../src/backend';
import { expectClose, randomValues } from './compare';

/**
 * The cpu backend's depthwise gradient kernels ignore dilations (TF.js's own gradients refuse dilations > 1), so for
 * dilated cases the reference is the cpu kernel at dilation 1 with the filter spread out: a k×k filter at dilation d
 * is a ((k−1)·d+1)-wide filter whose taps between are zero.
 */
const DILATION = 2;
const X_SHAPE: [number, number, number, number] = [2, 9, 9, 2];
const FILTER_SHAPE: [number, number, number, number] = [3, 3, 2, 2];
const SPREAD = (FILTER_SHAPE[0] - 1) * DILATION + 1;
const SPREAD_SHAPE: [number, number, number, number] = [SPREAD, SPREAD, FILTER_SHAPE[2], FILTER_SHAPE[3]];

/** Index in the spread filter of tap (ky, kx, channel, multiplier) of the compact one. */
function spreadIndex(ky: number, kx: number, inner: number): number {
  const innerSize = FILTER_SHAPE[2] * FILTER_SHAPE[3];
  return ((ky * DILATION) * SPREAD + kx * DILATION) * innerSize + inner;
}

function forEachTap(visit: (compact: number, spread: number) => void): void {
  const innerSize = FILTER_SHAPE[2] * FILTER_SHAPE[3];
  for (let ky = 0; ky < FILTER_SHAPE[0]; ky++) {
    for (let kx = 0; kx < FILTER_SHAPE[1]; kx++) {
      for (let inner = 0; inner < innerSize; inner++) {
        visit((ky * FILTER_SHAPE[1] + kx) * innerSize + inner, spreadIndex(ky, kx, inner));
      }
    }
  }
}

async function run(kernelName: string, inputs: Record<string, tf.Tensor>, attrs: object): Promise<Float32Array> {
  const output = tf.engine().runKernel(kernelName, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
  const values = (await output.data()) as Float32Array;
  tf.dispose([output, ...Object.values(inputs)]);
  return values;
}

describe('wasm depthwise gradients with dilation 2 (multiplier 2, same padding)', () => {
  const attrs = (dilations: number) => ({ strides: 1, dilations, pad: 'same' });
  const dyShape: [number, number, number, number] = [X_SHAPE[0], X_SHAPE[1], X_SHAPE[2], X_SHAPE[3] * FILTER_SHAPE[3]];

  it('DepthwiseConv2dNativeBackpropInput equals dilation 1 with the spread filter', async () => {
    const dy = randomValues(dyShape, 1);
    const filter = randomValues(FILTER_SHAPE, 2);
    const spread = new Float32Array(SPREAD_SHAPE.reduce((a, b) => a * b));
    forEachTap((compact, at) => (spread[at] = filter[compact]));

    await useBestBackend({ force: 'cpu', quiet: true });
    const expected = await run(
      'DepthwiseConv2dNativeBackpropInput',
      { dy: tf.tensor4d(dy, dyShape), filter: tf.tensor4d(spread, SPREAD_SHAPE) },
      { ...attrs(1), inputShape: X_SHAPE },
    );
    await useBestBackend({ force: 'wasm', quiet: true });
    const actual = await run(
      'DepthwiseConv2dNativeBackpropInput',
      { dy: tf.tensor4d(dy, dyShape), filter: tf.tensor4d(filter, FILTER_SHAPE) },
      { ...attrs(DILATION), inputShape: X_SHAPE },
    );
    expectClose(actual, expected, 1e-4);
  });

  it('DepthwiseConv2dNativeBackpropFilter equals the spread filter\'s gradient at the real taps', async () => {
    const x = randomValues(X_SHAPE, 3);
    const dy = randomValues(dyShape, 4);

    await useBestBackend({ force: 'cpu', quiet: true });
    const spreadGradient = await run(
      'DepthwiseConv2dNativeBackpropFilter',
      { x: tf.tensor4d(x, X_SHAPE), dy: tf.tensor4d(dy, dyShape) },
      { ...attrs(1), filterShape: SPREAD_SHAPE },
    );
    const expected = new Float32Array(FILTER_SHAPE.reduce((a, b) => a * b));
    forEachTap((compact, at) => (expected[compact] = spreadGradient[at]));
    await useBestBackend({ force: 'wasm', quiet: true });
    const actual = await run(
      'DepthwiseConv2dNativeBackpropFilter',
      { x: tf.tensor4d(x, X_SHAPE), dy: tf.tensor4d(dy, dyShape) },
      { ...attrs(DILATION), filterShape: FILTER_SHAPE },
    );
    expectClose(actual, expected, 1e-4);
  });
});
