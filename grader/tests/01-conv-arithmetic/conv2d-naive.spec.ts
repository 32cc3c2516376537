/** TensorFlow.js kernels that compute a convolution; conv2dNaive must do the sums itself. */
const CONVOLUTION_KERNEL = /conv/i;

/**
 * Calls the submission's conv2dNaive under tf.profile, which lists every kernel TensorFlow.js executes, so an answer
 * that hands the work to a TensorFlow convolution (under whatever name) fails instead of matching trivially.
 */
async function convolveByHand(...args: unknown[]): Promise<number[][][]> {
  let result: number[][][] = [];
  const profile = await tf.profile(() => { result = submission.conv2dNaive(...args); });
  expect(profile.kernelNames.filter((name) => CONVOLUTION_KERNEL.test(name)), 'TensorFlow convolutions called by conv2dNaive').to.deep.equal([]);
  return result;
}

/**
 * tf.conv2d's answer (cross-correlation, zero padding on both sides), computed in plain JS: a notebook can re-register
 * TensorFlow.js's kernels while it is graded, so the expected values never come from them.
 */
function referenceConv2d(x: number[][][], w: number[][][][], stride: number, padding: number): number[][][] {
  const [height, width, channels] = [x.length, x[0]!.length, x[0]![0]!.length];
  const [kernelHeight, kernelWidth, , filters] = [w.length, w[0]!.length, channels, w[0]![0]![0]!.length];
  const outHeight = Math.floor((height + 2 * padding - kernelHeight) / stride) + 1;
  const outWidth = Math.floor((width + 2 * padding - kernelWidth) / stride) + 1;
  const at = (row: number, column: number, channel: number): number =>
    (row < 0 || row >= height || column < 0 || column >= width ? 0 : x[row]![column]![channel]!);
  return Array.from({ length: outHeight }, (_, i) => Array.from({ length: outWidth }, (_, j) => Array.from({ length: filters }, (_, f) => {
    let sum = 0;
    for (let u = 0; u < kernelHeight; u++) {
      for (let v = 0; v < kernelWidth; v++) {
        for (let c = 0; c < channels; c++) sum += at(i * stride + u - padding, j * stride + v - padding, c) * w[u]![v]![c]![f]!;
      }
    }
    return sum;
  })));
}

/** Runs the submission's conv2dNaive on random data and measures its largest difference from tf.conv2d's answer. */
async function maxDifferenceFromTf(shape: [number, number, number], kernel: [number, number, number, number], stride: number, padding: number): Promise<number> {
  const x = tf.randomUniform(shape, -1, 1, 'float32', 11) as tf.Tensor3D;
  const w = tf.randomUniform(kernel, -1, 1, 'float32', 12) as tf.Tensor4D;
  const [image, weights] = [x.arraySync(), w.arraySync()];
  tf.dispose([x, w]);
  const expected = referenceConv2d(image, weights, stride, padding);
  // The answer becomes a tensor only to read its shape and values, whatever nesting of arrays it came as.
  const actual = tf.tensor(await convolveByHand(image, weights, stride, padding));
  const values = Array.from(actual.dataSync());
  expect(actual.shape, 'output shape').to.deep.equal([expected.length, expected[0]!.length, expected[0]![0]!.length]);
  actual.dispose();
  return Math.max(...expected.flat(2).map((value, k) => Math.abs(values[k]! - value)));
}

describe('conv2dNaive', () => {
  const cases: [string, [number, number, number], [number, number, number, number], number, number][] = [
    ['matches tf.conv2d on a single-channel image without padding [2 pts]', [6, 6, 1], [3, 3, 1, 1], 1, 0],
    ['matches tf.conv2d with several input and output channels [2 pts]', [5, 7, 3], [3, 3, 3, 5], 1, 0],
    ['matches tf.conv2d with zero padding [2 pts]', [5, 5, 2], [3, 3, 2, 2], 1, 1],
    ['matches tf.conv2d with a stride larger than the kernel [2 pts]', [9, 9, 2], [2, 2, 2, 3], 3, 0],
    ['matches tf.conv2d with a non-square kernel [2 pts]', [6, 8, 2], [2, 4, 2, 3], 1, 0],
    ['matches tf.conv2d with stride and padding together [4 pts]', [8, 7, 3], [5, 3, 3, 4], 2, 2],
    ['matches tf.conv2d as a 1×1 channel mixer [1 pt]', [4, 4, 6], [1, 1, 6, 2], 1, 0],
  ];
  for (const [title, shape, kernel, stride, padding] of cases) {
    it(title, async () => expect(await maxDifferenceFromTf(shape, kernel, stride, padding)).to.be.below(1e-4));
  }
  it('does not flip the kernel (cross-correlation) [2 pts]', async () => {
    const image = [[[1], [0]], [[0], [0]]];
    const kernel = [[[[1]], [[2]]], [[[3]], [[4]]]];
    expect(await convolveByHand(image, kernel)).to.deep.equal([[[1]]]);
  });
  it('rejects invalid arguments, naming the argument at fault [1 pt]', () => {
    expect(() => submission.conv2dNaive([[[1, 2]]], [[[[1]]]]), 'a kernel for the wrong number of channels').to.throw(Error, /kernel/);
    expect(() => submission.conv2dNaive([[[1]]], [[[[1]]]], 0), 'a zero stride').to.throw(Error, /stride/);
  });
});
