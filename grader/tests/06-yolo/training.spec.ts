// Hidden tests for encodeTargets and yoloLoss: the targets the detector learns from and the loss it minimises.

type Shape = { classId: number; box: number[] };
const encode = (objects: Shape[][], grid: number, numClasses: number, imageSize: number): tf.Tensor4D =>
  submission.encodeTargets(objects, grid, numClasses, imageSize);
// Answers are read back with dataSync and picked apart in plain JS: a notebook can re-register TensorFlow.js's kernels
// (Slice, Sum, Sub…) while it is graded, so no value a test compares comes out of one.
const valuesOf = (t: tf.Tensor): number[] => Array.from(t.dataSync());
/** The 5 + C numbers of one grid cell of an encoded target, rounded to 6 decimals. */
const cellOf = (target: tf.Tensor4D, n: number, row: number, col: number): number[] => {
  const [, rows, cols, depth] = target.shape;
  const start = ((n * rows + row) * cols + col) * depth;
  return valuesOf(target).slice(start, start + depth).map((v) => Math.round(v * 1e6) / 1e6);
};

describe('encodeTargets', () => {
  it('has one row of 5 + C numbers per grid cell and image [1 pt]', () => {
    expect(encode([[], [], []], 5, 4, 40).shape).to.deep.equal([3, 5, 5, 9]);
  });
  it('writes the centre offset inside its cell and the size as fractions of the image [3 pts]', () => {
    // centre (30, 10) in a 4×4 grid over 40 px: cell 10 px, column 3, row 1, offsets 0 and 0; size 12×6 → 0.3, 0.15
    const target = encode([[{ classId: 0, box: [24, 7, 36, 13] }]], 4, 2, 40);
    expect(cellOf(target, 0, 1, 3)).to.deep.equal([0, 0, 0.3, 0.15, 1, 1, 0]);
  });
  it('marks the class one-hot and leaves every other cell empty [2 pts]', () => {
    const target = encode([[{ classId: 2, box: [1, 1, 5, 7] }]], 2, 3, 16);
    expect(cellOf(target, 0, 0, 0).slice(4)).to.deep.equal([1, 0, 0, 1]);
    const total = valuesOf(target).reduce((a, b) => a + b, 0);
    expect(total).to.be.closeTo(cellOf(target, 0, 0, 0).reduce((a, b) => a + b, 0), 1e-5);
  });
  it('keeps the first of two shapes whose centres share a cell [2 pts]', () => {
    const target = encode([[{ classId: 0, box: [0, 0, 4, 4] }, { classId: 1, box: [1, 1, 3, 3] }]], 2, 2, 16);
    expect(cellOf(target, 0, 0, 0)).to.deep.equal([0.25, 0.25, 0.25, 0.25, 1, 1, 0]);
  });
  it('puts a centre on the right or bottom edge of the image into the last cell [1 pt]', () => {
    const target = encode([[{ classId: 0, box: [12, 12, 20, 20] }]], 2, 1, 16); // centre (16, 16)
    expect(cellOf(target, 0, 1, 1)).to.deep.equal([1, 1, 0.5, 0.5, 1, 1]);
  });
  it('encodes each image of a batch on its own [1 pt]', () => {
    const target = encode([[], [{ classId: 0, box: [0, 0, 8, 8] }]], 2, 1, 16);
    expect(cellOf(target, 0, 0, 0)[4], 'first image').to.equal(0);
    expect(cellOf(target, 1, 0, 0)[4], 'second image').to.equal(1);
  });
});

/** The loss as the notebook defines it, written independently (λcoord 5, λnoobj 0.5). */
function referenceLoss(target: tf.Tensor4D, raw: tf.Tensor4D): number {
  const [t, r] = [target.arraySync(), raw.arraySync()];
  const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
  const softplus = (z: number) => Math.log1p(Math.exp(z));
  let total = 0;
  t.forEach((image, n) => image.forEach((row, i) => row.forEach((cell, j) => {
    const out = r[n][i][j];
    const object = cell[4];
    const confidence = softplus(out[4]) - object * out[4];
    if (object === 1) {
      const [x, y, w, h] = out.slice(0, 4).map(sigmoid);
      const logits = out.slice(5);
      const max = Math.max(...logits);
      const logSum = max + Math.log(logits.reduce((sum, z) => sum + Math.exp(z - max), 0));
      const crossEntropy = -cell.slice(5).reduce((sum, p, c) => sum + p * (logits[c] - logSum), 0);
      const box = (x - cell[0]) ** 2 + (y - cell[1]) ** 2 + (Math.sqrt(w) - Math.sqrt(cell[2])) ** 2 + (Math.sqrt(h) - Math.sqrt(cell[3])) ** 2;
      total += 5 * box + confidence + crossEntropy;
    } else {
      total += 0.5 * confidence;
    }
  })));
  return total / t.length;
}

describe('yoloLoss', () => {
  let target: tf.Tensor4D;
  let raw: tf.Tensor4D;
  before(() => {
    target = encode([[{ classId: 1, box: [2, 3, 9, 14] }, { classId: 0, box: [20, 18, 30, 31] }], [{ classId: 2, box: [10, 0, 32, 9] }]], 3, 3, 32);
    raw = tf.randomNormal([2, 3, 3, 8], 0, 1.5, 'float32', 90) as tf.Tensor4D;
  });
  const loss = (t: tf.Tensor, r: tf.Tensor): number => (submission.yoloLoss(t, r) as tf.Scalar).arraySync();

  it('returns a scalar', () => expect(submission.yoloLoss(target, raw).rank).to.equal(0));
  it('matches the YOLO loss on a batch with objects and empty cells [4 pts]', () => {
    expect(loss(target, raw)).to.be.closeTo(referenceLoss(target, raw), 1e-3);
  });
  it('ignores the box and class outputs of empty cells [2 pts]', () => {
    // Noisy box and class outputs around a confidence logit of 0 in every cell, put together in plain JS.
    const empty = tf.zeros([1, 2, 2, 7]);
    const [boxes, classes] = [valuesOf(tf.randomNormal([4, 4], 0, 3, 'float32', 91)), valuesOf(tf.randomNormal([4, 2], 0, 3, 'float32', 92))];
    const cells = [0, 1, 2, 3].flatMap((cell) => [...boxes.slice(4 * cell, 4 * cell + 4), 0, ...classes.slice(2 * cell, 2 * cell + 2)]);
    const noisy = tf.tensor4d(cells, [1, 2, 2, 7]);
    expect(loss(empty, noisy)).to.be.closeTo(4 * 0.5 * Math.log(2), 1e-4);
  });
  it('compares square roots of the sizes, so a small box costs more than a big one for the same error [2 pts]', () => {
    const withSize = (w: number) => tf.tensor4d([0.5, 0.5, w, w, 1, 1], [1, 1, 1, 6]);
    const logit = (p: number) => Math.log(p / (1 - p));
    const predicted = (w: number) => tf.tensor4d([0, 0, logit(w + 0.05), logit(w + 0.05), 20, 0], [1, 1, 1, 6]);
    expect(loss(withSize(0.1), predicted(0.1))).to.be.above(loss(withSize(0.8), predicted(0.8)));
    expect(loss(withSize(0.1), predicted(0.1))).to.be.closeTo(referenceLoss(withSize(0.1), predicted(0.1)), 1e-3);
  });
  it('averages over the images of the batch instead of summing [1 pt]', () => {
    const twice = (t: tf.Tensor4D) => tf.tensor4d([...valuesOf(t), ...valuesOf(t)], [2 * t.shape[0], t.shape[1], t.shape[2], t.shape[3]]);
    const doubled = [twice(target), twice(raw)];
    expect(loss(doubled[0], doubled[1])).to.be.closeTo(loss(target, raw), 1e-4);
  });
  it('stays finite for very confident outputs [1 pt]', () => {
    const extreme = tf.tensor4d(valuesOf(raw).map((value) => Math.sign(value) * 200), raw.shape);
    expect(Number.isFinite(loss(target, extreme))).to.equal(true);
  });
  it('has a gradient that lowers the loss [2 pts]', () => {
    // One small step against the submission's gradient, taken in plain JS, must lower the loss as written above.
    const gradient = valuesOf(tf.grad((r: tf.Tensor) => submission.yoloLoss(target, r))(raw));
    const stepped = tf.tensor4d(valuesOf(raw).map((value, k) => value - 0.01 * gradient[k]!), raw.shape);
    expect(referenceLoss(target, stepped)).to.be.below(referenceLoss(target, raw));
  });
});
