/** Reference batch norm (training mode) built from tf.moments, computed independently of the submission. */
function referenceBatchNorm(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor4D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    return x.sub(mean).div(variance.add(eps).sqrt()).mul(gamma).add(beta) as tf.Tensor4D;
  });
}

function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).arraySync() as number);
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
      const expected = referenceBatchNorm(x, gamma, beta, eps ?? 1e-3);
      const actual: tf.Tensor4D = eps === undefined ? submission.batchNormForward(x, gamma, beta) : submission.batchNormForward(x, gamma, beta, eps);
      expect(actual.shape).to.deep.equal(shape);
      expect(maxDifference(actual, expected)).to.be.below(1e-4);
      tf.dispose([x, gamma, beta, expected, actual]);
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
    const x = tf.fill([2, 3, 3, 2], 4) as tf.Tensor4D;
    const y: tf.Tensor = submission.batchNormForward(x, tf.tensor1d([3, 3]), tf.tensor1d([0.25, -2]));
    expect(maxDifference(y, tf.tensor4d(Array.from({ length: 36 }, (_, i) => (i % 2 === 0 ? 0.25 : -2)), [2, 3, 3, 2]))).to.be.below(1e-5);
    tf.dispose([x, y]);
  });
  it('agrees with a Keras batch-normalization layer in training mode [2 pts]', () => {
    const x = tf.randomNormal([3, 4, 4, 5], -2, 4, 'float32', 31) as tf.Tensor4D;
    const layer = tf.layers.batchNormalization({ epsilon: 0.01 });
    const expected = layer.apply(x, { training: true }) as tf.Tensor;
    const actual: tf.Tensor = submission.batchNormForward(x, tf.ones([5]), tf.zeros([5]), 0.01);
    expect(maxDifference(actual, expected)).to.be.below(1e-4);
    tf.dispose([x, expected, actual]);
    layer.dispose();
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

/** Weights of a Keras batch-norm layer trained on `batches`: [gamma, beta, moving mean, moving variance]. */
function trainedKerasLayer(batches: tf.Tensor4D[], momentum: number, gamma: tf.Tensor1D, beta: tf.Tensor1D) {
  const layer = tf.layers.batchNormalization({ momentum });
  layer.build(batches[0].shape);
  layer.setWeights([gamma, beta, tf.zeros(gamma.shape), tf.ones(gamma.shape)]);
  for (const batch of batches) (layer.apply(batch, { training: true }) as tf.Tensor).dispose();
  return layer;
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
  let gamma: tf.Tensor1D;
  let beta: tf.Tensor1D;
  before(() => {
    gamma = tf.tensor1d([0.5, 1.5, 2]);
    beta = tf.tensor1d([-1, 0, 0.25]);
  });

  it('normalises with the batch statistics in training mode [1 pt]', () => {
    const x = tf.randomNormal([2, 3, 3, 3], 1, 2, 'float32', 70) as tf.Tensor4D;
    const { y } = submission.batchNorm(x, gamma, beta, { mean: tf.zeros([3]), variance: tf.ones([3]) }, true);
    expect(maxDifference(y, referenceBatchNorm(x, gamma, beta, 1e-3))).to.be.below(1e-4);
  });

  it('updates the running mean and variance like a Keras layer over several batches [3 pts]', () => {
    const batches = trainingBatches(3);
    const [, , movingMean, movingVariance] = trainedKerasLayer(batches, 0.8, gamma, beta).getWeights();
    const running = trainedRunningStats(batches, 0.8, gamma, beta);
    expect(maxDifference(running.mean, movingMean), 'mean').to.be.below(1e-4);
    expect(maxDifference(running.variance, movingVariance), 'variance').to.be.below(1e-4);
  });

  it('uses a momentum of 0.99 by default [1 pt]', () => {
    const batches = trainingBatches(3);
    const [, , movingMean] = trainedKerasLayer(batches, 0.99, gamma, beta).getWeights();
    expect(maxDifference(trainedRunningStats(batches, undefined, gamma, beta).mean, movingMean)).to.be.below(1e-5);
  });

  it('matches a trained Keras layer in inference mode [3 pts]', () => {
    const batches = trainingBatches(3);
    const layer = trainedKerasLayer(batches, 0.7, gamma, beta);
    const running = trainedRunningStats(batches, 0.7, gamma, beta);
    const x = tf.randomNormal([2, 2, 5, 3], 0.5, 3, 'float32', 71) as tf.Tensor4D;
    const { y } = submission.batchNorm(x, gamma, beta, running, false, 0.7);
    expect(maxDifference(y, layer.apply(x, { training: false }) as tf.Tensor)).to.be.below(1e-4);
  });

  it('leaves the running statistics unchanged in inference mode [1 pt]', () => {
    const running = { mean: tf.tensor1d([1, 2, 3]), variance: tf.tensor1d([4, 5, 6]) };
    const result = submission.batchNorm(tf.randomNormal([2, 2, 2, 3], 0, 1, 'float32', 72), gamma, beta, running, false);
    expect(Array.from(result.running.mean.dataSync())).to.deep.equal([1, 2, 3]);
    expect(Array.from(result.running.variance.dataSync())).to.deep.equal([4, 5, 6]);
  });

  it('gives an image the same output whatever shares its batch in inference mode [2 pts]', () => {
    const running = { mean: tf.tensor1d([0.5, -1, 2]), variance: tf.tensor1d([2, 0.5, 1]) };
    const x = tf.randomNormal([4, 3, 3, 3], 0, 2, 'float32', 73) as tf.Tensor4D;
    const alone = submission.batchNorm(x.slice([0, 0, 0, 0], [1, -1, -1, -1]), gamma, beta, running, false).y;
    const together = submission.batchNorm(x, gamma, beta, running, false).y.slice([0, 0, 0, 0], [1, -1, -1, -1]);
    expect(maxDifference(alone, together)).to.be.below(1e-6);
  });
});

describe('batchNormBackward', () => {
  let [x, dy]: tf.Tensor4D[] = [];
  let [gamma, beta]: tf.Tensor1D[] = [];
  before(() => {
    x = tf.randomNormal([2, 3, 2, 3], 1, 2, 'float32', 80) as tf.Tensor4D;
    dy = tf.randomNormal([2, 3, 2, 3], 0, 1, 'float32', 81) as tf.Tensor4D;
    gamma = tf.tensor1d([0.5, 1.5, -2]);
    beta = tf.zeros([3]) as tf.Tensor1D;
  });
  /** Gradients of sum(y · dy) by automatic differentiation of the reference forward pass. */
  const automatic = (eps: number) => tf.grads((input: tf.Tensor, scale: tf.Tensor) =>
    referenceBatchNorm(input as tf.Tensor4D, scale as tf.Tensor1D, beta, eps).mul(dy).sum())([x, gamma]);

  it('gives dbeta as the sum of dy over each channel [1 pt]', () => {
    expect(maxDifference(submission.batchNormBackward(x, gamma, dy).dbeta, dy.sum([0, 1, 2]))).to.be.below(1e-4);
  });

  it('gives dgamma like automatic differentiation [2 pts]', () => {
    expect(maxDifference(submission.batchNormBackward(x, gamma, dy).dgamma, automatic(1e-3)[1])).to.be.below(1e-3);
  });

  it('gives dx like automatic differentiation, through the batch mean and variance [3 pts]', () => {
    expect(maxDifference(submission.batchNormBackward(x, gamma, dy).dx, automatic(1e-3)[0])).to.be.below(1e-3);
  });

  it('applies a custom epsilon [1 pt]', () => {
    const small = tf.mul(x, 0.01) as tf.Tensor4D;
    const expected = tf.grad((input: tf.Tensor) => referenceBatchNorm(input as tf.Tensor4D, gamma, beta, 0.5).mul(dy).sum())(small);
    expect(maxDifference(submission.batchNormBackward(small, gamma, dy, 0.5).dx, expected)).to.be.below(1e-4);
  });

  it('agrees with a numerical gradient on a tiny batch [2 pts]', () => {
    // Central differences in float64 on 3 values of one channel: y = γ(x − μ)/√(σ² + ε), loss = Σ y·r.
    const values = [0.2, -1.1, 0.7];
    const r = [1, -0.4, 0.6];
    const loss = (v: number[]) => {
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
      return v.reduce((sum, value, i) => sum + 1.3 * ((value - mean) / Math.sqrt(variance + 1e-3)) * r[i], 0);
    };
    const h = 1e-6;
    const numerical = values.map((_, i) => (loss(values.map((v, k) => v + (k === i ? h : 0))) - loss(values.map((v, k) => v - (k === i ? h : 0)))) / (2 * h));
    const { dx } = submission.batchNormBackward(tf.tensor4d(values, [3, 1, 1, 1]), tf.tensor1d([1.3]), tf.tensor4d(r, [3, 1, 1, 1]));
    Array.from(dx.dataSync() as Float32Array).forEach((value, i) => expect(value).to.be.closeTo(numerical[i], 1e-3));
  });
});
