// AlexNet and VGG16 hold 62 M and 138 M weights; drawing them at random takes tens of seconds on the grader's CPU.
// Parameter counts and shapes do not depend on the initial values, so while these specs run, dense and conv layers
// default to zero-filled weights (a learner's explicit initializer still wins).
const defaultLayers = { dense: tf.layers.dense, conv2d: tf.layers.conv2d };

function useZeroInitializers(): void {
  tf.layers.dense = (args) => defaultLayers.dense({ kernelInitializer: 'zeros', ...args });
  tf.layers.conv2d = (args) => defaultLayers.conv2d({ kernelInitializer: 'zeros', ...args });
}

function restoreInitializers(): void {
  tf.layers.dense = defaultLayers.dense;
  tf.layers.conv2d = defaultLayers.conv2d;
}

function trainableCount(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((sum, weight) => sum + weight.shape.reduce((a, b) => a * (b ?? 1), 1), 0);
}

function layersOfType(model: tf.LayersModel, className: string) {
  return model.layers.filter((layer) => layer.getClassName() === className);
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

describe('buildAlexNet', () => {
  let model: tf.LayersModel;
  before(() => {
    useZeroInitializers();
    model = submission.buildAlexNet();
  });
  after(() => {
    model.dispose();
    restoreInitializers();
  });

  it('has the parameter count of single-tower AlexNet for 1000 classes [3 pts]', () => {
    expect(trainableCount(model)).to.equal(62378344);
  });
  it('takes 224×224 colour images and scores 1000 classes by default [1 pt]', () => {
    expect(model.inputs[0].shape).to.deep.equal([null, 224, 224, 3]);
    expect(model.outputs[0].shape).to.deep.equal([null, 1000]);
  });
  it('has five convolutions with 96, 256, 384, 384 and 256 filters [2 pts]', () => {
    expect(layersOfType(model, 'Conv2D').map((layer) => layer.getConfig().filters)).to.deep.equal([96, 256, 384, 384, 256]);
  });
  it('uses ReLU after every convolution [1 pt]', () => {
    for (const layer of layersOfType(model, 'Conv2D')) expect(layer.getConfig().activation).to.equal('relu');
  });
  it('reduces the image to a 6×6×256 map before the dense layers [2 pts]', () => {
    expect(outputShapes(model)).to.include(JSON.stringify([null, 6, 6, 256]));
  });
  it('regularises the dense layers with two dropouts at rate one half [1 pt]', () => {
    expect(layersOfType(model, 'Dropout').map((layer) => layer.getConfig().rate)).to.deep.equal([0.5, 0.5]);
  });
  it('sizes the classifier to the requested number of classes [2 pts]', () => {
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
  before(() => {
    useZeroInitializers();
    model = submission.buildVGG16();
  });
  after(() => {
    model.dispose();
    restoreInitializers();
  });

  it('has the published parameter count of VGG16 for 1000 classes [3 pts]', () => {
    expect(trainableCount(model)).to.equal(138357544);
  });
  it('takes 224×224 colour images and scores 1000 classes by default [1 pt]', () => {
    expect(model.inputs[0].shape).to.deep.equal([null, 224, 224, 3]);
    expect(model.outputs[0].shape).to.deep.equal([null, 1000]);
  });
  it('uses only 3×3 convolutions, doubling the channels block by block [2 pts]', () => {
    const convs = layersOfType(model, 'Conv2D');
    expect(convs.map((layer) => layer.getConfig().kernelSize)).to.deep.equal(convs.map(() => [3, 3]));
    expect(convs.map((layer) => layer.getConfig().filters)).to.deep.equal([64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512]);
  });
  it('halves the map five times down to 7×7×512 [2 pts]', () => {
    expect(layersOfType(model, 'MaxPooling2D')).to.have.length(5);
    expect(outputShapes(model)).to.include(JSON.stringify([null, 7, 7, 512]));
  });
  it('has sixteen weight layers [1 pt]', () => {
    expect(layersOfType(model, 'Conv2D').length + layersOfType(model, 'Dense').length).to.equal(16);
  });
  it('sizes the classifier to the requested number of classes [2 pts]', () => {
    withModel(() => submission.buildVGG16(3), (small) => {
      expect(small.outputs[0].shape).to.deep.equal([null, 3]);
      expect(trainableCount(small)).to.equal(138357544 - 4097 * 997);
    });
  });
  it('rejects a negative class count, naming it [1 pt]', () => {
    expect(() => submission.buildVGG16(-1)).to.throw(Error, /numClasses/);
  });
});
