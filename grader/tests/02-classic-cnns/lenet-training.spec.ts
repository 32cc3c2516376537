/**
 * The notebook trains `lenet` on 8000 of the `mnist` package's 10,000 digits and keeps the other 2000 aside
 * (`loadMnist({ trainSize: 8000, testSize: 2000, seed: 7 })` in its locked data cell: change both together). These
 * tests read those 2000 held-out digits themselves and count correct answers in plain JS: a learner's cell can
 * redefine the notebook's `digits`, and TensorFlow.js's kernels, but not this file's values.
 */
const SPLIT = { trainSize: 8000, testSize: 2000, seed: 7 };

/**
 * The kit's plain-JS digit reader, loaded with this file, before any notebook code runs: it takes `fs`'s reader, the
 * files' paths and its generator as it loads, so a notebook that later replaces them changes nothing it reads.
 * `require` is the loader's, two folders below the project root (dist/grader/sandbox/ in the child, which may read
 * dist/; grader/sandbox/ or tests/curriculum/ under tsx); the module loads no TensorFlow.js.
 */
const { mnistDigits, shareClassifiedRight } = require('../../datasets/mnist-digits') as typeof import('../../../datasets/mnist-digits');
type Digits = ReturnType<typeof mnistDigits>;

/** Training moves the biases from the zeros every layer starts them at; an untrained or made-up model keeps none. */
function biasesMoved(model: tf.LayersModel): boolean {
  const biases = model.weights.filter((weight) => /bias$/.test(weight.name));
  return biases.some((bias) => Array.from(bias.read().dataSync()).some((value) => value !== 0));
}

/** How long the spec may take to read the 10,000 digits: its own work, not the learner's, on a busy grader. */
const READ_TIMEOUT_MS = 60_000;

/** The share of `heldOut` that `lenet` classifies right, once it is shown to be a trained TensorFlow.js model. */
function accuracyOf(lenet: tf.LayersModel, heldOut: Digits): number {
  expect(lenet, 'lenet').to.be.an.instanceOf(tf.LayersModel);
  expect(biasesMoved(lenet), 'lenet\'s biases moved from their initial zeros (it was trained)').to.equal(true);
  const { pixels, labels } = heldOut;
  const xs = tf.tensor4d(pixels, [labels.length, 28, 28, 1]);
  const scores = lenet.predict(xs) as tf.Tensor;
  const values = scores.dataSync();
  tf.dispose([xs, scores]);
  return shareClassifiedRight(values, labels);
}

describe('the trained LeNet-5', () => {
  let heldOut: Digits;
  let accuracy: number | undefined;
  before(function () {
    this.timeout(READ_TIMEOUT_MS);
    heldOut = mnistDigits({ seed: SPLIT.seed, from: SPLIT.trainSize, count: SPLIT.testSize });
  });
  const measured = (): number => (accuracy ??= accuracyOf(submission.lenet, heldOut));

  it('classifies held-out digits far better than chance [2 pts]', () => {
    expect(measured()).to.be.above(0.8);
  });
  it('classifies held-out digits accurately [3 pts]', () => {
    expect(measured()).to.be.at.least(0.9);
  });
});
