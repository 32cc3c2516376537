// Hidden tests for normalizeMap (min–max stretch to [0, 1]) and activationModel (inner layers as outputs).

const valuesOf = (t: tf.Tensor): number[] => Array.from(t.dataSync());
const expectClose = (actual: number[], expected: number[], tolerance = 1e-5): void => {
  expect(actual).to.have.length(expected.length);
  actual.forEach((v, k) => expect(v).to.be.closeTo(expected[k], tolerance));
};

describe('normalizeMap', () => {
  const rows = [[-3, 0.5, 2], [7, -1, 4]];

  it('stretches the smallest value to 0 and the largest to 1, linearly [2 pts]', () => {
    const flat = rows.flat();
    const [low, high] = [Math.min(...flat), Math.max(...flat)];
    const result = submission.normalizeMap(tf.tensor2d(rows));
    expect(result.shape).to.deep.equal([2, 3]);
    expectClose(valuesOf(result), flat.map((x) => (x - low) / (high - low)));
  });

  it('does not depend on the scale or offset of the map', () => {
    const original = valuesOf(submission.normalizeMap(tf.tensor2d(rows)));
    const shifted = valuesOf(submission.normalizeMap(tf.tensor2d(rows.map((row) => row.map((x) => x * 25 - 8)))));
    expectClose(shifted, original);
  });

  it('gives zeros, not NaN, for a map whose values are all equal', () => {
    for (const value of [5, -2, 0]) {
      expect(valuesOf(submission.normalizeMap(tf.tensor2d(new Array(6).fill(value), [3, 2])))).to.deep.equal([0, 0, 0, 0, 0, 0]);
    }
  });

  it('returns a new tensor and leaves its input unchanged', () => {
    const input = tf.tensor2d(rows);
    const result = submission.normalizeMap(input);
    expect(result).to.not.equal(input);
    expect(input.isDisposed).to.equal(false);
    expect(valuesOf(input)).to.deep.equal(rows.flat());
  });
});

describe('activationModel', () => {
  /** input [5, 5, 1] → conv "edges" (2 filters 3×3, ReLU) → max pool "pool" → flatten → dense "scores". */
  function smallNetwork(): tf.LayersModel {
    const input = tf.input({ shape: [5, 5, 1] });
    const edges = tf.layers.conv2d({ name: 'edges', filters: 2, kernelSize: 3, activation: 'relu' }).apply(input);
    const pool = tf.layers.maxPooling2d({ name: 'pool', poolSize: 3 }).apply(edges);
    const scores = tf.layers.dense({ name: 'scores', units: 3 }).apply(tf.layers.flatten().apply(pool));
    return tf.model({ inputs: input, outputs: scores as tf.SymbolicTensor });
  }
  const outputsOf = (model: tf.LayersModel, input: tf.Tensor): tf.Tensor[] => [model.predict(input) as tf.Tensor | tf.Tensor[]].flat();
  const pixels = Array.from({ length: 25 }, (_, k) => ((k * 7) % 11) / 10 - 0.3);
  const image = tf.tensor4d(pixels, [1, 5, 5, 1]);
  /**
   * The "edges" activations computed from the layer's weights in plain JS (a 3×3 valid convolution of the one-channel
   * image, plus bias, then ReLU; [row, column, filter] order): a notebook can re-register TensorFlow.js's kernels.
   */
  const edgesOf = (model: tf.LayersModel): number[] => {
    const [kernel, bias] = model.getLayer('edges').getWeights().map(valuesOf); // kernel [3, 3, 1, 2]
    return Array.from({ length: 3 * 3 * 2 }, (_, k) => {
      const [row, column, filter] = [Math.floor(k / 6), Math.floor(k / 2) % 3, k % 2];
      let sum = bias[filter]!;
      for (let u = 0; u < 3; u++) {
        for (let v = 0; v < 3; v++) sum += pixels[(row + u) * 5 + column + v]! * kernel[(u * 3 + v) * 2 + filter]!;
      }
      return Math.max(0, sum);
    });
  };

  it('outputs the activations of the named inner layers for an input [2 pts]', () => {
    const network = smallNetwork();
    const [edges, pool] = outputsOf(submission.activationModel(network, ['edges', 'pool']), image);
    expect(edges.shape).to.deep.equal([1, 3, 3, 2]);
    expectClose(valuesOf(edges), edgesOf(network));
    expect(pool.shape).to.deep.equal([1, 1, 1, 2]);
  });

  it('keeps the order of the names it is given', () => {
    const outputs = outputsOf(submission.activationModel(smallNetwork(), ['scores', 'edges']), image);
    expect(outputs.map((output) => output.shape)).to.deep.equal([[1, 3], [1, 3, 3, 2]]);
  });

  it('works with a single name', () => {
    const outputs = outputsOf(submission.activationModel(smallNetwork(), ['pool']), image);
    expect(outputs.map((output) => output.shape)).to.deep.equal([[1, 1, 1, 2]]);
  });

  it("shares the model's weights: when the model changes, so do its activations [2 pts]", () => {
    const network = smallNetwork();
    const activations = submission.activationModel(network, ['edges']);
    const [kernel, bias] = network.getLayer('edges').getWeights();
    // New weights made in plain JS, so that they surely differ from the old ones.
    const changed = (weight: tf.Tensor, change: (v: number) => number) => tf.tensor(valuesOf(weight).map(change), weight.shape);
    network.getLayer('edges').setWeights([changed(kernel, (v) => v * -2), changed(bias, (v) => v + 0.5)]);
    expectClose(valuesOf(outputsOf(activations, image)[0]), edgesOf(network));
  });

  it('rejects a layer name the model does not have, naming it', () => {
    submission.activationModel(smallNetwork(), ['edges']);
    expect(() => submission.activationModel(smallNetwork(), ['edges', 'no_such_layer'])).to.throw(Error, /no_such_layer/);
  });
});
