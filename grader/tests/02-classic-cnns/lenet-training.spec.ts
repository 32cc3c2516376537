/** The notebook trains `lenet` on `digits.train`; `digits.test` holds digits it never saw. */
function heldOutAccuracy(): number {
  const { xs, labels } = submission.digits.test as { xs: tf.Tensor4D; labels: number[] };
  return tf.tidy(() => {
    const predicted = (submission.lenet.predict(xs) as tf.Tensor2D).argMax(1);
    return predicted.equal(tf.tensor1d(labels, 'int32')).mean().arraySync() as number;
  });
}

describe('the trained LeNet-5', () => {
  let accuracy: number;
  before(() => {
    accuracy = heldOutAccuracy();
  });

  it('classifies held-out digits far better than chance [2 pts]', () => {
    expect(accuracy).to.be.above(0.8);
  });
  it('classifies held-out digits accurately [3 pts]', () => {
    expect(accuracy).to.be.at.least(0.9);
  });
});
