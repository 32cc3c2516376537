/**
 * The notebook trains `lenet` on 8000 of the `mnist` package's 10,000 digits and keeps the other 2000 aside
 * (`loadMnist({ trainSize: 8000, testSize: 2000, seed: 7 })` in its locked data cell: change both together). These
 * tests read those 2000 held-out digits themselves and count correct answers in plain JS: a learner's cell can
 * redefine the notebook's `digits`, and TensorFlow.js's kernels, but not this file's values.
 */
const SPLIT = { trainSize: 8000, testSize: 2000, seed: 7 };
const PIXELS = 28 * 28;

// Taken while the spec loads, before any notebook code runs: a notebook may later replace fs's functions or rewrite
// the digits held in require's cache, not these.
const readFile = (require('node:fs') as typeof import('node:fs')).readFileSync;
const digitFiles = Array.from({ length: 10 }, (_, digit) => require.resolve(`mnist/src/digits/${digit}.json`));

/** The kit's seeded generator (mulberry32), written out here: the split is the notebook's, computed without its code. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The digits `loadMnist` with SPLIT keeps for testing: all of them by class, shuffled by the seed, after the training ones. */
function heldOutDigits(): { pixels: Float32Array; labels: number[] } {
  const raw = digitFiles.map((file) => (JSON.parse(readFile(file, 'utf8')) as { data: number[] }).data);
  const samples = raw.flatMap((pixels, label) => Array.from({ length: Math.floor(pixels.length / PIXELS) }, (_, i) => ({ label, offset: i * PIXELS })));
  const random = mulberry32(SPLIT.seed);
  for (let i = samples.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [samples[i], samples[j]] = [samples[j]!, samples[i]!];
  }
  const heldOut = samples.slice(SPLIT.trainSize, SPLIT.trainSize + SPLIT.testSize);
  const pixels = new Float32Array(heldOut.length * PIXELS);
  heldOut.forEach(({ label, offset }, i) => pixels.set(raw[label]!.slice(offset, offset + PIXELS), i * PIXELS));
  return { pixels, labels: heldOut.map((sample) => sample.label) };
}

/** Training moves the biases from the zeros every layer starts them at; an untrained or made-up model keeps none. */
function biasesMoved(model: tf.LayersModel): boolean {
  const biases = model.weights.filter((weight) => /bias$/.test(weight.name));
  return biases.some((bias) => Array.from(bias.read().dataSync()).some((value) => value !== 0));
}

/** How long the spec may take to read the 10,000 digits: its own work, not the learner's, on a busy grader. */
const READ_TIMEOUT_MS = 60_000;

/** The share of `heldOut` that `lenet` classifies right, once it is shown to be a trained TensorFlow.js model. */
function accuracyOf(lenet: tf.LayersModel, heldOut: { pixels: Float32Array; labels: number[] }): number {
  expect(lenet, 'lenet').to.be.an.instanceOf(tf.LayersModel);
  expect(biasesMoved(lenet), 'lenet\'s biases moved from their initial zeros (it was trained)').to.equal(true);
  const { pixels, labels } = heldOut;
  const xs = tf.tensor4d(pixels, [labels.length, 28, 28, 1]);
  const scores = lenet.predict(xs) as tf.Tensor;
  const values = Array.from(scores.dataSync());
  tf.dispose([xs, scores]);
  const classes = values.length / labels.length;
  const predicted = labels.map((_, i) => {
    const row = values.slice(i * classes, (i + 1) * classes);
    return row.indexOf(Math.max(...row));
  });
  return predicted.filter((label, i) => label === labels[i]).length / labels.length;
}

describe('the trained LeNet-5', () => {
  let heldOut: { pixels: Float32Array; labels: number[] };
  let accuracy: number | undefined;
  before(function () {
    this.timeout(READ_TIMEOUT_MS);
    heldOut = heldOutDigits();
  });
  const measured = (): number => (accuracy ??= accuracyOf(submission.lenet, heldOut));

  it('classifies held-out digits far better than chance [2 pts]', () => {
    expect(measured()).to.be.above(0.8);
  });
  it('classifies held-out digits accurately [3 pts]', () => {
    expect(measured()).to.be.at.least(0.9);
  });
});
