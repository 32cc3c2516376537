function trainableCount(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((sum, weight) => sum + weight.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}

function layersOfType(model: tf.LayersModel, className: string) {
  return model.layers.filter((layer) => layer.getClassName() === className);
}

const isRelu = (layer: tf.layers.Layer) =>
  layer.getClassName() === 'ReLU' || (layer.getClassName() === 'Activation' && layer.getConfig().activation === 'relu');
const isConvWithoutActivation = (layer: tf.layers.Layer) =>
  layer.getClassName() === 'Conv2D' && layer.getConfig().activation === 'linear';
const isBatchNorm = (layer: tf.layers.Layer) => layer.getClassName() === 'BatchNormalization';

/** The layer whose output feeds `layer` (its only input), if any. */
function producer(layer: tf.layers.Layer): tf.layers.Layer | undefined {
  const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
  return inbound.length === 1 ? inbound[0] : undefined;
}

/** Whether walking back from `start` passes layers matching `chain` in order (the last one first). */
function endsWithChain(start: tf.layers.Layer, chain: ((layer: tf.layers.Layer) => boolean)[]): boolean {
  let layer: tf.layers.Layer | undefined = start;
  for (const matches of [...chain].reverse()) {
    if (layer === undefined || !matches(layer)) return false;
    layer = producer(layer);
  }
  return true;
}

/** Wraps one residual block on an input of the given shape into a model. */
function blockModel(inputShape: [number, number, number], filters: number, stride?: number): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  const output: tf.SymbolicTensor = stride === undefined ? submission.residualBlock(input, filters) : submission.residualBlock(input, filters, stride);
  return tf.model({ inputs: input, outputs: output });
}

/** Trainable weights of a basic block: two 3×3 convs, two batch norms, and a 1×1 conv + batch norm when projecting. */
function blockParams(inChannels: number, filters: number, projection: boolean): number {
  const residual = 9 * inChannels * filters + 9 * filters * filters + 2 * 2 * filters;
  return residual + (projection ? inChannels * filters + 2 * filters : 0);
}

describe('residualBlock', () => {
  const shapes: [string, [number, number, number], number, number | undefined, (number | null)[]][] = [
    ['keeps the shape of an identity block with the default stride [1 pt]', [6, 6, 8], 8, undefined, [null, 6, 6, 8]],
    ['halves an odd-sized map with stride 2, rounding up [2 pts]', [7, 7, 4], 8, 2, [null, 4, 4, 8]],
    ['changes the width at stride 1 [1 pt]', [5, 5, 3], 6, 1, [null, 5, 5, 6]],
  ];
  for (const [title, inputShape, filters, stride, expected] of shapes) {
    it(title, () => {
      const model = blockModel(inputShape, filters, stride);
      expect(model.outputs[0].shape).to.deep.equal(expected);
      model.dispose();
    });
  }

  const counts: [string, [number, number, number], number, number, boolean][] = [
    ['adds no weights to the identity shortcut [3 pts]', [4, 4, 6], 6, 1, false],
    ['projects the shortcut with a 1×1 conv and batch norm when the width changes [3 pts]', [4, 4, 3], 5, 1, true],
    ['projects the shortcut when the stride changes the size [2 pts]', [8, 8, 4], 4, 2, true],
  ];
  for (const [title, inputShape, filters, stride, projection] of counts) {
    it(title, () => {
      const model = blockModel(inputShape, filters, stride);
      expect(trainableCount(model)).to.equal(blockParams(inputShape[2], filters, projection));
      model.dispose();
    });
  }

  it('adds the input to the residual branch [2 pts]', () => {
    const model = blockModel([4, 4, 4], 4);
    expect(layersOfType(model, 'Add')).to.have.length(1);
    model.dispose();
  });
  it('orders the residual branch conv → batch norm → ReLU → conv → batch norm [3 pts]', () => {
    for (const [kind, inputShape, filters, stride] of [['identity', [6, 6, 4], 4, 1], ['projection', [6, 6, 4], 8, 2]] as const) {
      const model = blockModel([...inputShape], filters, stride);
      const add = layersOfType(model, 'Add')[0];
      expect(add, 'the addition').to.not.equal(undefined);
      const branches = add.inboundNodes[0].inboundLayers;
      const residual = [isConvWithoutActivation, isBatchNorm, isRelu, isConvWithoutActivation, isBatchNorm];
      expect(branches.some((branch) => endsWithChain(branch, residual)), `the ${kind} block`).to.equal(true);
      model.dispose();
    }
  });
  it('passes the input straight through when its convolutions are zeroed [3 pts]', () => {
    const model = blockModel([3, 3, 2], 2);
    for (const weight of model.weights) {
      if (weight.name.includes('kernel')) weight.write(tf.zeros(weight.shape as number[]));
    }
    const x = tf.randomNormal([2, 3, 3, 2], 0, 1, 'float32', 51);
    const y = model.predict(x) as tf.Tensor;
    // ReLU(x) and the comparison in plain JS: a notebook can re-register TensorFlow.js's kernels while it is graded.
    const expected = Array.from(x.dataSync()).map((value) => Math.max(0, value));
    const actual = Array.from(y.dataSync());
    tf.dispose([x, y]);
    expect(actual).to.have.length(expected.length);
    expect(Math.max(...actual.map((value, k) => Math.abs(value - expected[k])))).to.be.below(1e-5);
    model.dispose();
  });
  it('ends with a ReLU, so no output is negative [1 pt]', () => {
    const model = blockModel([4, 4, 3], 5, 2);
    const y = model.predict(tf.randomNormal([2, 4, 4, 3], 0, 3, 'float32', 52)) as tf.Tensor;
    expect(Math.min(...Array.from(y.dataSync()))).to.be.at.least(0);
    y.dispose();
    model.dispose();
  });
  it('uses convolutions without bias [1 pt]', () => {
    const model = blockModel([4, 4, 2], 4, 2);
    for (const layer of layersOfType(model, 'Conv2D')) expect(layer.getConfig().useBias).to.equal(false);
    model.dispose();
  });
  it('rejects invalid arguments, naming the argument at fault [1 pt]', () => {
    expect(() => submission.residualBlock(tf.input({ shape: [4, 4, 2] }), 0), 'a zero filter count').to.throw(Error, /filters/);
    expect(() => submission.residualBlock(tf.input({ shape: [4, 4, 2] }), 2, 1.5), 'a fractional stride').to.throw(Error, /stride/);
  });
});

describe('buildResNet18', () => {
  let model: tf.LayersModel;
  // Drawing 11.7 M random weights can take longer than one test may on a busy grader; building is not what is graded.
  before(function () {
    this.timeout(60_000);
    model = submission.buildResNet18();
  });
  after(() => model?.dispose());

  it("has torchvision's trainable parameter count for 1000 classes [3 pts]", () => {
    expect(trainableCount(model)).to.equal(11689512);
  });
  it('takes colour images at ImageNet size and scores the ImageNet classes by default [1 pt]', () => {
    expect(model.inputs[0].shape).to.deep.equal([null, 224, 224, 3]);
    expect(model.outputs[0].shape).to.deep.equal([null, 1000]);
  });
  it('has the stem, block and projection convolutions, none with a bias [2 pts]', () => {
    const convs = layersOfType(model, 'Conv2D');
    expect(convs).to.have.length(20);
    for (const conv of convs) expect(conv.getConfig().useBias).to.equal(false);
  });
  it('halves the map from stage to stage [2 pts]', () => {
    const shapes = model.layers.map((layer) => JSON.stringify(layer.outputShape));
    for (const shape of [[null, 56, 56, 64], [null, 28, 28, 128], [null, 14, 14, 256], [null, 7, 7, 512]]) {
      expect(shapes).to.include(JSON.stringify(shape));
    }
  });
  it('averages the last map globally instead of flattening it [1 pt]', () => {
    expect(layersOfType(model, 'GlobalAveragePooling2D')).to.have.length(1);
    expect(layersOfType(model, 'Dense')).to.have.length(1);
  });
  it('sizes the classifier to the requested number of classes [2 pts]', function () {
    this.timeout(60_000);
    const small: tf.LayersModel = submission.buildResNet18(10);
    expect(small.outputs[0].shape).to.deep.equal([null, 10]);
    expect(trainableCount(small)).to.equal(11689512 - 513 * 990);
    small.dispose();
  });
  it('rejects a zero class count, naming it [1 pt]', () => {
    expect(() => submission.buildResNet18(0)).to.throw(Error, /numClasses/);
  });
});
