/**
 * Patches, attention and the ViT, checked against plain-JS references written here (float64 arithmetic on arrays;
 * a notebook can re-register TensorFlow.js's kernels, so no expected value is computed with tf). Parameter counts are
 * PyTorch's, printed by reference.py in this folder (torch 1.13, torchvision 0.14).
 */
type Matrix = number[][];

/** A repeatable stream of numbers in [-1, 1). */
function randomStream(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 1073741824 - 1;
}
const randomMatrix = (rows: number, cols: number, next: () => number, scale = 1): Matrix =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * next()));
const randomVector = (size: number, next: () => number, scale = 1): number[] => randomMatrix(1, size, next, scale)[0];

const matMul = (a: Matrix, b: Matrix): Matrix =>
  a.map((row) => b[0].map((_, j) => row.reduce((sum, value, k) => sum + value * b[k][j], 0)));
const transpose = (a: Matrix): Matrix => a[0].map((_, j) => a.map((row) => row[j]));
const affine = (x: Matrix, w: Matrix, b: number[]): Matrix => matMul(x, w).map((row) => row.map((value, j) => value + b[j]));
const addMatrices = (a: Matrix, b: Matrix): Matrix => a.map((row, i) => row.map((value, j) => value + b[i][j]));
const softmaxRows = (a: Matrix): Matrix => a.map((row) => {
  const top = Math.max(...row);
  const exps = row.map((value) => Math.exp(value - top));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
});

/** softmax(QKᵀ / (τ√d)) and its product with V. */
function attentionReference(q: Matrix, k: Matrix, v: Matrix, temperature = 1): { output: Matrix; weights: Matrix } {
  const scale = temperature * Math.sqrt(q[0].length);
  const weights = softmaxRows(matMul(q, transpose(k)).map((row) => row.map((value) => value / scale)));
  return { output: matMul(weights, v), weights };
}

/** erf to about 1e-7 (Abramowitz and Stegun 7.1.26). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.sign(x) * (1 - poly * Math.exp(-x * x));
}
const gelu = (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2));

interface PlainNorm { gamma: number[]; beta: number[] }
const layerNormRows = (x: Matrix, { gamma, beta }: PlainNorm): Matrix => x.map((row) => {
  const mean = row.reduce((sum, value) => sum + value, 0) / row.length;
  const variance = row.reduce((sum, value) => sum + (value - mean) ** 2, 0) / row.length;
  return row.map((value, j) => gamma[j] * (value - mean) / Math.sqrt(variance + 1e-6) + beta[j]);
});

interface PlainAttention { wq: Matrix; bq: number[]; wk: Matrix; bk: number[]; wv: Matrix; bv: number[]; wo: Matrix; bo: number[] }
interface PlainBlock { norm1: PlainNorm; attention: PlainAttention; norm2: PlainNorm; mlp: { w1: Matrix; b1: number[]; w2: Matrix; b2: number[] } }

/** Multi-head attention of one sequence [T, D]: the output and every head's weights. */
function multiHeadReference(x: Matrix, p: PlainAttention, heads: number): { output: Matrix; weights: Matrix[] } {
  const [q, k, v] = [affine(x, p.wq, p.bq), affine(x, p.wk, p.bk), affine(x, p.wv, p.bv)];
  const headWidth = x[0].length / heads;
  const slice = (a: Matrix, head: number) => a.map((row) => row.slice(head * headWidth, (head + 1) * headWidth));
  const results = Array.from({ length: heads }, (_, head) => attentionReference(slice(q, head), slice(k, head), slice(v, head)));
  const merged = x.map((_, t) => results.flatMap((result) => result.output[t]));
  return { output: affine(merged, p.wo, p.bo), weights: results.map((result) => result.weights) };
}

function blockReference(x: Matrix, p: PlainBlock, heads: number): { output: Matrix; weights: Matrix[] } {
  const attended = multiHeadReference(layerNormRows(x, p.norm1), p.attention, heads);
  const afterAttention = addMatrices(x, attended.output);
  const hidden = affine(layerNormRows(afterAttention, p.norm2), p.mlp.w1, p.mlp.b1).map((row) => row.map(gelu));
  return { output: addMatrices(afterAttention, affine(hidden, p.mlp.w2, p.mlp.b2)), weights: attended.weights };
}

/** One image [H][W][C] cut into P×P patches, row by row, each flattened row by row with channels last. */
function patchesReference(image: number[][][], patchSize: number): Matrix {
  const patches: Matrix = [];
  for (let top = 0; top < image.length; top += patchSize) {
    for (let left = 0; left < image[0].length; left += patchSize) {
      const patch: number[] = [];
      for (let i = 0; i < patchSize; i++) for (let j = 0; j < patchSize; j++) patch.push(...image[top + i][left + j]);
      patches.push(patch);
    }
  }
  return patches;
}

const randomImages = (n: number, height: number, width: number, channels: number, next: () => number) =>
  Array.from({ length: n }, () => Array.from({ length: height }, () => randomMatrix(width, channels, next)));

/** The largest absolute difference between two nested arrays of the same shape (Infinity when shapes differ). */
function largestDifference(actual: unknown, expected: unknown): number {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return Infinity;
    return Math.max(0, ...expected.map((item, k) => largestDifference(actual[k], item)));
  }
  return typeof actual === 'number' && typeof expected === 'number' ? Math.abs(actual - expected) : Infinity;
}
const expectClose = (actual: tf.Tensor, expected: unknown, what: string, tolerance = 1e-4) =>
  expect(largestDifference(actual.arraySync(), expected), `largest difference in ${what}`).to.be.below(tolerance);

/** Tensors of a plain block's parameters, in the notebook's `BlockParams` layout. */
const normTensors = (p: PlainNorm) => ({ gamma: tf.tensor1d(p.gamma), beta: tf.tensor1d(p.beta) });
const attentionTensors = (p: PlainAttention) => ({
  wq: tf.tensor2d(p.wq), bq: tf.tensor1d(p.bq), wk: tf.tensor2d(p.wk), bk: tf.tensor1d(p.bk),
  wv: tf.tensor2d(p.wv), bv: tf.tensor1d(p.bv), wo: tf.tensor2d(p.wo), bo: tf.tensor1d(p.bo),
});
const blockTensors = (p: PlainBlock) => ({
  norm1: normTensors(p.norm1), attention: attentionTensors(p.attention), norm2: normTensors(p.norm2),
  mlp: { w1: tf.tensor2d(p.mlp.w1), b1: tf.tensor1d(p.mlp.b1), w2: tf.tensor2d(p.mlp.w2), b2: tf.tensor1d(p.mlp.b2) },
});

const randomNorm = (width: number, next: () => number): PlainNorm =>
  ({ gamma: randomVector(width, next).map((value) => 1 + 0.5 * value), beta: randomVector(width, next, 0.3) });
const randomAttention = (width: number, next: () => number): PlainAttention => ({
  wq: randomMatrix(width, width, next, 0.6), bq: randomVector(width, next, 0.2), wk: randomMatrix(width, width, next, 0.6),
  bk: randomVector(width, next, 0.2), wv: randomMatrix(width, width, next, 0.6), bv: randomVector(width, next, 0.2),
  wo: randomMatrix(width, width, next, 0.6), bo: randomVector(width, next, 0.2),
});
const randomBlock = (width: number, mlpWidth: number, next: () => number): PlainBlock => ({
  norm1: randomNorm(width, next), attention: randomAttention(width, next), norm2: randomNorm(width, next),
  mlp: { w1: randomMatrix(width, mlpWidth, next, 0.6), b1: randomVector(mlpWidth, next, 0.2), w2: randomMatrix(mlpWidth, width, next, 0.6), b2: randomVector(width, next, 0.2) },
});

/** Two tests of a layer on a batch of sequences: its output, then its attention weights, each against the reference's. */
function itMatchesOnSequences(
  [outputTitle, weightsTitle]: [string, string],
  sequences: Matrix[],
  run: (xs: tf.Tensor3D) => { output: tf.Tensor; weights: tf.Tensor },
  reference: (x: Matrix) => { output: Matrix; weights: Matrix[] },
): void {
  it(outputTitle, () => expectClose(run(tf.tensor3d(sequences)).output, sequences.map((x) => reference(x).output), 'the output'));
  it(weightsTitle, () => expectClose(run(tf.tensor3d(sequences)).weights, sequences.map((x) => reference(x).weights), 'the weights'));
}

describe('patchify', () => {
  it('cuts colour images into patches, row by row, each flattened with channels last [3 pts]', () => {
    const images = randomImages(2, 6, 4, 3, randomStream(1));
    const patches = submission.patchify(tf.tensor4d(images), 2);
    expectClose(patches, images.map((image) => patchesReference(image, 2)), 'the patches', 1e-6);
  });
  it('keeps the whole image as one patch when the patch is the image [1 pt]', () => {
    const images = randomImages(1, 4, 4, 2, randomStream(2));
    expectClose(submission.patchify(tf.tensor4d(images), 4), [[images[0].flat(2)]], 'the single patch', 1e-6);
  });
  it('rejects a patch size that does not divide the image, naming patchSize [1 pt]', () => {
    expect(submission.patchify(tf.zeros([1, 6, 4, 1]), 2).shape).to.deep.equal([1, 6, 4]);
    expect(() => submission.patchify(tf.zeros([1, 6, 4, 1]), 4), 'a size that divides the width only').to.throw(Error, /patchSize/);
    expect(() => submission.patchify(tf.zeros([1, 6, 4, 1]), 0), 'zero').to.throw(Error, /patchSize/);
  });
});

describe('tokenCount', () => {
  it("counts ViT-B/16's tokens at 224 × 224", () => expect(submission.tokenCount(224, 16)).to.equal(197));
  it('counts other image and patch sizes [2 pts]', () => {
    expect(submission.tokenCount(384, 16)).to.equal(577);
    expect(submission.tokenCount(224, 32)).to.equal(50);
    expect(submission.tokenCount(32, 4)).to.equal(65);
  });
  it('rejects a patch size that does not divide the image, naming patchSize', () => {
    expect(submission.tokenCount(28, 7)).to.equal(17);
    expect(() => submission.tokenCount(224, 15)).to.throw(Error, /patchSize/);
  });
});

describe('patchEmbeddingByConv', () => {
  const cases: [string, number, [number, number, number, number], number, number][] = [
    ['equals the patches times the kernel plus the bias [3 pts]', 3, [2, 6, 6, 2], 3, 5],
    ['orders the tokens of a wide image as patchify does [2 pts]', 4, [1, 2, 6, 1], 2, 3],
  ];
  for (const [title, seed, [n, height, width, channels], patchSize, embedding] of cases) {
    it(title, () => {
      const next = randomStream(seed);
      const images = randomImages(n, height, width, channels, next);
      const [kernel, bias] = [randomMatrix(patchSize * patchSize * channels, embedding, next), randomVector(embedding, next)];
      const expected = images.map((image) => affine(patchesReference(image, patchSize), kernel, bias));
      const actual = submission.patchEmbeddingByConv(tf.tensor4d(images), tf.tensor2d(kernel), tf.tensor1d(bias), patchSize);
      expectClose(actual, expected, 'the embedding');
    });
  }
});

describe('scaledDotProductAttention', () => {
  const next = randomStream(5);
  const [q, k, v] = [randomMatrix(3, 4, next), randomMatrix(5, 4, next), randomMatrix(5, 2, next)];
  it('computes softmax(QKᵀ/√d)V on one sequence [2 pts]', () => {
    const { output } = submission.scaledDotProductAttention(tf.tensor2d(q), tf.tensor2d(k), tf.tensor2d(v));
    expectClose(output, attentionReference(q, k, v).output, 'the output');
  });
  it('returns the attention weights [2 pts]', () => {
    const { weights } = submission.scaledDotProductAttention(tf.tensor2d(q), tf.tensor2d(k), tf.tensor2d(v));
    expectClose(weights, attentionReference(q, k, v).weights, 'the weights');
  });
  it('divides the scores by the temperature too [2 pts]', () => {
    for (const temperature of [0.5, 3]) {
      const { weights } = submission.scaledDotProductAttention(tf.tensor2d(q), tf.tensor2d(k), tf.tensor2d(v), temperature);
      expectClose(weights, attentionReference(q, k, v, temperature).weights, `the weights at temperature ${temperature}`);
    }
  });
  it('attends separately along leading batch and head axes [2 pts]', () => {
    const stream = randomStream(6);
    const batch = (rows: number, cols: number) => Array.from({ length: 2 }, () => Array.from({ length: 3 }, () => randomMatrix(rows, cols, stream)));
    const [qs, ks, vs] = [batch(4, 2), batch(4, 2), batch(4, 3)];
    const { output } = submission.scaledDotProductAttention(tf.tensor4d(qs), tf.tensor4d(ks), tf.tensor4d(vs));
    expectClose(output, qs.map((heads, b) => heads.map((_, h) => attentionReference(qs[b][h], ks[b][h], vs[b][h]).output)), 'the output');
  });
  it('rejects a temperature that is not positive, naming it [1 pt]', () => {
    expect(submission.scaledDotProductAttention(tf.tensor2d(q), tf.tensor2d(k), tf.tensor2d(v), 2).output.shape).to.deep.equal([3, 2]);
    expect(() => submission.scaledDotProductAttention(tf.tensor2d(q), tf.tensor2d(k), tf.tensor2d(v), -1)).to.throw(Error, /temperature/);
  });
});

describe('multiHeadAttention', () => {
  const next = randomStream(7);
  const params = randomAttention(4, next);
  const sequences = [randomMatrix(3, 4, next), randomMatrix(3, 4, next)];
  itMatchesOnSequences(
    ['projects, splits into heads, attends, concatenates and projects [4 pts]', "returns every head's attention weights [2 pts]"],
    sequences, (xs) => submission.multiHeadAttention(xs, attentionTensors(params), 2), (x) => multiHeadReference(x, params, 2));
  it('rejects a head count that does not divide the width, naming heads [1 pt]', () => {
    expect(submission.multiHeadAttention(tf.tensor3d(sequences), attentionTensors(params), 4).output.shape).to.deep.equal([2, 3, 4]);
    expect(() => submission.multiHeadAttention(tf.tensor3d(sequences), attentionTensors(params), 3)).to.throw(Error, /heads/);
  });
});

describe('attentionParamCount', () => {
  it("matches PyTorch's nn.MultiheadAttention at several widths [2 pts]", () => {
    // reference.py: nn.MultiheadAttention(d, heads) parameters for d = 8, 192, 768
    expect(submission.attentionParamCount(8)).to.equal(288);
    expect(submission.attentionParamCount(192)).to.equal(148224);
    expect(submission.attentionParamCount(768)).to.equal(2362368);
  });
});

describe('vitParamCount', () => {
  const config = (imageSize: number, patchSize: number, depth: number, heads: number, width: number, mlpWidth: number, numClasses: number) =>
    ({ imageSize, patchSize, channels: 3, width, depth, heads, mlpWidth, numClasses });
  it("matches torchvision's vit_b_16 [3 pts]", () => {
    expect(submission.vitParamCount(config(224, 16, 12, 12, 768, 3072, 1000))).to.equal(86567656);
  });
  it("matches torchvision's VisionTransformer in small configurations [3 pts]", () => {
    // reference.py: VisionTransformer(image, patch, layers, heads, hidden, mlp, num_classes)
    expect(submission.vitParamCount(config(28, 7, 2, 2, 32, 64, 10))).to.equal(22794);
    expect(submission.vitParamCount(config(32, 8, 3, 4, 48, 96, 5))).to.equal(67349);
    expect(submission.vitParamCount(config(224, 16, 1, 2, 16, 32, 1000))).to.equal(34728);
  });
  it('counts the smaller patch embedding of grey images [1 pt]', () => {
    const colour = config(28, 7, 2, 2, 32, 64, 10);
    expect(submission.vitParamCount({ ...colour, channels: 1 })).to.equal(22794 - 7 * 7 * 2 * 32);
  });
});

describe('encoderBlock', () => {
  const next = randomStream(8);
  const params = randomBlock(4, 6, next);
  const sequences = [randomMatrix(3, 4, next, 2), randomMatrix(3, 4, next, 2)];
  itMatchesOnSequences(
    ['computes LN → attention → residual, then LN → MLP with GELU → residual [4 pts]', "returns its attention's weights [1 pt]"],
    sequences, (xs) => submission.encoderBlock(xs, blockTensors(params), 2), (x) => blockReference(x, params, 2));
});

describe('vitForward', () => {
  const next = randomStream(9);
  const [width, tokens, classes] = [4, 5, 3];
  const plain = {
    kernel: randomMatrix(8, width, next, 0.5), bias: randomVector(width, next, 0.2), classToken: randomVector(width, next),
    positions: randomMatrix(tokens, width, next, 0.5), blocks: [randomBlock(width, 6, next), randomBlock(width, 6, next)],
    norm: randomNorm(width, next), head: randomMatrix(width, classes, next), headBias: randomVector(classes, next),
  };
  const images = randomImages(2, 4, 4, 2, next);
  const config = { imageSize: 4, patchSize: 2, channels: 2, width, depth: 2, heads: 2, mlpWidth: 6, numClasses: classes };
  const params = () => ({
    config,
    patchEmbedding: { kernel: tf.tensor2d(plain.kernel), bias: tf.tensor1d(plain.bias) },
    classToken: tf.tensor1d(plain.classToken), positions: tf.tensor2d(plain.positions),
    blocks: plain.blocks.map(blockTensors), norm: normTensors(plain.norm),
    head: { kernel: tf.tensor2d(plain.head), bias: tf.tensor1d(plain.headBias) },
  });
  /** The ViT formulas for one image: its class scores and each block's weights. */
  function forwardReference(image: number[][][]): { logits: number[]; attentions: Matrix[][] } {
    let z = addMatrices([plain.classToken, ...affine(patchesReference(image, 2), plain.kernel, plain.bias)], plain.positions);
    const attentions: Matrix[][] = [];
    for (const block of plain.blocks) {
      const result = blockReference(z, block, 2);
      z = result.output;
      attentions.push(result.weights);
    }
    return { logits: affine(layerNormRows([z[0]], plain.norm), plain.head, plain.headBias)[0], attentions };
  }
  it('scores images from the class token as the ViT formulas say [4 pts]', () => {
    const { logits } = submission.vitForward(params(), tf.tensor4d(images));
    expectClose(logits, images.map((image) => forwardReference(image).logits), 'the class scores');
  });
  it("returns every block's attention weights, in order [2 pts]", () => {
    const { attentions } = submission.vitForward(params(), tf.tensor4d(images));
    expect(attentions, 'one per block').to.have.length(2);
    attentions.forEach((weights: tf.Tensor, block: number) =>
      expectClose(weights, images.map((image) => forwardReference(image).attentions[block]), `block ${block + 1}'s weights`));
  });
});

describe('cosineSimilarityMatrix', () => {
  const vectors = randomMatrix(5, 3, randomStream(10));
  const cosine = (u: number[], v: number[]) =>
    u.reduce((sum, value, k) => sum + value * v[k], 0) / Math.hypot(...u) / Math.hypot(...v);
  it('gives the cosine similarity of every pair of rows [2 pts]', () => {
    expectClose(submission.cosineSimilarityMatrix(tf.tensor2d(vectors)), vectors.map((u) => vectors.map((v) => cosine(u, v))), 'the similarities');
  });
  it('ignores the rows\' lengths [1 pt]', () => {
    const scaled = vectors.map((row, i) => row.map((value) => value * (i + 1) * 10));
    expectClose(submission.cosineSimilarityMatrix(tf.tensor2d(scaled)), vectors.map((u) => vectors.map((v) => cosine(u, v))), 'the similarities');
  });
});

describe('attentionRollout', () => {
  const next = randomStream(11);
  const randomAttentionWeights = (heads: number, tokens: number) =>
    Array.from({ length: heads }, () => softmaxRows(randomMatrix(tokens, tokens, next, 2)));
  const blocks = [randomAttentionWeights(3, 5), randomAttentionWeights(3, 5), randomAttentionWeights(3, 5)];
  function rolloutReference(perBlock: Matrix[][]): number[] {
    const tokens = perBlock[0][0].length;
    let rollout: Matrix = Array.from({ length: tokens }, (_, i) => Array.from({ length: tokens }, (_, j) => (i === j ? 1 : 0)));
    for (const heads of perBlock) {
      const mixed = heads[0].map((row, i) => row.map((_, j) =>
        0.5 * heads.reduce((sum, head) => sum + head[i][j], 0) / heads.length + (i === j ? 0.5 : 0)));
      rollout = matMul(mixed, rollout);
    }
    return rollout[0].slice(1);
  }
  it('multiplies the head-averaged, residual-mixed attention of every block [4 pts]', () => {
    expectClose(submission.attentionRollout(blocks.map((heads) => tf.tensor3d(heads))), rolloutReference(blocks), 'the rollout');
  });
  it('applies the blocks in order, the last one outermost [1 pt]', () => {
    const reversed = [...blocks].reverse();
    expectClose(submission.attentionRollout(reversed.map((heads) => tf.tensor3d(heads))), rolloutReference(reversed), 'the rollout');
  });
  it('rejects an empty list, naming attentions [1 pt]', () => {
    expect(submission.attentionRollout([tf.tensor3d(blocks[0])]).shape).to.deep.equal([4]);
    expect(() => submission.attentionRollout([])).to.throw(Error, /attentions/);
  });
});
