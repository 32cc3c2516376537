// Expected counts printed by torchvision 0.14 (torch 1.13) with reference.py in this folder, kept as constants: a value
// computed with TensorFlow.js while the notebook is graded could be bent by the notebook.
const GOOGLENET_1000 = 6624904;
const GOOGLENET_10 = 5610154;
const INCEPTION_3A = 155872;
const INCEPTION_BLOCKS = 9;
const CONVOLUTIONS = 57;
const BATCH_NORM_EPS = 0.001;

const BLOCK_3A = { branch1: 64, reduce3: 96, branch3: 128, reduce5: 16, branch5: 32, poolProj: 32 };
const BLOCK_4E = { branch1: 256, reduce3: 160, branch3: 320, reduce5: 32, branch5: 128, poolProj: 128 };

function trainableCount(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((sum, weight) => sum + weight.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}

function layersOfType(model: tf.LayersModel, className: string) {
  return model.layers.filter((layer) => layer.getClassName() === className);
}

/** One Inception block as a model of its own, on a map of the given shape. */
function blockModel(shape: number[], filters: typeof BLOCK_3A): tf.LayersModel {
  const input = tf.input({ shape });
  return tf.model({ inputs: input, outputs: submission.inceptionBlock(input, filters) });
}

describe('inceptionBlock', () => {
  it("has torchvision's trainable parameter count for block 3a [3 pts] (hint: every convolution is bias-free and followed by batch normalization; the \"5×5\" branch uses a 3×3 kernel)", () => {
    const model = blockModel([28, 28, 192], BLOCK_3A);
    expect(trainableCount(model)).to.equal(INCEPTION_3A);
    model.dispose();
  });
  it('keeps the map size and concatenates the four branches along the channels [2 pts]', () => {
    const model = blockModel([28, 28, 192], BLOCK_3A);
    expect(model.outputs[0].shape).to.deep.equal([null, 28, 28, 256]);
    model.dispose();
  });
  it('keeps an odd-sized map and sums the branch widths of a wider block [1 pt]', () => {
    const model = blockModel([7, 7, 528], BLOCK_4E);
    expect(model.outputs[0].shape).to.deep.equal([null, 7, 7, 832]);
    model.dispose();
  });
  it('puts the branches in the order 1×1, 3×3, "5×5", pool [1 pt] (hint: the concatenation order decides which channels the next block reads)', () => {
    // Each branch's last convolution ends in batch norm then ReLU; the concatenation's inputs name those branches.
    const model = blockModel([28, 28, 192], BLOCK_3A);
    const concat = layersOfType(model, 'Concatenate')[0];
    const widths = concat.inboundNodes[0].inboundLayers.map((layer) => (layer.outputShape as number[])[3]);
    expect(widths).to.deep.equal([64, 128, 32, 32]);
    model.dispose();
  });
});

describe('buildGoogLeNet', () => {
  let model: tf.LayersModel;
  before(function () {
    this.timeout(60_000);
    model = submission.buildGoogLeNet();
  });
  after(() => model?.dispose());

  it("has torchvision's trainable parameter count for 1000 classes [3 pts]", () => {
    expect(trainableCount(model)).to.equal(GOOGLENET_1000);
  });
  it('sizes the classifier to the requested number of classes [2 pts]', function () {
    this.timeout(60_000);
    const small = submission.buildGoogLeNet(10);
    try {
      expect(small.outputs[0].shape).to.deep.equal([null, 10]);
      expect(trainableCount(small)).to.equal(GOOGLENET_10);
    } finally {
      small.dispose();
    }
  });
  it('takes colour images at ImageNet size and scores the ImageNet classes by default [1 pt]', () => {
    expect(model.inputs[0].shape).to.deep.equal([null, 224, 224, 3]);
    expect(model.outputs[0].shape).to.deep.equal([null, 1000]);
  });
  it('stacks nine Inception blocks ending in a 7×7×1024 map [2 pts]', () => {
    const blocks = layersOfType(model, 'Concatenate');
    expect(blocks).to.have.length(INCEPTION_BLOCKS);
    expect(blocks.at(-1)!.outputShape).to.deep.equal([null, 7, 7, 1024]);
  });
  it('uses bias-free convolutions, each normalised with epsilon 0.001 [1 pt]', () => {
    const convs = layersOfType(model, 'Conv2D');
    expect(convs).to.have.length(CONVOLUTIONS);
    expect(convs.filter((layer) => layer.getConfig().useBias)).to.deep.equal([]);
    const norms = layersOfType(model, 'BatchNormalization');
    expect(norms).to.have.length(CONVOLUTIONS);
    expect(norms.map((layer) => layer.getConfig().epsilon)).to.deep.equal(norms.map(() => BATCH_NORM_EPS));
  });
  it('classifies global averages rather than a flattened map [1 pt]', () => {
    expect(layersOfType(model, 'GlobalAveragePooling2D')).to.have.length(1);
    expect(layersOfType(model, 'Dense')).to.have.length(1);
  });
  it('rejects a fractional class count, naming it [1 pt]', () => {
    expect(() => submission.buildGoogLeNet(2.5)).to.throw(Error, /numClasses/);
  });
});
