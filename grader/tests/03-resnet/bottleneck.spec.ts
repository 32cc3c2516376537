// Expected counts printed by torchvision 0.14 (torch 1.13) with reference.py in this folder, kept as constants: a value
// computed with TensorFlow.js while the notebook is graded could be bent by the notebook.
const RESNET50_1000 = 25557032;
const RESNET50_10 = 23528522;
const RESNET50_MOVING_STATISTICS = 53120;
const BOTTLENECKS = 16;
const CONVOLUTIONS = 53;
const BOTTLENECK_FIRST = 75008;
const BOTTLENECK_IDENTITY = 70400;
const BOTTLENECK_STRIDE_2 = 379392;

function trainableWeightCount(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((sum, weight) => sum + weight.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}

/** One bottleneck block on an input of the given shape, as a model. */
function bottleneckModel(inputShape: [number, number, number], filters: number, stride?: number): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  const output: tf.SymbolicTensor = stride === undefined ? submission.bottleneckBlock(input, filters) : submission.bottleneckBlock(input, filters, stride);
  return tf.model({ inputs: input, outputs: output });
}

describe('bottleneckBlock', () => {
  const cases: [string, [number, number, number], number, number | undefined, number, (number | null)[]][] = [
    ["has torchvision's count for the first block of ResNet-50, projecting 64 to 256 channels at stride 1 [2 pts] (hint: the shortcut needs a projection whenever the input's channels differ from 4 × filters)",
      [56, 56, 64], 64, undefined, BOTTLENECK_FIRST, [null, 56, 56, 256]],
    ["has torchvision's count for an identity block, with no weights on the shortcut [2 pts]", [56, 56, 256], 64, 1, BOTTLENECK_IDENTITY, [null, 56, 56, 256]],
    ["has torchvision's count and shape for a stride-2 block widening 256 to 512 channels [2 pts]", [56, 56, 256], 128, 2, BOTTLENECK_STRIDE_2, [null, 28, 28, 512]],
  ];
  for (const [title, inputShape, filters, stride, count, shape] of cases) {
    it(title, () => {
      const model = bottleneckModel(inputShape, filters, stride);
      expect({ count: trainableWeightCount(model), shape: model.outputs[0].shape }).to.deep.equal({ count, shape });
      model.dispose();
    });
  }
  it('squeezes with 1×1, works with 3×3, expands with 1×1, each without bias [2 pts]', () => {
    const model = bottleneckModel([8, 8, 32], 8);
    const convs = model.layers.filter((layer) => layer.getClassName() === 'Conv2D');
    expect(convs.map((layer) => [layer.getConfig().kernelSize, layer.getConfig().filters])).to.deep.equal([[[1, 1], 8], [[3, 3], 8], [[1, 1], 32]]);
    expect(convs.filter((layer) => layer.getConfig().useBias)).to.deep.equal([]);
    model.dispose();
  });
  it('ends with a ReLU after the addition, so no output is negative [1 pt]', () => {
    const model = bottleneckModel([4, 4, 8], 4, 2);
    const y = model.predict(tf.randomNormal([2, 4, 4, 8], 0, 3, 'float32', 61)) as tf.Tensor;
    expect(Math.min(...Array.from(y.dataSync()))).to.be.at.least(0);
    y.dispose();
    model.dispose();
  });
  it('rejects invalid arguments, naming the argument at fault [1 pt]', () => {
    const input = () => tf.input({ shape: [4, 4, 8] });
    submission.bottleneckBlock(input(), 2);
    expect(() => submission.bottleneckBlock(input(), 0), 'a zero filter count').to.throw(Error, /filters/);
    expect(() => submission.bottleneckBlock(input(), 2, 1.5), 'a fractional stride').to.throw(Error, /stride/);
  });
});

describe('buildResNet50', () => {
  let model: tf.LayersModel;
  // Drawing 25.6 M random weights can take longer than one test may on a busy grader; building is not what is graded.
  before(function () {
    this.timeout(90_000);
    model = submission.buildResNet50();
  });
  after(() => model?.dispose());

  it("has torchvision's trainable parameter count for 1000 classes [3 pts]", () => {
    expect(trainableWeightCount(model)).to.equal(RESNET50_1000);
  });
  it("counts batch norm's moving statistics only in countParams() [1 pt]", () => {
    expect(model.countParams() - trainableWeightCount(model)).to.equal(RESNET50_MOVING_STATISTICS);
  });
  it('stacks sixteen bottlenecks with four projections, ending in a 7×7×2048 map [2 pts]', () => {
    expect(model.layers.filter((layer) => layer.getClassName() === 'Add')).to.have.length(BOTTLENECKS);
    expect(model.layers.filter((layer) => layer.getClassName() === 'Conv2D')).to.have.length(CONVOLUTIONS);
    expect(model.layers.map((layer) => JSON.stringify(layer.outputShape))).to.include(JSON.stringify([null, 7, 7, 2048]));
  });
  it('takes colour images at ImageNet size and scores the ImageNet classes by default [1 pt]', () => {
    expect(model.inputs[0].shape).to.deep.equal([null, 224, 224, 3]);
    expect(model.outputs[0].shape).to.deep.equal([null, 1000]);
  });
  it('sizes the classifier to the requested number of classes [1 pt]', function () {
    this.timeout(90_000);
    const small: tf.LayersModel = submission.buildResNet50(10);
    try {
      expect(small.outputs[0].shape).to.deep.equal([null, 10]);
      expect(trainableWeightCount(small)).to.equal(RESNET50_10);
    } finally {
      small.dispose();
    }
  });
  it('rejects a fractional class count, naming it [1 pt]', () => {
    expect(() => submission.buildResNet50(1.5)).to.throw(Error, /numClasses/);
  });
});

describe('initStd', () => {
  // sqrt(2 / fanIn), sqrt(2 / (fanIn + fanOut)), sqrt(1 / fanIn), in plain JS.
  const cases: [string, 'he' | 'glorot' | 'lecun', number, number, number][] = [
    ["gives He's standard deviation for a ReLU layer [1 pt]", 'he', 288, 64, Math.sqrt(2 / 288)],
    ["gives Glorot's standard deviation from both fans [1 pt]", 'glorot', 120, 30, Math.sqrt(2 / 150)],
    ["gives LeCun's standard deviation from the fan-in alone [1 pt]", 'lecun', 75, 500, Math.sqrt(1 / 75)],
  ];
  for (const [title, rule, fanIn, fanOut, expected] of cases) {
    it(title, () => {
      expect(submission.initStd(rule, fanIn, fanOut)).to.be.closeTo(expected, 1e-12);
    });
  }
  it('rejects a zero fan-in, naming it [1 pt]', () => {
    submission.initStd('he', 4, 4);
    expect(() => submission.initStd('he', 0, 4)).to.throw(Error, /fanIn/);
  });
});
