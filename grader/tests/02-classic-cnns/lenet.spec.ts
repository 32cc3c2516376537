/** The notebook trains `lenet` on `digits.train`; `digits.test` holds digits it never saw. */
function heldOutAccuracy(): number {
  const { xs, labels } = submission.digits.test as { xs: tf.Tensor4D; labels: number[] };
  return tf.tidy(() => {
    const predicted = (submission.lenet.predict(xs) as tf.Tensor2D).argMax(1);
    return predicted.equal(tf.tensor1d(labels, 'int32')).mean().arraySync() as number;
  });
}

describe('buildLeNet5', () => {
  let model: tf.LayersModel;
  before(() => {
    model = submission.buildLeNet5();
  });
  after(() => model.dispose());

  it('has exactly the trainable parameters of LeNet-5 [3 pts]', () => {
    const trainable = model.trainableWeights.reduce((sum, weight) => sum + weight.shape.reduce((a, b) => a * (b ?? 1), 1), 0);
    expect(trainable).to.equal(61706);
  });
  it('takes single-channel 28×28 images [1 pt]', () => {
    expect(model.inputs[0].shape).to.deep.equal([null, 28, 28, 1]);
  });
  it('turns each image into a probability distribution over ten digits [2 pts]', () => {
    const sums = tf.tidy(() => (model.predict(tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 3)) as tf.Tensor2D).sum(1).arraySync() as number[]);
    expect(sums).to.have.length(3);
    for (const sum of sums) expect(sum).to.be.closeTo(1, 1e-4);
  });
  it('has two convolutions with 6 and 16 filters of size 5×5 [2 pts]', () => {
    const convs = model.layers.filter((layer) => layer.getClassName() === 'Conv2D');
    expect(convs.map((layer) => layer.getConfig().filters)).to.deep.equal([6, 16]);
    expect(convs.map((layer) => layer.getConfig().kernelSize)).to.deep.equal([[5, 5], [5, 5]]);
  });
  it('pools the feature maps down to 5×5×16 before the dense layers [2 pts]', () => {
    const shapes = model.layers.map((layer) => JSON.stringify(layer.outputShape));
    expect(shapes).to.include(JSON.stringify([null, 5, 5, 16]));
    expect(shapes).to.include(JSON.stringify([null, 400]));
  });
  it('classifies with dense layers of 120, 84 and 10 units [1 pt]', () => {
    const dense = model.layers.filter((layer) => layer.getClassName() === 'Dense');
    expect(dense.map((layer) => layer.getConfig().units)).to.deep.equal([120, 84, 10]);
  });
});

describe('the trained LeNet-5', () => {
  it('classifies held-out digits far better than chance [2 pts]', () => {
    expect(heldOutAccuracy()).to.be.above(0.8);
  });
  it('classifies at least nine in ten held-out digits correctly [3 pts]', () => {
    expect(heldOutAccuracy()).to.be.at.least(0.9);
  });
});
