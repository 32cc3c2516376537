import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { useBestBackend, WASM_TRAINING_KERNELS } from '../../src/backend';
import { expectClose, type KernelCase, runOn } from './compare';

const conv = (stride: number | [number, number], pad: unknown) => ({ strides: stride, pad, dataFormat: 'NHWC' });
const depthwise = (stride: number, dilation: number, pad: unknown) => ({ strides: stride, dilations: dilation, pad });
const pool = (size: number, stride: number, pad: unknown) => ({ filterSize: [size, size], strides: [stride, stride], pad });

/** Every kernel convlab registers for wasm, on shapes chosen to reach each code path. */
const CASES: readonly KernelCase[] = [
  // Conv2DBackpropFilter: x, dy → dW
  filterGrad('5×5, stride 1, same padding, batch 2, 3 → 4 channels', [2, 9, 9, 3], [5, 5, 3, 4], 1, 'same'),
  filterGrad('5×5, stride 1, same padding, one input channel (LeNet\'s first layer)', [2, 10, 10, 1], [5, 5, 1, 6], 1, 'same'),
  filterGrad('3×3, stride 2, same padding, odd input', [2, 9, 9, 2], [3, 3, 2, 5], 2, 'same'),
  filterGrad('3×3, stride 2, valid padding, input the stride does not divide', [3, 8, 8, 2], [3, 3, 2, 3], 2, 'valid'),
  filterGrad('2×3 filter, strides 1×2, valid padding', [2, 7, 9, 3], [2, 3, 3, 2], [1, 2], 'valid'),
  filterGrad('1×1 filter, stride 2 (a ResNet shortcut)', [2, 8, 8, 4], [1, 1, 4, 6], 2, 'valid'),
  filterGrad('explicit uneven padding', [2, 6, 7, 2], [3, 3, 2, 3], 1, [[0, 0], [1, 2], [0, 1], [0, 0]]),
  // Conv2DBackpropInput: dy, filter → dx
  inputGrad('5×5, stride 1, valid padding, batch 2, 6 → 16 channels', [2, 14, 14, 6], [5, 5, 6, 16], 1, 'valid'),
  inputGrad('3×3, stride 2, same padding', [2, 9, 9, 3], [3, 3, 3, 4], 2, 'same'),
  inputGrad('3×3, stride 2, valid padding, input the stride does not divide', [2, 8, 8, 2], [3, 3, 2, 3], 2, 'valid'),
  inputGrad('2×3 filter, strides 2×1, same padding', [3, 7, 6, 2], [2, 3, 2, 3], [2, 1], 'same'),
  inputGrad('padding wider than the filter (wasm\'s own kernel)', [2, 5, 5, 2], [2, 2, 2, 3], 1, [[0, 0], [3, 3], [3, 3], [0, 0]]),
  // Depthwise gradients, with dilations and channel multipliers
  depthwiseFilterGrad('3×3, stride 1, same padding, multiplier 1', [2, 7, 7, 3], [3, 3, 3, 1], depthwise(1, 1, 'same')),
  depthwiseFilterGrad('3×3, stride 2, same padding, multiplier 3', [2, 8, 8, 2], [3, 3, 2, 3], depthwise(2, 1, 'same')),
  depthwiseInputGrad('3×3, stride 1, same padding, multiplier 1', [2, 7, 7, 3], [3, 3, 3, 1], depthwise(1, 1, 'same')),
  depthwiseInputGrad('5×5, stride 2, valid padding, multiplier 2', [2, 11, 11, 2], [5, 5, 2, 2], depthwise(2, 1, 'valid')),
  // MaxPoolGrad: dy, input, output → dx
  maxPoolGrad('2×2, stride 2, valid padding', [2, 8, 8, 3], pool(2, 2, 'valid')),
  maxPoolGrad('3×3, stride 2, same padding (overlapping windows)', [2, 9, 9, 2], pool(3, 2, 'same')),
  maxPoolGrad('3×3, stride 1, valid padding', [3, 6, 7, 4], pool(3, 1, 'valid')),
  maxPoolGrad('2×2, stride 2, odd input (last row and column in no window)', [2, 9, 7, 4], pool(2, 2, 'valid')),
  maxPoolGrad('2×2, stride 2, same padding, odd input (windows cut by the edge)', [2, 5, 5, 3], pool(2, 2, 'same')),
  // Add: a bias repeated along leading axes, either operand, and shapes wasm's own kernel keeps
  add('a conv bias: [2, 5, 5, 3] + [3]', [2, 5, 5, 3], [3]),
  add('the bias first: [3] + [2, 5, 5, 3]', [3], [2, 5, 5, 3]),
  add('a trailing block with leading 1s: [4, 6, 3] + [1, 6, 3]', [4, 6, 3], [1, 6, 3]),
  add('a trailing block of odd size over an odd count: [7, 5, 3] + [5, 3]', [7, 5, 3], [5, 3]),
  add('equal shapes (wasm\'s own kernel)', [2, 4, 3], [2, 4, 3]),
  add('broadcast along the last axis (wasm\'s own kernel)', [2, 4, 3], [2, 4, 1]),
  // GatherV2: whole slices copied, short slices and batchDims left to wasm's own kernel
  gather('rows of images (fit\'s batches), repeated and out of order', [6, 8, 8, 2], [4, 0, 4, 5], 0),
  gather('along a middle axis', [3, 5, 70], [2, 0], 1),
  gather('short slices (wasm\'s own kernel)', [6, 3], [5, 1], 0),
  // Identity and Cast share memory unless the dtype changes
  { title: 'a float32 tensor', kernelName: 'Identity', inputs: { x: [2, 3, 4] }, attrs: {} },
  { title: 'float32 to float32 (shared)', kernelName: 'Cast', inputs: { x: [2, 3, 4] }, attrs: { dtype: 'float32' } },
  { title: 'float32 to int32 (wasm\'s own kernel)', kernelName: 'Cast', inputs: { x: [2, 3, 4] }, attrs: { dtype: 'int32' } },
  // BatchMatMul: every transpose combination, batched and broadcast
  matMul('2-D, no transposes', [5, 7], [7, 3], false, false),
  matMul('2-D, first operand transposed', [7, 5], [7, 3], true, false),
  matMul('2-D, second operand transposed', [5, 7], [3, 7], false, true),
  matMul('batched, both transposed', [2, 7, 5], [2, 3, 7], true, true),
  matMul('batch broadcast, first operand transposed', [1, 7, 5], [3, 7, 4], true, false),
];

describe('wasm training kernels agree with the cpu backend', () => {
  it('covers every kernel convlab registers', () => {
    expect([...new Set(CASES.map((kernel) => kernel.kernelName))].sort()).to.deep.equal([...WASM_TRAINING_KERNELS].sort());
  });

  for (const kernel of CASES) {
    it(`${kernel.kernelName}: ${kernel.title}`, async () => {
      const expected = await runOn('cpu', kernel);
      const actual = await runOn('wasm', kernel);
      expect(actual.shape).to.deep.equal(expected.shape);
      expectClose(actual.values, expected.values, 1e-4);
    });
  }
});

describe('wasm Identity and Cast share memory', () => {
  for (const [kernelName, attrs] of [['Identity', {}], ['Cast', { dtype: 'float32' }]] as const) {
    it(`${kernelName}'s output keeps its values after its input is disposed, and frees them when disposed itself`, async () => {
      await useBestBackend({ force: 'wasm', quiet: true });
      const buffersBefore = tf.backend().numDataIds();
      const input = tf.tensor1d([1, 2, 3]);
      const output = tf.engine().runKernel(kernelName, { x: input }, attrs) as tf.Tensor;
      expect(tf.backend().numDataIds()).to.equal(buffersBefore + 1);
      input.dispose();
      expect(Array.from(await output.data())).to.deep.equal([1, 2, 3]);
      output.dispose();
      expect(tf.backend().numDataIds()).to.equal(buffersBefore);
    });
  }
});

type Stride = number | [number, number];

function filterGrad(title: string, x: number[], filter: number[], stride: Stride, pad: unknown): KernelCase {
  const dy = outputShape(x, filter, stride, pad);
  return { title, kernelName: 'Conv2DBackpropFilter', inputs: { x, dy }, attrs: { ...conv(stride, pad), filterShape: filter } };
}

function inputGrad(title: string, x: number[], filter: number[], stride: Stride, pad: unknown): KernelCase {
  const dy = outputShape(x, filter, stride, pad);
  return { title, kernelName: 'Conv2DBackpropInput', inputs: { dy, filter }, attrs: { ...conv(stride, pad), inputShape: x } };
}

function depthwiseFilterGrad(title: string, x: number[], filter: number[], attrs: ReturnType<typeof depthwise>): KernelCase {
  const dy = outputShape(x, [filter[0], filter[1], x[3], x[3] * filter[3]], attrs.strides, attrs.pad, attrs.dilations);
  return { title, kernelName: 'DepthwiseConv2dNativeBackpropFilter', inputs: { x, dy }, attrs: { ...attrs, filterShape: filter } };
}

function depthwiseInputGrad(title: string, x: number[], filter: number[], attrs: ReturnType<typeof depthwise>): KernelCase {
  const dy = outputShape(x, [filter[0], filter[1], x[3], x[3] * filter[3]], attrs.strides, attrs.pad, attrs.dilations);
  return { title, kernelName: 'DepthwiseConv2dNativeBackpropInput', inputs: { dy, filter }, attrs: { ...attrs, inputShape: x } };
}

function maxPoolGrad(title: string, x: number[], attrs: ReturnType<typeof pool>): KernelCase {
  const size = attrs.filterSize[0];
  const y = outputShape(x, [size, size, x[3], x[3]], attrs.strides[0], attrs.pad);
  // The "output" input is only read for its shape by both backends; dx depends on x and dy.
  return { title, kernelName: 'MaxPoolGrad', inputs: { dy: y, input: x, output: y }, attrs };
}

function add(title: string, a: number[], b: number[]): KernelCase {
  return { title, kernelName: 'Add', inputs: { a, b }, attrs: {} };
}

function gather(title: string, x: number[], rows: number[], axis: number): KernelCase {
  return { title, kernelName: 'GatherV2', inputs: { x, indices: { shape: [rows.length], int32: rows } }, attrs: { axis, batchDims: 0 } };
}

function matMul(title: string, a: number[], b: number[], transposeA: boolean, transposeB: boolean): KernelCase {
  return { title, kernelName: 'BatchMatMul', inputs: { a, b }, attrs: { transposeA, transposeB } };
}

/** NHWC output shape of a convolution (TF.js rules for 'same', 'valid' and explicit padding). */
function outputShape(x: number[], filter: number[], stride: Stride, pad: unknown, dilation = 1): number[] {
  const [sh, sw] = typeof stride === 'number' ? [stride, stride] : stride;
  const size = (input: number, kernel: number, s: number, before: number, after: number) =>
    pad === 'same' ? Math.ceil(input / s) : Math.floor((input + before + after - (kernel - 1) * dilation - 1) / s) + 1;
  const [, [top, bottom], [left, right]] = Array.isArray(pad) ? (pad as number[][]) : [[0, 0], [0, 0], [0, 0]];
  return [x[0], size(x[1], filter[0], sh, top, bottom), size(x[2], filter[1], sw, left, right), filter[3]];
}
