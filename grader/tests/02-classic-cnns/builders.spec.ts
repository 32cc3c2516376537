// AlexNet and VGG16 hold 62 M and 138 M weights; drawing them at random takes tens of seconds on the grader's CPU.
// Parameter counts and shapes do not depend on the initial values, so while these specs build the big models every
// weight a layer creates starts at zero, whatever initializer the learner chose: the patch sits on the one method
// all layers create their weights through (Layer.prototype.addWeight), not on the layer factories.
let restoreAddWeight: (() => void) | undefined;

/** Even zero-filled, 138 M weights take a while to allocate on a busy grader; the build itself is not graded. */
const BUILD_TIMEOUT_MS = 60_000;

function useZeroInitializers(): void {
  const layerPrototype = Object.getPrototypeOf(Object.getPrototypeOf(tf.layers.dense({ units: 1 })));
  const original = layerPrototype.addWeight;
  const zeros = tf.initializers.zeros();
  layerPrototype.addWeight = function (this: unknown, name: string, shape: number[], dtype: unknown, _initializer: unknown, ...rest: unknown[]) {
    return original.call(this, name, shape, dtype, zeros, ...rest);
  };
  restoreAddWeight = () => { layerPrototype.addWeight = original; };
}

function restoreInitializers(): void {
  restoreAddWeight?.();
  restoreAddWeight = undefined;
}

function trainableCount(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((sum, weight) => sum + weight.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}

function layersOfType(model: tf.LayersModel, className: string) {
  return model.layers.filter((layer) => layer.getClassName() === className);
}

/** A ReLU either inside the convolution (activation: 'relu') or as the next layer (tf.layers.reLU / activation). */
function followedByRelu(model: tf.LayersModel, conv: tf.layers.Layer): boolean {
  if (conv.getConfig().activation === 'relu') return true;
  if (conv.getConfig().activation !== 'linear') return false;
  const next = model.layers[model.layers.indexOf(conv) + 1];
  if (next === undefined || next.inboundNodes[0]?.inboundLayers[0] !== conv) return false;
  return next.getClassName() === 'ReLU' || (next.getClassName() === 'Activation' && next.getConfig().activation === 'relu');
}

function outputShapes(model: tf.LayersModel): string[] {
  return model.layers.map((layer) => JSON.stringify(layer.outputShape));
}

/** Builds, inspects and disposes one model so that only one big model is in memory at a time. */
function withModel<T>(build: () => tf.LayersModel, inspect: (model: tf.LayersModel) => T): T {
  const model = build();
  try {
    return inspect(model);
  } finally {
    model.dispose();
  }
}

describe('buildLeNet5', () => {
  let model: tf.LayersModel;
  before(() => {
    model = submission.buildLeNet5();
  });
  after(() => model?.dispose());

  it('has the trainable parameter count of LeNet-5 [3 pts]', () => {
    expect(trainableCount(model)).to.equal(61706);
  });
  it('takes single-channel 28×28 images [1 pt]', () => {
    expect(model.inputs[0].shape).to.deep.equal([null, 28, 28, 1]);
  });
  it('turns each image into a probability distribution over ten digits [2 pts]', () => {
    // Summed in plain JS: a notebook can re-register TensorFlow.js's kernels (Sum among them) while it is graded.
    const rows = tf.tidy(() => (model.predict(tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 3)) as tf.Tensor2D).arraySync());
    expect(rows).to.have.length(3);
    for (const row of rows) expect(row.reduce((sum, p) => sum + p, 0)).to.be.closeTo(1, 1e-4);
  });
  it('has the two LeNet convolutions with their filter counts and kernel sizes [2 pts]', () => {
    const convs = model.layers.filter((layer) => layer.getClassName() === 'Conv2D');
    expect(convs.map((layer) => layer.getConfig().filters)).to.deep.equal([6, 16]);
    expect(convs.map((layer) => layer.getConfig().kernelSize)).to.deep.equal([[5, 5], [5, 5]]);
  });
  it('pools the feature maps to the LeNet size before the dense layers [2 pts]', () => {
    const shapes = model.layers.map((layer) => JSON.stringify(layer.outputShape));
    expect(shapes).to.include(JSON.stringify([null, 5, 5, 16]));
    expect(shapes).to.include(JSON.stringify([null, 400]));
  });
  it('classifies with the three LeNet dense layers [1 pt]', () => {
    const dense = model.layers.filter((layer) => layer.getClassName() === 'Dense');
    expect(dense.map((layer) => layer.getConfig().units)).to.deep.equal([120, 84, 10]);
  });
});

describe('buildAlexNet', () => {
  let model: tf.LayersModel;
  before(function () {
    this.timeout(BUILD_TIMEOUT_MS);
    useZeroInitializers();
    model = submission.buildAlexNet();
  });
  after(() => {
    restoreInitializers();
    model?.dispose();
  });

  it('has the parameter count of single-tower AlexNet for 1000 classes [3 pts]', () => {
    expect(trainableCount(model)).to.equal(62378344);
  });
  it('takes colour images at ImageNet size and scores the ImageNet classes by default [1 pt]', () => {
    expect(model.inputs[0].shape).to.deep.equal([null, 224, 224, 3]);
    expect(model.outputs[0].shape).to.deep.equal([null, 1000]);
  });
  it('has the five convolutions of AlexNet with their filter counts [2 pts]', () => {
    expect(layersOfType(model, 'Conv2D').map((layer) => layer.getConfig().filters)).to.deep.equal([96, 256, 384, 384, 256]);
  });
  it('uses ReLU after every convolution [1 pt]', () => {
    for (const layer of layersOfType(model, 'Conv2D')) expect(followedByRelu(model, layer), layer.name).to.equal(true);
  });
  it('turns the padded 224×224 image into 55×55×96 maps in its first convolution [2 pts]', () => {
    expect(layersOfType(model, 'Conv2D')[0].outputShape).to.deep.equal([null, 55, 55, 96]);
  });
  it('reduces the image to the published map size before the dense layers [2 pts]', () => {
    expect(outputShapes(model)).to.include(JSON.stringify([null, 6, 6, 256]));
  });
  it('regularises the dense layers with dropout as in the paper [1 pt]', () => {
    expect(layersOfType(model, 'Dropout').map((layer) => layer.getConfig().rate)).to.deep.equal([0.5, 0.5]);
  });
  it('sizes the classifier to the requested number of classes [2 pts]', function () {
    this.timeout(BUILD_TIMEOUT_MS);
    withModel(() => submission.buildAlexNet(17), (small) => {
      expect(small.outputs[0].shape).to.deep.equal([null, 17]);
      expect(trainableCount(small)).to.equal(62378344 - 4097 * 983);
    });
  });
  it('rejects a fractional class count, naming it [1 pt]', () => {
    expect(() => submission.buildAlexNet(2.5)).to.throw(Error, /numClasses/);
  });
});

describe('buildVGG16', () => {
  let model: tf.LayersModel;
  before(function () {
    this.timeout(BUILD_TIMEOUT_MS);
    useZeroInitializers();
    model = submission.buildVGG16();
  });
  after(() => {
    restoreInitializers();
    model?.dispose();
  });

  it('has the published parameter count of VGG16 for 1000 classes [3 pts]', () => {
    expect(trainableCount(model)).to.equal(138357544);
  });
  it('takes colour images at ImageNet size and scores the ImageNet classes by default [1 pt]', () => {
    expect(model.inputs[0].shape).to.deep.equal([null, 224, 224, 3]);
    expect(model.outputs[0].shape).to.deep.equal([null, 1000]);
  });
  it('uses only 3×3 convolutions, doubling the channels block by block [2 pts]', () => {
    const convs = layersOfType(model, 'Conv2D');
    expect(convs.map((layer) => layer.getConfig().kernelSize)).to.deep.equal(convs.map(() => [3, 3]));
    expect(convs.map((layer) => layer.getConfig().filters)).to.deep.equal([64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512]);
  });
  it('halves the map after each of the five blocks [2 pts]', () => {
    expect(layersOfType(model, 'MaxPooling2D')).to.have.length(5);
    expect(outputShapes(model)).to.include(JSON.stringify([null, 7, 7, 512]));
  });
  it('has sixteen weight layers [1 pt]', () => {
    expect(layersOfType(model, 'Conv2D').length + layersOfType(model, 'Dense').length).to.equal(16);
  });
  it('sizes the classifier to the requested number of classes [2 pts]', function () {
    this.timeout(BUILD_TIMEOUT_MS);
    withModel(() => submission.buildVGG16(3), (small) => {
      expect(small.outputs[0].shape).to.deep.equal([null, 3]);
      expect(trainableCount(small)).to.equal(138357544 - 4097 * 997);
    });
  });
  it('rejects a negative class count, naming it [1 pt]', () => {
    expect(() => submission.buildVGG16(-1)).to.throw(Error, /numClasses/);
  });
});
