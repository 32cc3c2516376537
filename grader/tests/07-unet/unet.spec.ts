describe('buildUNet', () => {
  type Layer = { getClassName(): string; filters?: number; kernelSize?: number[]; strides?: number[] };
  const layersOf = (model: { layers: Layer[] }, className: string): Layer[] => model.layers.filter((layer) => layer.getClassName() === className);
  const build = (inputShape: number[], numClasses: number, baseFilters?: number, depth?: number) =>
    submission.buildUNet({ inputShape, numClasses, ...(baseFilters === undefined ? {} : { baseFilters }), ...(depth === undefined ? {} : { depth }) });

  const shapes: [title: string, inputShape: number[], numClasses: number, baseFilters: number, depth: number][] = [
    ['keeps the input size and outputs one channel per class', [32, 32, 3], 4, 4, 2],
    ['handles rectangular grey-scale inputs', [16, 48, 1], 2, 2, 3],
    ['handles a single level', [8, 8, 3], 5, 2, 1],
    ['handles a deep network on a small input', [32, 32, 3], 3, 2, 5],
  ];
  for (const [title, inputShape, numClasses, baseFilters, depth] of shapes) {
    it(title, () => {
      const model = build(inputShape, numClasses, baseFilters, depth);
      expect(model.outputs[0].shape).to.deep.equal([null, inputShape[0], inputShape[1], numClasses]);
      model.dispose();
    });
  }

  it('outputs a probability distribution for every pixel [2 pts]', () => {
    const model = build([16, 16, 3], 4, 2, 2);
    const output = tf.tidy(() => model.predict(tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 7)) as tf.Tensor);
    expect(output.shape).to.deep.equal([2, 16, 16, 4]);
    expect(output.min().dataSync()[0]).to.be.at.least(0);
    output.sum(-1).dataSync().forEach((total: number) => expect(total).to.be.closeTo(1, 1e-4));
    model.dispose();
  });

  it('max-pools once per level on the way down', () => {
    const model = build([32, 32, 3], 2, 2, 3);
    expect(layersOf(model, 'MaxPooling2D')).to.have.length(3);
    model.dispose();
  });

  it('upsamples with one 2×2, stride-2 transposed convolution per level [2 pts]', () => {
    const model = build([32, 32, 3], 2, 2, 3);
    const upsamplers = layersOf(model, 'Conv2DTranspose');
    expect(upsamplers).to.have.length(3);
    for (const layer of upsamplers) {
      expect(layer.kernelSize).to.deep.equal([2, 2]);
      expect(layer.strides).to.deep.equal([2, 2]);
    }
    model.dispose();
  });

  it('joins one skip connection per level by concatenation [2 pts]', () => {
    const model = build([16, 16, 3], 2, 2, 2);
    expect(layersOf(model, 'Concatenate')).to.have.length(2);
    model.dispose();
  });

  it('doubles the number of filters at each level down to the bottleneck', () => {
    const model = build([16, 16, 1], 2, 3, 3);
    const filters = new Set(layersOf(model, 'Conv2D').map((layer) => layer.filters));
    for (const expected of [3, 6, 12, 24]) expect(filters.has(expected), `a convolution with ${expected} filters`).to.equal(true);
    expect(Math.max(...layersOf(model, 'Conv2D').map((layer) => layer.filters ?? 0))).to.equal(24);
    model.dispose();
  });

  it('uses 3×3 convolutions in its blocks', () => {
    const model = build([16, 16, 3], 2, 2, 2);
    const convolutions = layersOf(model, 'Conv2D');
    for (const layer of convolutions.slice(0, -1)) expect(layer.kernelSize).to.deep.equal([3, 3]);
    model.dispose();
  });

  it('has exactly the parameters of the described architecture [2 pts]', () => {
    const model = build([16, 16, 3], 2, 4, 2);
    expect(model.countParams()).to.equal(7474);
    model.dispose();
  });

  it('uses depth 3 and 16 base filters when they are not given', () => {
    const model = build([16, 16, 3], 2);
    expect(layersOf(model, 'Conv2DTranspose')).to.have.length(3);
    expect(Math.max(...layersOf(model, 'Conv2D').map((layer) => layer.filters ?? 0))).to.equal(128);
    model.dispose();
  });

  const invalid: [title: string, call: () => unknown][] = [
    ['rejects a height that cannot be halved depth times', () => build([24, 32, 3], 2, 2, 4)],
    ['rejects a width that cannot be halved depth times', () => build([32, 20, 3], 2, 2, 3)],
    ['rejects a size that the default depth cannot halve enough times', () => build([20, 20, 3], 2, 2)],
    ['rejects fewer than two classes', () => build([16, 16, 3], 1, 2, 2)],
    ['rejects a depth of zero', () => build([16, 16, 3], 2, 2, 0)],
  ];
  for (const [title, call] of invalid) {
    it(title, () => {
      build([16, 16, 3], 2, 2, 2).dispose();
      expect(call).to.throw(Error);
    });
  }
});

describe('the trained U-Net', () => {
  it('learns to separate the shapes from the background on held-out images [3 pts]', () => {
    const { unet, heldOut } = submission;
    const predicted: Int32Array = tf.tidy(() => (unet.predict(heldOut.images) as tf.Tensor).argMax(-1).dataSync() as Int32Array);
    const truth = heldOut.masks.dataSync() as Int32Array;
    const ious: number[] = [];
    for (let classId = 0; classId < heldOut.classes.length; classId++) {
      let [intersection, union] = [0, 0];
      truth.forEach((t, k) => {
        if (t === classId && predicted[k] === classId) intersection++;
        if (t === classId || predicted[k] === classId) union++;
      });
      if (union > 0) ious.push(intersection / union);
    }
    expect(ious.reduce((sum, value) => sum + value, 0) / ious.length).to.be.at.least(0.3);
  });
});
