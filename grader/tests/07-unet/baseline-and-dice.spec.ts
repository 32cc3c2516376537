describe('buildFCN', () => {
  const build = (inputShape: number[], numClasses: number, baseFilters?: number, depth?: number): tf.LayersModel =>
    submission.buildFCN({ inputShape, numClasses, ...(baseFilters === undefined ? {} : { baseFilters }), ...(depth === undefined ? {} : { depth }) });
  const classNames = (model: tf.LayersModel): string[] => model.layers.map((layer) => layer.getClassName());

  /** U-Net's encoder and bottleneck (3×3 convolutions with bias), then the 1×1 classifier, in plain JS. */
  function fcnParams(channels: number, numClasses: number, baseFilters: number, depth: number): number {
    let total = 0;
    let inputs = channels;
    for (let level = 0; level <= depth; level++) {
      const filters = baseFilters * 2 ** level;
      total += 9 * inputs * filters + filters + 9 * filters * filters + filters;
      inputs = filters;
    }
    return total + inputs * numClasses + numClasses;
  }

  it('answers at the input size with one probability distribution per pixel [2 pts]', () => {
    const model = build([16, 24, 3], 4, 2, 3);
    expect(model.outputs[0].shape).to.deep.equal([null, 16, 24, 4]);
    const output = tf.tidy(() => model.predict(tf.randomUniform([1, 16, 24, 3], -1, 1, 'float32', 71)) as tf.Tensor);
    // Summed in plain JS: a notebook can re-register TensorFlow.js's kernels while it is graded.
    const values = Array.from(output.dataSync());
    output.dispose();
    expect(Math.min(...values)).to.be.at.least(0);
    for (let pixel = 0; pixel < values.length; pixel += 4) {
      expect(values.slice(pixel, pixel + 4).reduce((sum, p) => sum + p, 0), `pixel ${pixel / 4}`).to.be.closeTo(1, 1e-4);
    }
    model.dispose();
  });
  it("has U-Net's encoder and a 1×1 classifier, and nothing else with weights [2 pts]", () => {
    const model = build([16, 16, 3], 4, 2, 2);
    expect(model.countParams()).to.equal(fcnParams(3, 4, 2, 2));
    model.dispose();
  });
  it('upsamples the class scores instead of decoding with skips [2 pts] (hint: no concatenation and no transposed convolution; one upsampling by 2^depth)', () => {
    const model = build([32, 32, 1], 3, 2, 3);
    const names = classNames(model);
    expect(names.filter((name) => name === 'Concatenate' || name === 'Conv2DTranspose')).to.deep.equal([]);
    const upsampling = model.layers.filter((layer) => layer.getClassName() === 'UpSampling2D');
    expect(upsampling.map((layer) => layer.getConfig().size)).to.deep.equal([[8, 8]]);
    expect(names.filter((name) => name === 'MaxPooling2D')).to.have.length(3);
    model.dispose();
  });
  it('uses the default base filters and depth of U-Net [1 pt]', () => {
    const model = build([32, 32, 3], 2);
    expect(model.countParams()).to.equal(fcnParams(3, 2, 16, 3));
    model.dispose();
  });
  it('rejects an input size not divisible by 2^depth, quoting it [1 pt]', () => {
    build([8, 8, 1], 2, 2, 1).dispose();
    expect(() => build([12, 16, 3], 2, 2, 3)).to.throw(Error, /12/);
  });
});

describe('softDiceLoss', () => {
  /** The loss in plain JS, from flat one-hot targets and probabilities with `classes` values per pixel. */
  function expectedDiceLoss(target: number[], predicted: number[], classes: number, epsilon: number): number {
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      let overlap = 0;
      let total = 0;
      for (let k = c; k < target.length; k += classes) {
        overlap += target[k] * predicted[k];
        total += target[k] + predicted[k];
      }
      sum += (2 * overlap + epsilon) / (total + epsilon);
    }
    return 1 - sum / classes;
  }

  /** Seeded probabilities [n, h, w, c] and a one-hot target of the same shape, as plain arrays. */
  function draw(shape: [number, number, number, number], seed: number): { target: number[]; predicted: number[] } {
    let state = seed;
    const next = () => { state = (state * 1103515245 + 12345) % 2147483648; return state / 2147483648; };
    const [n, h, w, c] = shape;
    const target: number[] = [];
    const predicted: number[] = [];
    for (let pixel = 0; pixel < n * h * w; pixel++) {
      const hot = Math.floor(next() * c);
      const raw = Array.from({ length: c }, () => next() + 0.05);
      const total = raw.reduce((a, b) => a + b, 0);
      for (let k = 0; k < c; k++) {
        target.push(k === hot ? 1 : 0);
        predicted.push(raw[k] / total);
      }
    }
    return { target, predicted };
  }

  const cases: [string, [number, number, number, number], number, number | undefined][] = [
    ['matches the formula on a batch of several images and classes [3 pts] (hint: sum over the batch and every pixel, per class; then average the classes)', [2, 3, 4, 3], 81, undefined],
    ['applies a custom epsilon [1 pt]', [1, 2, 2, 2], 82, 0.01],
  ];
  for (const [title, shape, seed, epsilon] of cases) {
    it(title, () => {
      const { target, predicted } = draw(shape, seed);
      const loss = epsilon === undefined
        ? submission.softDiceLoss(tf.tensor4d(target, shape), tf.tensor4d(predicted, shape))
        : submission.softDiceLoss(tf.tensor4d(target, shape), tf.tensor4d(predicted, shape), epsilon);
      expect(loss.shape).to.deep.equal([]);
      expect(loss.dataSync()[0]).to.be.closeTo(expectedDiceLoss(target, predicted, shape[3], epsilon ?? 1), 1e-5);
    });
  }
  it('gives a class absent from target and prediction a Dice of 1 [1 pt]', () => {
    // Two classes; class 1 appears nowhere: its Dice is ε / ε = 1, class 0's is perfect, so the loss is 0.
    const target = tf.tensor4d([1, 0, 1, 0], [1, 1, 2, 2]);
    expect(submission.softDiceLoss(target, target).dataSync()[0]).to.be.closeTo(0, 1e-6);
  });
  it('has a gradient, so it can train a model [1 pt]', () => {
    const target = tf.tensor4d([1, 0, 0, 1], [1, 1, 2, 2]);
    const gradient = tf.grad((p: tf.Tensor) => submission.softDiceLoss(target, p))(tf.fill([1, 1, 2, 2], 0.5));
    expect(Math.max(...Array.from(gradient.dataSync()).map(Math.abs))).to.be.above(0.01);
  });
  it('rejects tensors of different shapes, showing both [1 pt]', () => {
    submission.softDiceLoss(tf.ones([1, 1, 1, 2]), tf.ones([1, 1, 1, 2]));
    expect(() => submission.softDiceLoss(tf.ones([1, 2, 2, 3]), tf.ones([1, 2, 2, 2]))).to.throw(Error, /1,2,2,3/);
  });
});
