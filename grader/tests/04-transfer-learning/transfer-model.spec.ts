// Hidden tests for buildTransferModel, on small generated backbones (no pretrained weights needed).

const INPUT_SIZE = 12;

/** A small backbone: conv_a (4 channels) → conv_b (8 channels), with seeded weights. */
function smallBackbone(): tf.LayersModel {
  const input = tf.input({ shape: [INPUT_SIZE, INPUT_SIZE, 3] });
  const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });
  const convA = tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'conv_a', kernelInitializer: seeded(1) });
  const convB = tf.layers.conv2d({
    filters: 8, kernelSize: 3, strides: 2, activation: 'relu', name: 'conv_b', kernelInitializer: seeded(2),
  });
  const a = convA.apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: convB.apply(a) as tf.SymbolicTensor });
}

/** The same backbone whose output is a flattened vector rather than a feature map. */
function flatBackbone(): tf.LayersModel {
  const backbone = smallBackbone();
  const flat = tf.layers.flatten({ name: 'flat' }).apply(backbone.outputs[0]) as tf.SymbolicTensor;
  return tf.model({ inputs: backbone.inputs, outputs: flat });
}

const images = (count: number) => tf.randomUniform([count, INPUT_SIZE, INPUT_SIZE, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
const build = (...args: unknown[]) => submission.buildTransferModel(...args) as tf.LayersModel;

describe('buildTransferModel', () => {
  it('outputs one probability per class for every image [2 pts]', () => {
    const predictions = build(smallBackbone(), 3).predict(images(4)) as tf.Tensor2D;
    expect(predictions.shape).to.deep.equal([4, 3]);
    for (const row of predictions.arraySync()) {
      expect(row.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-5);
      row.forEach((p) => expect(p).to.be.within(0, 1));
    }
  });

  it('has two classes by default', () => {
    expect(build(smallBackbone()).outputs[0].shape).to.deep.equal([null, 2]);
  });

  it('pools the backbone output when no feature layer is named [2 pts]', () => {
    const classifier = build(smallBackbone(), 5).getLayer('classifier');
    expect(classifier.getWeights()[0].shape).to.deep.equal([8, 5]);
  });

  it('takes its features from the named layer and drops the layers after it [2 pts]', () => {
    const model = build(smallBackbone(), 3, 'conv_a');
    expect(model.getLayer('classifier').getWeights()[0].shape).to.deep.equal([4, 3]);
    expect(model.layers.map((layer) => layer.name)).not.to.include('conv_b');
  });

  it('averages each channel over all positions in a feature_pool layer', () => {
    const backbone = smallBackbone();
    const model = build(backbone, 2, 'conv_b');
    const pool = tf.model({ inputs: model.inputs, outputs: model.getLayer('feature_pool').output as tf.SymbolicTensor });
    const x = images(2);
    // The backbone's maps averaged in plain JS: a notebook can re-register TensorFlow.js's kernels (Mean among them).
    const maps = (backbone.predict(x) as tf.Tensor4D).arraySync();
    const expected = maps.flatMap((map) => {
      const positions = map.flat();
      return positions[0]!.map((_, channel) => positions.reduce((sum, position) => sum + position[channel]!, 0) / positions.length);
    });
    const actual = (pool.predict(x) as tf.Tensor2D).arraySync().flat();
    expect(actual).to.have.length(expected.length);
    actual.forEach((value, i) => expect(value).to.be.closeTo(expected[i]!, 1e-5));
  });

  it('ends with a softmax dense layer named classifier', () => {
    const config = build(smallBackbone(), 4).getLayer('classifier').getConfig();
    expect(config.units).to.equal(4);
    expect(config.activation).to.equal('softmax');
  });

  // Behaviour, not flags: per-layer `trainable = false` and the Keras idiom `backbone.trainable = false` both leave
  // only the head's weights for an optimiser to train.
  it('freezes the backbone so that only the classifier kernel and bias are trainable [2 pts]', () => {
    const model = build(smallBackbone(), 3);
    expect(model.trainableWeights.map((weight) => weight.shape)).to.deep.equal([[8, 3], [3]]);
  });

  it('reuses the pretrained backbone weights instead of new ones', () => {
    const backbone = smallBackbone();
    const model = build(backbone, 2);
    const kernel = (source: tf.LayersModel) => source.getLayer('conv_b').getWeights()[0].arraySync();
    expect(kernel(model)).to.deep.equal(kernel(backbone));
  });

  it('learns in the head while the backbone weights stay fixed [4 pts]', async () => {
    const backbone = smallBackbone();
    const model = build(backbone, 2);
    const before = backbone.getLayer('conv_b').getWeights()[0].arraySync();
    const headBefore = model.getLayer('classifier').getWeights()[0].arraySync();
    model.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
    const targets = tf.tensor2d([0, 1, 0, 1, 1, 0, 1, 0].map((label) => (label === 0 ? [1, 0] : [0, 1])));
    await model.fit(images(8), targets, { epochs: 3, batchSize: 4, verbose: 0 });
    expect(backbone.getLayer('conv_b').getWeights()[0].arraySync()).to.deep.equal(before);
    expect(model.getLayer('classifier').getWeights()[0].arraySync()).not.to.deep.equal(headBefore);
  });

  it('rejects a feature layer the backbone does not have or that is not a feature map, naming it', () => {
    expect(() => build(smallBackbone(), 2, 'conv_missing'), 'a missing layer').to.throw(Error, 'conv_missing');
    expect(() => build(flatBackbone(), 2, 'flat'), 'a flat layer').to.throw(Error, 'flat');
  });

  it('rejects fewer than two or a fractional number of classes, quoting it', () => {
    for (const numClasses of [1, 2.5, 0]) expect(() => build(smallBackbone(), numClasses)).to.throw(Error, String(numClasses));
  });
});
