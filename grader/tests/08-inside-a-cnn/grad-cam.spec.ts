// Hidden tests for gradCam: channel weights = position-averaged gradients of the class score, then ReLU of the sum.

const valuesOf = (t: tf.Tensor): number[] => Array.from(t.dataSync());
const expectClose = (actual: number[], expected: number[], tolerance = 1e-5): void => {
  expect(actual).to.have.length(expected.length);
  actual.forEach((v, k) => expect(v).to.be.closeTo(expected[k], tolerance));
};
const wavy = (count: number, phase: number): number[] => Array.from({ length: count }, (_, k) => Math.sin(1.3 * k + phase));

type ScoreOf = (maps: tf.Tensor4D) => tf.Tensor2D;
const [H, W, C, CLASSES] = [3, 3, 4, 3];
const features = (): tf.Tensor3D => tf.tensor3d(wavy(H * W * C, 0.7).map((v) => Math.abs(v) + 0.1), [H, W, C]);

/** ReLU(Σ_k α_k A_k) in plain numbers, for channel weights α. */
function weighedMap(alpha: number[]): number[] {
  const values = valuesOf(features());
  return Array.from({ length: H * W }, (_, p) => Math.max(0, alpha.reduce((sum, a, k) => sum + a * values[p * C + k], 0)));
}

describe('gradCam', () => {
  // Pooled linear head: score_c = Σ_k mean(A_k) V[k, c], so ∂score_c/∂A_ijk = V[k, c] / (H W) everywhere.
  const pooledWeights = wavy(C * CLASSES, 2.4);
  const pooledHead: ScoreOf = (maps) => maps.mean([1, 2]).matMul(tf.tensor2d(pooledWeights, [C, CLASSES])) as tf.Tensor2D;
  const pooledAlpha = (c: number) => Array.from({ length: C }, (_, k) => pooledWeights[k * CLASSES + c] / (H * W));

  it('equals the positive part of the class activation map, divided by h·w, on a pooled linear head [3 pts]', () => {
    const map = submission.gradCam(features(), pooledHead, 1);
    expect(map.shape).to.deep.equal([H, W]);
    expectClose(valuesOf(map), weighedMap(pooledAlpha(1)));
  });

  it('explains the class it is asked about, not the highest score', () => {
    for (const c of [0, 2]) expectClose(valuesOf(submission.gradCam(features(), pooledHead, c)), weighedMap(pooledAlpha(c)));
  });

  it('averages the gradients over positions when they differ from place to place [3 pts]', () => {
    // Flattened linear head: score_c = Σ_ijk U[ijk, c] A_ijk, so the gradient is U[:, c], different at every position.
    const perPosition = wavy(H * W * C * CLASSES, 1.1);
    const flatHead: ScoreOf = (maps) => maps.reshape([1, H * W * C]).matMul(tf.tensor2d(perPosition, [H * W * C, CLASSES])) as tf.Tensor2D;
    const alpha = Array.from({ length: C }, (_, k) => {
      let total = 0;
      for (let p = 0; p < H * W; p++) total += perPosition[(p * C + k) * CLASSES + 2];
      return total / (H * W);
    });
    expectClose(valuesOf(submission.gradCam(features(), flatHead, 2)), weighedMap(alpha));
  });

  it('differentiates through a head that is not linear', () => {
    // score_c = (Σ_k mean(A_k) V[k, c])², so the gradient is 2 · (that sum) · V[k, c] / (H W).
    const squaredHead: ScoreOf = (maps) => pooledHead(maps).square();
    const values = valuesOf(features()); // the score Σ_k mean(A_k) V[k, 0], in plain JS
    const linearScore = Array.from({ length: C }, (_, k) => values.filter((_, i) => i % C === k).reduce((sum, v) => sum + v, 0) / (H * W))
      .reduce((sum, mean, k) => sum + mean * pooledWeights[k * CLASSES]!, 0);
    expectClose(valuesOf(submission.gradCam(features(), squaredHead, 0)), weighedMap(pooledAlpha(0).map((a) => 2 * linearScore * a)), 1e-4);
  });

  it('keeps only the evidence for the class: negative sums become 0', () => {
    const againstHead: ScoreOf = (maps) => maps.mean([1, 2]).sum(1, true).mul(-1).tile([1, 2]) as tf.Tensor2D;
    expect(valuesOf(submission.gradCam(features(), againstHead, 0))).to.deep.equal(new Array(H * W).fill(0));
  });

  it('leaves the features usable', () => {
    const input = features();
    submission.gradCam(input, pooledHead, 0);
    expect(input.isDisposed).to.equal(false);
  });

  it('rejects a class index the scores do not have', () => {
    submission.gradCam(features(), pooledHead, 0);
    expect(() => submission.gradCam(features(), pooledHead, CLASSES)).to.throw(Error);
  });
});
