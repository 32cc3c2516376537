describe('distillationLoss', () => {
  const logSoftmax = (row: number[], temperature: number): number[] => {
    const scaled = row.map((z) => z / temperature);
    const top = Math.max(...scaled);
    const logTotal = top + Math.log(scaled.reduce((sum, z) => sum + Math.exp(z - top), 0));
    return scaled.map((z) => z - logTotal);
  };
  /** The loss of the assignment, computed in plain numbers. */
  const reference = (student: number[][], teacher: number[][], labels: number[], temperature: number, alpha: number): number => {
    let soft = 0;
    let hard = 0;
    student.forEach((row, n) => {
      const logQ = logSoftmax(row, temperature);
      const logP = logSoftmax(teacher[n], temperature);
      soft += logP.reduce((sum, lp, i) => sum + Math.exp(lp) * (lp - logQ[i]), 0);
      hard -= logSoftmax(row, 1)[labels[n]];
    });
    return (alpha * temperature ** 2 * soft + (1 - alpha) * hard) / student.length;
  };
  const loss = (student: number[][], teacher: number[][], labels: number[], temperature: number, alpha: number): number =>
    submission.distillationLoss(tf.tensor2d(student), tf.tensor2d(teacher), tf.tensor1d(labels), temperature, alpha).dataSync()[0];

  const student = [[1.2, -0.4, 2.0, 0.1], [0.0, 3.1, -1.0, 0.5], [-2.0, 0.3, 0.2, 1.7]];
  const teacher = [[0.5, -1.0, 4.0, 0.0], [1.0, 5.0, -2.0, 0.0], [-1.0, 0.0, 0.0, 3.0]];
  const labels = [2, 1, 3];

  const cases: [title: string, temperature: number, alpha: number][] = [
    ['matches the definition for a mix of both terms [2 pts]', 3, 0.6],
    ['equals the Kullback–Leibler term alone when alpha is 1 at temperature 1', 1, 1],
    ['scales the soft term by the square of the temperature [2 pts]', 5, 1],
    ['equals the cross-entropy with the labels when alpha is 0', 7, 0],
    ['matches the definition at a temperature below 1', 0.5, 0.3],
  ];
  for (const [title, temperature, alpha] of cases) {
    it(title, () => expect(loss(student, teacher, labels, temperature, alpha)).to.be.closeTo(reference(student, teacher, labels, temperature, alpha), 1e-4));
  }

  it('compares the teacher to the student, not the student to the teacher [2 pts]', () => {
    const [s, t] = [[[0, 0, 0]], [[4, 0, -4]]];
    expect(loss(s, t, [0], 1, 1)).to.be.closeTo(reference(s, t, [0], 1, 1), 1e-4);
  });

  it('is zero when the student copies the teacher and alpha is 1', () => {
    expect(loss(student, student, labels, 4, 1)).to.be.closeTo(0, 1e-5);
  });

  it('does not depend on the teacher when alpha is 0', () => {
    expect(loss(student, teacher, labels, 2, 0)).to.be.closeTo(loss(student, student, labels, 9, 0), 1e-5);
  });

  it('averages over the batch instead of summing', () => {
    const single = loss([student[0]], [teacher[0]], [labels[0]], 2, 0.5);
    expect(loss([student[0], student[0]], [teacher[0], teacher[0]], [labels[0], labels[0]], 2, 0.5)).to.be.closeTo(single, 1e-5);
  });

  it('returns a scalar tensor', () => {
    const result = submission.distillationLoss(tf.tensor2d(student), tf.tensor2d(teacher), tf.tensor1d(labels), 2, 0.5);
    expect(result).to.be.instanceOf(tf.Tensor);
    expect(result.rank).to.equal(0);
  });

  it('has a gradient that pulls the student towards the teacher [2 pts]', () => {
    const temperature = 2;
    const teacherLogits = tf.tensor2d([[3, 0, -1]]);
    const studentLogits = tf.tensor2d([[0, 1, 0]]);
    const gradient = tf.grad((z: tf.Tensor) => submission.distillationLoss(z, teacherLogits, tf.tensor1d([0]), temperature, 1))(studentLogits);
    // d/dz of T²·KL(p_T ‖ softmax(z / T)) is T · (softmax(z / T) − p_T)
    const q = logSoftmax([0, 1, 0], temperature).map(Math.exp);
    const p = logSoftmax([3, 0, -1], temperature).map(Math.exp);
    Array.from(gradient.dataSync()).forEach((g, i) => expect(g).to.be.closeTo(temperature * (q[i] - p[i]), 1e-4));
  });

  it('rejects an invalid alpha or temperature and mismatched shapes', () => {
    expect(loss(student, teacher, labels, 2, 0.5)).to.be.a('number');
    const invalid: [what: string, call: () => unknown][] = [
      ['an alpha above 1', () => loss(student, teacher, labels, 2, 1.2)],
      ['a negative alpha', () => loss(student, teacher, labels, 2, -0.1)],
      ['a temperature that is not positive', () => loss(student, teacher, labels, 0, 0.5)],
      ['student and teacher logits of different shapes', () => loss(student, teacher.slice(0, 2), labels, 2, 0.5)],
      ['a number of labels that differs from the batch size', () => loss(student, teacher, [0, 1], 2, 0.5)],
    ];
    for (const [what, call] of invalid) expect(call, what).to.throw(Error);
  });
});

/**
 * The notebook trains its students on the first 2000 (8000 outside grading) of the `mnist` package's 10,000 digits,
 * shuffled by `loadMnist`'s seed 0 (its locked data cell: change both together). This test reads 1000 digits past any
 * training set itself and counts correct answers in plain JS: a learner's cell can redefine the notebook's `mnist`,
 * and TensorFlow.js's kernels, but not this file's values.
 */
const UNSEEN = { seed: 0, from: 8000, count: 1000 };

/**
 * The kit's plain-JS digit reader, loaded with this file, before any notebook code runs: it takes `fs`'s reader, the
 * files' paths and its generator as it loads, so a notebook that later replaces them changes nothing it reads.
 * `require` is the loader's, two folders below the project root (see 02's lenet-training spec).
 */
const { mnistDigits, shareClassifiedRight } = require('../../datasets/mnist-digits') as typeof import('../../../datasets/mnist-digits');

/** How long the spec may take to read the 10,000 digits: its own work, not the learner's, on a busy grader. */
const READ_TIMEOUT_MS = 60_000;

describe('the distilled student', () => {
  let unseen: ReturnType<typeof mnistDigits>;
  before(function () {
    this.timeout(READ_TIMEOUT_MS);
    unseen = mnistDigits(UNSEEN);
  });

  it('classifies held-out digits well after training with your loss [3 pts]', () => {
    const student = submission.distilledStudent as tf.LayersModel;
    expect(student, 'distilledStudent').to.be.an.instanceOf(tf.LayersModel);
    const { pixels, labels } = unseen;
    const xs = tf.tensor4d(pixels, [labels.length, 28, 28, 1]);
    const logits = student.predict(xs) as tf.Tensor;
    const values = logits.dataSync();
    tf.dispose([xs, logits]);
    expect(shareClassifiedRight(values, labels)).to.be.at.least(0.8);
  });
});
