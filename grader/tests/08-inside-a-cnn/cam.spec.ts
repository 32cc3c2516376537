// Hidden tests for classActivationMap (channels weighed at every position) and toHeatmap (ReLU, peak 1, resize).

const valuesOf = (t: tf.Tensor): number[] => Array.from(t.dataSync());
const expectClose = (actual: number[], expected: number[], tolerance = 1e-5): void => {
  expect(actual).to.have.length(expected.length);
  actual.forEach((v, k) => expect(v).to.be.closeTo(expected[k], tolerance));
};
/** Deterministic values in [-1, 1) for test inputs. */
const wavy = (count: number, phase: number): number[] => Array.from({ length: count }, (_, k) => Math.sin(1.7 * k + phase));

describe('classActivationMap', () => {
  const [height, width, channels] = [3, 4, 5];
  const features = (): tf.Tensor3D => tf.tensor3d(wavy(height * width * channels, 0.3).map((v) => Math.abs(v) * 2), [height, width, channels]);
  const weights = (): tf.Tensor1D => tf.tensor1d(wavy(channels, 2.1));

  it('weighs the channels with the class weights at every position [2 pts]', () => {
    const values = valuesOf(features());
    const w = valuesOf(weights());
    const expected = Array.from({ length: height * width }, (_, p) => w.reduce((sum, wk, k) => sum + wk * values[p * channels + k], 0));
    const map = submission.classActivationMap(features(), weights());
    expect(map.shape).to.deep.equal([height, width]);
    expectClose(valuesOf(map), expected);
  });

  it("averages to the pooled linear head's class score, without the bias [2 pts]", () => {
    // Both means in plain JS: a notebook can re-register TensorFlow.js's kernels (Mean, Sum…) while it is graded.
    const [values, w] = [valuesOf(features()), valuesOf(weights())];
    const meanOfChannel = (k: number) => values.filter((_, i) => i % channels === k).reduce((sum, v) => sum + v, 0) / (height * width);
    const score = w.reduce((sum, wk, k) => sum + wk * meanOfChannel(k), 0);
    const map = valuesOf(submission.classActivationMap(features(), weights()));
    expect(map).to.have.length(height * width);
    expect(map.reduce((sum, v) => sum + v, 0) / map.length).to.be.closeTo(score, 1e-5);
  });

  it('leaves its inputs usable', () => {
    const [f, w] = [features(), weights()];
    submission.classActivationMap(f, w);
    expect([f.isDisposed, w.isDisposed]).to.deep.equal([false, false]);
  });

  it('rejects weights whose count is not the number of channels', () => {
    submission.classActivationMap(features(), weights());
    expect(() => submission.classActivationMap(features(), tf.ones([channels + 1]))).to.throw(Error);
  });
});

describe('toHeatmap', () => {
  const coarse = (): tf.Tensor2D => tf.tensor2d([[0.5, -1, 0.2, 0], [1.5, 0.1, -0.4, 0.3], [0, 0.2, 0.9, -2], [3, 0.6, 0, 0.1]]);

  it('returns the requested size with values in [0, 1] and a peak of 1 [2 pts]', () => {
    const heatmap = submission.toHeatmap(coarse(), 16, 16);
    expect(heatmap.shape).to.deep.equal([16, 16]);
    const values = valuesOf(heatmap);
    expect(Math.min(...values)).to.be.at.least(-1e-6);
    expect(Math.max(...values)).to.be.closeTo(1, 1e-5);
  });

  it("puts the peak where the map's largest value is", () => {
    const values = valuesOf(submission.toHeatmap(coarse(), 16, 16));
    const peak = values.indexOf(Math.max(...values));
    // The largest value, 3, is in the bottom-left cell of the 4 × 4 map: rows 12–15, columns 0–3 of the heatmap.
    expect(Math.floor(peak / 16)).to.be.at.least(12);
    expect(peak % 16).to.be.below(4);
  });

  it('keeps only the positive part of the map [2 pts]', () => {
    expectClose(valuesOf(submission.toHeatmap(tf.tensor2d([[-1, -3], [0.5, 2]]), 2, 2)), [0, 0, 0.25, 1]);
  });

  it('gives zeros, not NaN, for a map without a positive value', () => {
    expect(valuesOf(submission.toHeatmap(tf.tensor2d([[-1, -3], [0, -2]]), 4, 4))).to.deep.equal(new Array(16).fill(0));
  });

  it('does not depend on the scale of the map', () => {
    const scaled = tf.tensor2d(valuesOf(coarse()).map((v) => v * 40), [4, 4]);
    expectClose(valuesOf(submission.toHeatmap(scaled, 8, 8)), valuesOf(submission.toHeatmap(coarse(), 8, 8)));
  });

  it('resizes to a height and width that differ', () => {
    expect(submission.toHeatmap(coarse(), 6, 10).shape).to.deep.equal([6, 10]);
  });
});
