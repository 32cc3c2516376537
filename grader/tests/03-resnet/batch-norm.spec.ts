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
