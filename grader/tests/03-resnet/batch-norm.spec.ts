// Every expected value here is computed in plain JS (float64) from the values of the inputs: a notebook can
// re-register TensorFlow.js's kernels (Moments, FusedBatchNorm, Sub…) while it is graded, and with them change what a
// tf or Keras reference would say. tf only builds inputs, from random draws or plain arrays, and reads answers back.

/** A tensor's values as plain numbers, in row-major (NHWC) order. */
const valuesOf = (t: tf.Tensor): number[] => Array.from(t.dataSync());

/** Per channel (the last axis of `x`'s NHWC values), the mean and the biased variance over all other axes. */
function channelMoments(x: number[], channels: number): { mean: number[]; variance: number[] } {
  const count = x.length / channels;
  const mean = new Array<number>(channels).fill(0);
  x.forEach((value, k) => (mean[k % channels] += value / count));
  const variance = new Array<number>(channels).fill(0);
  x.forEach((value, k) => (variance[k % channels] += (value - mean[k % channels]) ** 2 / count));
  return { mean, variance };
}

/** γ (x − μ) / √(σ² + ε) + β per channel, with the given statistics. */
function normalise(x: number[], gamma: number[], beta: number[], stats: { mean: number[]; variance: number[] }, eps: number): number[] {
  return x.map((value, k) => {
    const c = k % gamma.length;
    return (gamma[c] * (value - stats.mean[c])) / Math.sqrt(stats.variance[c] + eps) + beta[c];
  });
}

/** Batch norm in training mode (the batch's own statistics), as tf.moments and a Keras layer compute it. */
function referenceBatchNorm(x: number[], gamma: number[], beta: number[], eps: number): number[] {
  return normalise(x, gamma, beta, channelMoments(x, gamma.length), eps);
}

/** The largest difference between an answer and the expected values, which must be as many. */
function maxDifference(actual: tf.Tensor, expected: number[]): number {
  const values = valuesOf(actual);
  expect(values, 'number of values').to.have.length(expected.length);
  return values.reduce((largest, value, k) => Math.max(largest, Math.abs(value - expected[k])), 0);
}

describe('batchNormForward', () => {
  const cases: [string, [number, number, number, number], number | undefined][] = [
    ['normalises a single-channel batch [1 pt]', [3, 4, 4, 1], undefined],
    ['normalises each channel on its own [2 pts]', [2, 5, 3, 6], undefined],
    ['applies a custom epsilon [2 pts]', [4, 2, 2, 3], 0.5],
    ['handles a batch of one image [1 pt]', [1, 6, 6, 2], undefined],
  ];
  for (const [title, shape, eps] of cases) {
    it(title, () => {
      const channels = shape[3];
      const x = tf.randomNormal(shape, 1.5, 2.5, 'float32', 21) as tf.Tensor4D;
      const gamma = tf.randomUniform([channels], 0.5, 2, 'float32', 22) as tf.Tensor1D;
      const beta = tf.randomUniform([channels], -1, 1, 'float32', 23) as tf.Tensor1D;
      const expected = referenceBatchNorm(valuesOf(x), valuesOf(gamma), valuesOf(beta), eps ?? 1e-3);
      const actual: tf.Tensor4D = eps === undefined ? submission.batchNormForward(x, gamma, beta) : submission.batchNormForward(x, gamma, beta, eps);
      expect(actual.shape).to.deep.equal(shape);
      expect(maxDifference(actual, expected)).to.be.below(1e-4);
      tf.dispose([x, gamma, beta, actual]);
    });
  }

  it('uses the biased variance over batch, height and width [2 pts]', () => {
    // Channel values 0 and 2 repeated: mean 1, biased variance 1, so with eps 0 the output is exactly -1 and 1.
    const x = tf.tensor4d([0, 2, 0, 2], [2, 1, 2, 1]);
    const y: tf.Tensor = submission.batchNormForward(x, tf.ones([1]), tf.zeros([1]), 0);
    expect(Array.from(y.dataSync()).map((v) => Math.round(v * 1000) / 1000)).to.deep.equal([-1, 1, -1, 1]);
    tf.dispose([x, y]);
  });
  it('maps a constant channel to beta [2 pts]', () => {
    const x = tf.tensor4d(new Array(36).fill(4), [2, 3, 3, 2]);
    const y: tf.Tensor = submission.batchNormForward(x, tf.tensor1d([3, 3]), tf.tensor1d([0.25, -2]));
    expect(maxDifference(y, Array.from({ length: 36 }, (_, i) => (i % 2 === 0 ? 0.25 : -2)))).to.be.below(1e-5);
    tf.dispose([x, y]);
  });
  it('agrees with a Keras batch-normalization layer in training mode [2 pts]', () => {
    // tf.layers.batchNormalization({ epsilon: 0.01 }) in training mode: its γ starts at 1 and its β at 0.
    const x = tf.randomNormal([3, 4, 4, 5], -2, 4, 'float32', 31) as tf.Tensor4D;
    const expected = referenceBatchNorm(valuesOf(x), new Array(5).fill(1), new Array(5).fill(0), 0.01);
    const actual: tf.Tensor = submission.batchNormForward(x, tf.ones([5]), tf.zeros([5]), 0.01);
    expect(maxDifference(actual, expected)).to.be.below(1e-4);
    tf.dispose([x, actual]);
  });
  it('leaves no intermediate tensors behind [2 pts]', () => {
    const x = tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 41) as tf.Tensor4D;
    const gamma = tf.ones([4]) as tf.Tensor1D;
    const beta = tf.zeros([4]) as tf.Tensor1D;
    const before = tf.memory().numTensors;
    const y: tf.Tensor = submission.batchNormForward(x, gamma, beta);
    expect(tf.memory().numTensors - before, 'tensors left besides the result').to.equal(1);
    tf.dispose([x, gamma, beta, y]);
  });
  it('rejects a gamma or beta with the wrong number of channels, naming it [1 pt]', () => {
    const x = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    expect(() => submission.batchNormForward(x, tf.ones([2]), tf.zeros([3])), 'a short gamma').to.throw(Error, /gamma/);
    expect(() => submission.batchNormForward(x, tf.ones([3]), tf.zeros([4])), 'a long beta').to.throw(Error, /beta/);
    x.dispose();
  });
});

/**
 * The moving mean and variance of a Keras batch-norm layer (tf.layers.batchNormalization({ momentum })) after training
 * on `batches` from 0 and 1: each batch moves them to momentum · moving + (1 − momentum) · the batch's biased statistics.
 */
function kerasMovingStats(batches: tf.Tensor4D[], momentum: number, channels: number): { mean: number[]; variance: number[] } {
  let moving = { mean: new Array<number>(channels).fill(0), variance: new Array<number>(channels).fill(1) };
  for (const batch of batches) {
    const stats = channelMoments(valuesOf(batch), channels);
    const step = (old: number[], now: number[]) => old.map((value, c) => momentum * value + (1 - momentum) * now[c]);
    moving = { mean: step(moving.mean, stats.mean), variance: step(moving.variance, stats.variance) };
  }
  return moving;
}

/** The submission's running statistics after the same batches. */
function trainedRunningStats(batches: tf.Tensor4D[], momentum: number | undefined, gamma: tf.Tensor1D, beta: tf.Tensor1D) {
  const channels = gamma.shape[0];
  let running = { mean: tf.zeros([channels]), variance: tf.ones([channels]) };
  for (const batch of batches) {
    const result = momentum === undefined
      ? submission.batchNorm(batch, gamma, beta, running, true)
      : submission.batchNorm(batch, gamma, beta, running, true, momentum);
    result.y.dispose();
    running = result.running;
  }
  return running;
}

const trainingBatches = (channels: number) =>
  [0, 1, 2].map((i) => tf.randomNormal([3, 4, 4, channels], 2 * i - 1, 1 + i, 'float32', 60 + i) as tf.Tensor4D);

// Tensors are made in hooks, not when the file loads: the notebook picks its backend after the specs are loaded.
describe('batchNorm', () => {
  const [GAMMA, BETA] = [[0.5, 1.5, 2], [-1, 0, 0.25]];
  let gamma: tf.Tensor1D;
  let beta: tf.Tensor1D;
  before(() => {
    gamma = tf.tensor1d(GAMMA);
    beta = tf.tensor1d(BETA);
  });

  it('normalises with the batch statistics in training mode [1 pt]', () => {
    const x = tf.randomNormal([2, 3, 3, 3], 1, 2, 'float32', 70) as tf.Tensor4D;
    const { y } = submission.batchNorm(x, gamma, beta, { mean: tf.zeros([3]), variance: tf.ones([3]) }, true);
    expect(maxDifference(y, referenceBatchNorm(valuesOf(x), GAMMA, BETA, 1e-3))).to.be.below(1e-4);
  });

  it('updates the running mean and variance like a Keras layer over several batches [3 pts]', () => {
    const batches = trainingBatches(3);
    const moving = kerasMovingStats(batches, 0.8, 3);
    const running = trainedRunningStats(batches, 0.8, gamma, beta);
    expect(maxDifference(running.mean, moving.mean), 'mean').to.be.below(1e-4);
    expect(maxDifference(running.variance, moving.variance), 'variance').to.be.below(1e-4);
  });

  it('uses a momentum of 0.99 by default [1 pt]', () => {
    const batches = trainingBatches(3);
    const moving = kerasMovingStats(batches, 0.99, 3);
    expect(maxDifference(trainedRunningStats(batches, undefined, gamma, beta).mean, moving.mean)).to.be.below(1e-5);
  });

  it('matches a trained Keras layer in inference mode [3 pts]', () => {
    // A Keras layer in inference mode normalises with its moving statistics and its default ε, 1e-3.
    const batches = trainingBatches(3);
    const moving = kerasMovingStats(batches, 0.7, 3);
    const running = trainedRunningStats(batches, 0.7, gamma, beta);
    const x = tf.randomNormal([2, 2, 5, 3], 0.5, 3, 'float32', 71) as tf.Tensor4D;
    const { y } = submission.batchNorm(x, gamma, beta, running, false, 0.7);
    expect(maxDifference(y, normalise(valuesOf(x), GAMMA, BETA, moving, 1e-3))).to.be.below(1e-4);
  });

  it('leaves the running statistics unchanged in inference mode [1 pt]', () => {
    const running = { mean: tf.tensor1d([1, 2, 3]), variance: tf.tensor1d([4, 5, 6]) };
    const result = submission.batchNorm(tf.randomNormal([2, 2, 2, 3], 0, 1, 'float32', 72), gamma, beta, running, false);
    expect(Array.from(result.running.mean.dataSync())).to.deep.equal([1, 2, 3]);
    expect(Array.from(result.running.variance.dataSync())).to.deep.equal([4, 5, 6]);
  });

  it('gives an image the same output whatever shares its batch in inference mode [2 pts]', () => {
    const running = { mean: tf.tensor1d([0.5, -1, 2]), variance: tf.tensor1d([2, 0.5, 1]) };
    // The first image cut out, and the first image's outputs read back, in plain JS.
    const x = tf.randomNormal([4, 3, 3, 3], 0, 2, 'float32', 73) as tf.Tensor4D;
    const first = tf.tensor4d(valuesOf(x).slice(0, 27), [1, 3, 3, 3]);
    const alone = submission.batchNorm(first, gamma, beta, running, false).y;
    const together = valuesOf(submission.batchNorm(x, gamma, beta, running, false).y).slice(0, 27);
    expect(maxDifference(alone, together)).to.be.below(1e-6);
  });
});

/** Central differences of `f` at `point`, one coordinate at a time, in float64. */
function numericalGradient(f: (point: number[]) => number, point: number[], h = 1e-6): number[] {
  const moved = (i: number, by: number) => point.map((value, k) => (k === i ? value + by : value));
  return point.map((_, i) => (f(moved(i, h)) - f(moved(i, -h))) / (2 * h));
}

/** Σ y · dy for the reference forward pass: the loss whose gradients batchNormBackward returns. */
const lossOf = (x: number[], gamma: number[], dy: number[], eps: number): number =>
  referenceBatchNorm(x, gamma, new Array<number>(gamma.length).fill(0), eps).reduce((sum, y, k) => sum + y * dy[k], 0);

describe('batchNormBackward', () => {
  const GAMMA = [0.5, 1.5, -2];
  let [x, dy]: tf.Tensor4D[] = [];
  let gamma: tf.Tensor1D;
  let [xValues, dyValues]: number[][] = [];
  before(() => {
    x = tf.randomNormal([2, 3, 2, 3], 1, 2, 'float32', 80) as tf.Tensor4D;
    dy = tf.randomNormal([2, 3, 2, 3], 0, 1, 'float32', 81) as tf.Tensor4D;
    gamma = tf.tensor1d(GAMMA);
    [xValues, dyValues] = [valuesOf(x), valuesOf(dy)];
  });

  it('gives dbeta as the sum of dy over each channel [1 pt]', () => {
    const sums = [0, 1, 2].map((c) => dyValues.filter((_, k) => k % 3 === c).reduce((sum, value) => sum + value, 0));
    expect(maxDifference(submission.batchNormBackward(x, gamma, dy).dbeta, sums)).to.be.below(1e-4);
  });

  it('gives dgamma like automatic differentiation [2 pts]', () => {
    const expected = numericalGradient((scale) => lossOf(xValues, scale, dyValues, 1e-3), GAMMA);
    expect(maxDifference(submission.batchNormBackward(x, gamma, dy).dgamma, expected)).to.be.below(1e-3);
  });

  it('gives dx like automatic differentiation, through the batch mean and variance [3 pts]', () => {
    const expected = numericalGradient((input) => lossOf(input, GAMMA, dyValues, 1e-3), xValues);
    expect(maxDifference(submission.batchNormBackward(x, gamma, dy).dx, expected)).to.be.below(1e-3);
  });

  it('applies a custom epsilon [1 pt]', () => {
    const smallValues = xValues.map((value) => value * 0.01);
    const small = tf.tensor4d(smallValues, [2, 3, 2, 3]);
    const expected = numericalGradient((input) => lossOf(input, GAMMA, dyValues, 0.5), smallValues);
    expect(maxDifference(submission.batchNormBackward(small, gamma, dy, 0.5).dx, expected)).to.be.below(1e-4);
  });

  it('agrees with a numerical gradient on a tiny batch [2 pts]', () => {
    // 3 values of one channel, γ = 1.3: central differences of Σ y · r in float64.
    const values = [0.2, -1.1, 0.7];
    const r = [1, -0.4, 0.6];
    const numerical = numericalGradient((v) => lossOf(v, [1.3], r, 1e-3), values);
    const { dx } = submission.batchNormBackward(tf.tensor4d(values, [3, 1, 1, 1]), tf.tensor1d([1.3]), tf.tensor4d(r, [3, 1, 1, 1]));
    valuesOf(dx).forEach((value, i) => expect(value).to.be.closeTo(numerical[i], 1e-3));
  });
});
