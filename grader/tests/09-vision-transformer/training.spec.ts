/**
 * The notebook trains `vit` on the first digits of `loadMnist({ trainSize, testSize: 2000, seed: 7 })` (8000, or 2000
 * when graded). These tests read 500 digits after the first 8000 of that order themselves, which neither mode trains
 * on, and count correct answers in plain JS: a learner's cell can redefine the notebook's `digits`, and TensorFlow.js's
 * kernels, but not this file's values.
 */
const HELD_OUT = { seed: 7, from: 8000, count: 500 };

/** The kit's plain-JS digit reader, loaded with this file, before any notebook code runs (see 02's spec). */
const { mnistDigits, shareClassifiedRight } = require('../../datasets/mnist-digits') as typeof import('../../../datasets/mnist-digits');
type Digits = ReturnType<typeof mnistDigits>;

const READ_TIMEOUT_MS = 60_000;

describe('the trained ViT', () => {
  let heldOut: Digits;
  before(function () {
    this.timeout(READ_TIMEOUT_MS);
    heldOut = mnistDigits(HELD_OUT);
  });

  it('moved its classifier from the zeros it starts at (it was trained) [1 pt]', () => {
    const kernel: tf.Tensor = submission.vit.head.kernel;
    expect(Array.from(kernel.dataSync()).some((value) => value !== 0)).to.equal(true);
  });
  it('classifies held-out digits far better than chance [3 pts]', () => {
    const xs = tf.tensor4d(heldOut.pixels, [heldOut.labels.length, 28, 28, 1]);
    const logits: tf.Tensor = submission.vitForward(submission.vit, xs).logits;
    const accuracy = shareClassifiedRight(logits.dataSync(), heldOut.labels);
    tf.dispose([xs, logits]);
    expect(accuracy).to.be.above(0.4);
  });
});
