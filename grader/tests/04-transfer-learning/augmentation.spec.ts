// Hidden tests for randomHorizontalFlip, adjustBrightness, cutMix and augmentBatch. Images are [height, width, channels]
// in [0, 1]; augmentBatch takes a batch [N, height, width, channels].

// Inputs are made from plain arrays, not with tf ops: a notebook can re-register TensorFlow.js's kernels while it is
// graded, and a kernel that made the inputs degenerate (two "different" images equal) would let wrong answers pass.

/** `count` values from 0 up in even steps below 1, every one different. */
const ramp = (count: number): number[] => Array.from({ length: count }, (_, k) => k / count);

/** A deterministic [height, width, channels] image whose every value is different. */
function rampImage(height: number, width: number, channels: number): tf.Tensor3D {
  return tf.tensor3d(ramp(height * width * channels), [height, width, channels]);
}

const constant = (value: number) => () => value;

/** A batch of `count` copies of a 2 × 3 grey-level ramp whose values stay inside [0.3, 0.7] (so nothing is clipped). */
function rampBatch(count: number, channels = 1): tf.Tensor4D {
  const image = ramp(2 * 3 * channels).map((value) => value * 0.4 + 0.3);
  return tf.tensor4d(Array.from({ length: count }, () => image).flat(), [count, 2, 3, channels]);
}

/** A seeded generator in [0, 1), independent of the one the notebook uses. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** How an augmented image relates to its original: mirrored or not, and the constant added to every pixel. */
function relation(original: number[][][], augmented: number[][][]): { mirrored: boolean; shift: number } | undefined {
  const candidates = [
    { mirrored: false, image: original },
    { mirrored: true, image: original.map((row) => [...row].reverse()) },
  ];
  for (const { mirrored, image } of candidates) {
    const differences = augmented.flat(2).map((value, i) => value - image.flat(2)[i]);
    if (Math.max(...differences) - Math.min(...differences) < 1e-5) return { mirrored, shift: differences[0] };
  }
  return undefined;
}

describe('randomHorizontalFlip', () => {
  it('mirrors every row of a non-square multi-channel image when the draw is below p [2 pts]', () => {
    const image = rampImage(2, 3, 2);
    const flipped = submission.randomHorizontalFlip(image, 0.5, constant(0.1)) as tf.Tensor3D;
    const rows = image.arraySync();
    expect(flipped.arraySync()).to.deep.equal(rows.map((row) => [...row].reverse()));
  });

  it('leaves the image unchanged when the draw is at or above p', () => {
    const image = rampImage(3, 2, 3);
    for (const draw of [0.5, 0.9]) {
      const result = submission.randomHorizontalFlip(image, 0.5, constant(draw)) as tf.Tensor3D;
      expect(result.arraySync()).to.deep.equal(image.arraySync());
    }
  });

  it('always flips with p = 1, even for the largest draw', () => {
    const image = rampImage(1, 4, 1);
    expect(Array.from((submission.randomHorizontalFlip(image, 1, constant(0.999999)) as tf.Tensor3D).dataSync()))
      .to.deep.equal(Array.from(image.dataSync()).reverse());
  });

  it('keeps the shape and the dtype', () => {
    const image = rampImage(4, 5, 3);
    const flipped = submission.randomHorizontalFlip(image, 1, constant(0)) as tf.Tensor3D;
    expect(flipped.shape).to.deep.equal([4, 5, 3]);
    expect(flipped.dtype).to.equal('float32');
  });

  it('gives back the original image when applied twice', () => {
    const image = rampImage(3, 4, 3);
    const twice = submission.randomHorizontalFlip(submission.randomHorizontalFlip(image, 1), 1) as tf.Tensor3D;
    expect(twice.arraySync()).to.deep.equal(image.arraySync());
  });

  it('flips about the fraction p of the time with a seeded generator [2 pts]', () => {
    const random = seeded(2024);
    const image = tf.tensor3d([[[0], [1]]]);
    let flips = 0;
    for (let i = 0; i < 1000; i++) {
      flips += (submission.randomHorizontalFlip(image, 0.3, random) as tf.Tensor3D).dataSync()[0];
    }
    expect(flips).to.be.within(250, 350);
  });

  it('does not change the image it was given', () => {
    const image = rampImage(2, 2, 1);
    const before = image.arraySync();
    submission.randomHorizontalFlip(image, 1, constant(0));
    expect(image.arraySync()).to.deep.equal(before);
  });

  it('rejects a probability outside zero to one, quoting it', () => {
    for (const [what, p] of [['above one', 1.5], ['negative', -0.25], ['not a number', Number.NaN]] as const) {
      expect(() => submission.randomHorizontalFlip(rampImage(2, 2, 1), p), what).to.throw(Error, String(p));
    }
  });
});

describe('adjustBrightness', () => {
  it('adds a positive delta to every channel of every pixel [2 pts]', () => {
    const image = tf.tensor3d([[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]]);
    const brighter = Array.from((submission.adjustBrightness(image, 0.15) as tf.Tensor3D).dataSync());
    [0.25, 0.35, 0.45, 0.55, 0.65, 0.75].forEach((expected, i) => expect(brighter[i]).to.be.closeTo(expected, 1e-6));
  });

  it('darkens with a negative delta and clips at zero [2 pts]', () => {
    const image = tf.tensor3d([[[0.05, 0.3, 0.8]]]);
    const darker = Array.from((submission.adjustBrightness(image, -0.2) as tf.Tensor3D).dataSync());
    [0, 0.1, 0.6].forEach((expected, i) => expect(darker[i]).to.be.closeTo(expected, 1e-6));
  });

  it('clips at one without touching pixels that stay below it', () => {
    const image = tf.tensor3d([[[0.95], [0.2]], [[1], [0.5]]]);
    const result = Array.from((submission.adjustBrightness(image, 0.3) as tf.Tensor3D).dataSync());
    [1, 0.5, 1, 0.8].forEach((expected, i) => expect(result[i]).to.be.closeTo(expected, 1e-6));
  });

  it('returns an equal image of the same shape for a zero delta', () => {
    const image = rampImage(3, 4, 3);
    const same = submission.adjustBrightness(image, 0) as tf.Tensor3D;
    expect(same.shape).to.deep.equal([3, 4, 3]);
    expect(same.arraySync()).to.deep.equal(image.arraySync());
  });

  it('does not change the image it was given', () => {
    const image = rampImage(2, 2, 3);
    const before = image.arraySync();
    submission.adjustBrightness(image, 0.5);
    expect(image.arraySync()).to.deep.equal(before);
  });

  it('rejects a delta that is not a finite number, naming it', () => {
    for (const [what, delta] of [['not a number', Number.NaN], ['infinite', Number.POSITIVE_INFINITY]] as const) {
      expect(() => submission.adjustBrightness(rampImage(2, 2, 1), delta), what).to.throw(Error, 'delta');
    }
  });
});

describe('cutMix', () => {
  const [HEIGHT, WIDTH] = [4, 5];
  const first = () => rampImage(HEIGHT, WIDTH, 3);
  const second = () => tf.tensor3d(ramp(HEIGHT * WIDTH * 3).map((value) => 1 - value), [HEIGHT, WIDTH, 3]);
  const labels = () => [tf.tensor1d([1, 0, 0]), tf.tensor1d([0, 0, 1])] as const;

  /** The expected CutMix image computed pixel by pixel. */
  function expectedImage(box: { x: number; y: number; w: number; h: number }): number[][][] {
    const [a, b] = [first().arraySync(), second().arraySync()];
    return a.map((row, r) => row.map((pixel, c) => {
      const inside = r >= box.y && r < box.y + box.h && c >= box.x && c < box.x + box.w;
      return inside ? b[r][c] : pixel;
    }));
  }

  function mix(box: { x: number; y: number; w: number; h: number }): { image: tf.Tensor3D; label: tf.Tensor1D } {
    const [labelA, labelB] = labels();
    return submission.cutMix(first(), second(), labelA, labelB, box);
  }

  function expectClose(actual: number[][][], expected: number[][][]): void {
    const [flatActual, flatExpected] = [actual.flat(2), expected.flat(2)];
    expect(flatActual).to.have.length(flatExpected.length);
    flatActual.forEach((value, i) => expect(value).to.be.closeTo(flatExpected[i], 1e-6));
  }

  it('pastes the box from the second image into a non-square image [3 pts]', () => {
    const box = { x: 1, y: 2, w: 3, h: 2 };
    expectClose(mix(box).image.arraySync(), expectedImage(box));
  });

  it('handles a box touching the bottom-right corner', () => {
    const box = { x: 3, y: 1, w: 2, h: 3 };
    expectClose(mix(box).image.arraySync(), expectedImage(box));
  });

  it('weights the labels by the area of the box [3 pts]', () => {
    const label = Array.from(mix({ x: 1, y: 2, w: 3, h: 2 }).label.dataSync());
    [0.7, 0, 0.3].forEach((expected, i) => expect(label[i]).to.be.closeTo(expected, 1e-6));
  });

  it('mixes labels that are already soft', () => {
    const [soft, other] = [tf.tensor1d([0.5, 0.5]), tf.tensor1d([0, 1])];
    const { label } = submission.cutMix(first(), second(), soft, other, { x: 0, y: 0, w: 5, h: 2 });
    const values = Array.from((label as tf.Tensor1D).dataSync());
    [0.25, 0.75].forEach((expected, i) => expect(values[i]).to.be.closeTo(expected, 1e-6));
  });

  it('returns the first image and label for an empty box', () => {
    const { image, label } = mix({ x: 2, y: 1, w: 0, h: 0 });
    expectClose(image.arraySync(), first().arraySync());
    expect(Array.from(label.dataSync())).to.deep.equal([1, 0, 0]);
  });

  it('returns the second image and label for a box covering everything', () => {
    const { image, label } = mix({ x: 0, y: 0, w: WIDTH, h: HEIGHT });
    expectClose(image.arraySync(), second().arraySync());
    expect(Array.from(label.dataSync())).to.deep.equal([0, 0, 1]);
  });

  it('does not change the images it was given', () => {
    const [a, b] = [first(), second()];
    const [labelA, labelB] = labels();
    submission.cutMix(a, b, labelA, labelB, { x: 0, y: 0, w: 2, h: 2 });
    expectClose(a.arraySync(), first().arraySync());
    expectClose(b.arraySync(), second().arraySync());
  });

  it('rejects a box that does not lie on whole pixels inside the image, naming it', () => {
    for (const [what, box] of [
      ['sticking out on the right', { x: 3, y: 0, w: 3, h: 1 }],
      ['sticking out at the bottom', { x: 0, y: 2, w: 1, h: 3 }],
      ['with a negative corner', { x: -1, y: 0, w: 2, h: 2 }],
      ['with fractional pixels', { x: 0.5, y: 0, w: 2, h: 2 }],
    ] as const) {
      expect(() => mix(box), what).to.throw(Error, 'box');
    }
  });

  it('rejects images or labels of different shapes', () => {
    const [labelA, labelB] = labels();
    const other = rampImage(HEIGHT, WIDTH + 1, 3);
    expect(() => submission.cutMix(first(), other, labelA, labelB, { x: 0, y: 0, w: 1, h: 1 }), 'images').to.throw(Error, 'shape');
    const [shortLabel, longLabel] = [tf.tensor1d([1, 0]), tf.tensor1d([0, 0, 1])];
    expect(() => submission.cutMix(first(), second(), shortLabel, longLabel, { x: 0, y: 0, w: 1, h: 1 }), 'labels').to.throw(Error, 'shape');
  });
});


describe('augmentBatch', () => {
  it('mirrors every image and darkens it by maxDelta when every draw is 0 [2 pts]', () => {
    const batch = rampBatch(3, 2);
    const augmented = (submission.augmentBatch(batch, constant(0), 0.05) as tf.Tensor4D).arraySync();
    const original = batch.arraySync();
    augmented.forEach((image, i) => {
      const found = relation(original[i], image);
      expect(found, `image ${i}`).to.not.equal(undefined);
      expect(found!.mirrored).to.equal(true);
      expect(found!.shift).to.be.closeTo(-0.05, 1e-5);
    });
  });

  it('keeps every image unmirrored and brightens it by half of maxDelta when every draw is 0.75', () => {
    const batch = rampBatch(2);
    const augmented = (submission.augmentBatch(batch, constant(0.75), 0.2) as tf.Tensor4D).arraySync();
    const original = batch.arraySync();
    augmented.forEach((image, i) => {
      const found = relation(original[i], image);
      expect(found, `image ${i}`).to.not.equal(undefined);
      expect(found!.mirrored).to.equal(false);
      expect(found!.shift).to.be.closeTo(0.1, 1e-5);
    });
  });

  it('keeps the shape of a batch of colour images and leaves the batch it was given unchanged', () => {
    const batch = rampBatch(4, 3);
    const before = batch.arraySync();
    const augmented = submission.augmentBatch(batch, seeded(5), 0.1) as tf.Tensor4D;
    expect(augmented.shape).to.deep.equal([4, 2, 3, 3]);
    expect(batch.arraySync()).to.deep.equal(before);
  });

  it('draws a new flip and a new brightness for each image of the batch [2 pts]', () => {
    const count = 60;
    const batch = rampBatch(count);
    const augmented = (submission.augmentBatch(batch, seeded(11), 0.1) as tf.Tensor4D).arraySync();
    const original = batch.arraySync();
    const relations = augmented.map((image, i) => relation(original[i], image));
    relations.forEach((found, i) => {
      expect(found, `image ${i} is neither the original nor its mirror, shifted by a constant`).to.not.equal(undefined);
      expect(Math.abs(found!.shift)).to.be.at.most(0.1 + 1e-5);
    });
    const mirrored = relations.filter((found) => found!.mirrored).length;
    expect(mirrored).to.be.within(15, 45);
    const shifts = new Set(relations.map((found) => found!.shift.toFixed(4)));
    expect(shifts.size).to.be.greaterThan(count / 2);
  });

  it('takes every random draw from the generator it is given', () => {
    const batch = rampBatch(8);
    const first = (submission.augmentBatch(batch, seeded(3), 0.1) as tf.Tensor4D).arraySync();
    const second = (submission.augmentBatch(batch, seeded(3), 0.1) as tf.Tensor4D).arraySync();
    expect(second).to.deep.equal(first);
  });

  it('only mirrors when maxDelta is 0', () => {
    const batch = rampBatch(6);
    const augmented = (submission.augmentBatch(batch, seeded(9), 0) as tf.Tensor4D).arraySync();
    const original = batch.arraySync();
    augmented.forEach((image, i) => expect(relation(original[i], image)!.shift, `image ${i}`).to.be.closeTo(0, 1e-6));
  });
});
