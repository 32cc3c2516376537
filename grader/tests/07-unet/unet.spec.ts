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
    // Checked in plain JS: a notebook can re-register TensorFlow.js's kernels (Min, Sum among them) while it is graded.
    const values = Array.from(output.dataSync());
    output.dispose();
    expect(Math.min(...values)).to.be.at.least(0);
    for (let pixel = 0; pixel < values.length; pixel += 4) {
      expect(values.slice(pixel, pixel + 4).reduce((sum, p) => sum + p, 0), `pixel ${pixel / 4}`).to.be.closeTo(1, 1e-4);
    }
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

/**
 * The notebook trains `unet` on shapes scenes of seed 1 and keeps aside 100 scenes of 32×32 drawn with seed 2
 * (`makeShapesSegmentation({ count: 100, imageSize: 32, seed: 2 })` in its locked data cell: change both together).
 * This test draws those held-out scenes itself and counts pixels in plain JS: a learner's cell can redefine the
 * notebook's `heldOut`, and TensorFlow.js's kernels, but not this file's values.
 */
const HELD_OUT = { count: 100, imageSize: 32, seed: 2 };
/** How makeShapesSegmentation draws a scene: 1 to 3 shapes, radii 8 % to 20 % of the side. */
const SCENE = { maxObjects: 3, radiusRange: [0.08, 0.2] as [number, number] };
/** background, then the kit's shape classes */
const CLASS_COUNT = 4;

type HeldOut = { pixels: Float32Array; masks: Int32Array };

/**
 * The held-out scenes, drawn by the kit's own pure-JS painter and generator (`drawScene`, `seededRandom`) WHILE THIS
 * FILE LOADS, before any notebook code runs. Drawn now, not only imported: the built functions look up their helpers
 * (`SHAPE_CLASSES`, the generator) through module objects that a notebook sharing require's cache could change later,
 * whereas arrays drawn now are this file's alone. `require` is the loader's, two folders below the project root
 * (dist/grader/sandbox/ in the child, which may read dist/; grader/sandbox/ or tests/curriculum/ under tsx), so the
 * paths name the kit's modules from there; neither module loads TensorFlow.js.
 */
function drawHeldOut(): HeldOut {
  const { drawScene } = require('../../datasets/shapes/scene') as typeof import('../../../datasets/shapes/scene');
  const { seededRandom } = require('../../src/core/random') as typeof import('../../../src/core/random');
  const { count, imageSize: size, seed } = HELD_OUT;
  const random = seededRandom(seed);
  const scenes = Array.from({ length: count }, () =>
    drawScene({ size, objectCount: 1 + Math.floor(random() * SCENE.maxObjects), radiusRange: SCENE.radiusRange }, random));
  const pixels = new Float32Array(count * size * size * 3);
  const masks = new Int32Array(count * size * size);
  scenes.forEach((scene, i) => {
    pixels.set(scene.pixels, i * scene.pixels.length);
    masks.set(scene.mask, i * scene.mask.length);
  });
  return { pixels, masks };
}
const heldOut = drawHeldOut();

/** Training moves the biases from the zeros every layer starts them at; an untrained or made-up model keeps none. */
function biasesMoved(model: tf.LayersModel): boolean {
  const biases = model.weights.filter((weight) => /bias$/.test(weight.name));
  return biases.some((bias) => Array.from(bias.read().dataSync()).some((value) => value !== 0));
}

/** Each pixel's most likely class, from `unet`'s scores for the held-out scenes, once it is shown to be a trained model. */
function predictedClasses(unet: tf.LayersModel): Int32Array {
  expect(unet, 'unet').to.be.an.instanceOf(tf.LayersModel);
  expect(biasesMoved(unet), 'unet\'s biases moved from their initial zeros (it was trained)').to.equal(true);
  const { count, imageSize: size } = HELD_OUT;
  const images = tf.tensor4d(heldOut.pixels, [count, size, size, 3]);
  const scores = unet.predict(images) as tf.Tensor;
  const values = scores.dataSync();
  tf.dispose([images, scores]);
  expect(values.length, 'one score per class and pixel').to.equal(heldOut.masks.length * CLASS_COUNT);
  return heldOut.masks.map((_, pixel) => {
    let best = 0;
    for (let classId = 1; classId < CLASS_COUNT; classId++) {
      if (values[pixel * CLASS_COUNT + classId]! > values[pixel * CLASS_COUNT + best]!) best = classId;
    }
    return best;
  });
}

describe('the trained U-Net', () => {
  it('learns to separate the shapes from the background on held-out images [3 pts]', () => {
    const predicted = predictedClasses(submission.unet);
    const truth = heldOut.masks;
    const ious: number[] = [];
    for (let classId = 0; classId < CLASS_COUNT; classId++) {
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
