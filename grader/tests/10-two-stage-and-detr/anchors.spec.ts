// Expected values printed by reference.py (torchvision 0.14: AnchorGenerator, BoxCoder, Matcher).

const closeToAll = (actual: number[][], expected: number[][], tolerance: number, what: string) => {
  expect(actual, what).to.have.length(expected.length);
  expected.forEach((row, i) => row.forEach((value, k) => expect(actual[i][k], `${what}, box ${i} coordinate ${k}`).to.be.closeTo(value, tolerance)));
};

describe('generateAnchors', () => {
  it('matches torchvision for two sizes and three ratios on a 3 × 4 map of stride 16 [2 pts] (hint: list the base anchors ratio by ratio, each ratio size by size, and round each coordinate)', () => {
    closeToAll(submission.generateAnchors(3, 4, 16, [32, 64], [0.5, 1.0, 2.0]), [[-23.0, -11.0, 23.0, 11.0], [-45.0, -23.0, 45.0, 23.0], [-16.0, -16.0, 16.0, 16.0], [-32.0, -32.0, 32.0, 32.0], [-11.0, -23.0, 11.0, 23.0], [-23.0, -45.0, 23.0, 45.0], [-7.0, -11.0, 39.0, 11.0], [-29.0, -23.0, 61.0, 23.0], [0.0, -16.0, 32.0, 16.0], [-16.0, -32.0, 48.0, 32.0], [5.0, -23.0, 27.0, 23.0], [-7.0, -45.0, 39.0, 45.0], [9.0, -11.0, 55.0, 11.0], [-13.0, -23.0, 77.0, 23.0], [16.0, -16.0, 48.0, 16.0], [0.0, -32.0, 64.0, 32.0], [21.0, -23.0, 43.0, 23.0], [9.0, -45.0, 55.0, 45.0], [25.0, -11.0, 71.0, 11.0], [3.0, -23.0, 93.0, 23.0], [32.0, -16.0, 64.0, 16.0], [16.0, -32.0, 80.0, 32.0], [37.0, -23.0, 59.0, 23.0], [25.0, -45.0, 71.0, 45.0], [-23.0, 5.0, 23.0, 27.0], [-45.0, -7.0, 45.0, 39.0], [-16.0, 0.0, 16.0, 32.0], [-32.0, -16.0, 32.0, 48.0], [-11.0, -7.0, 11.0, 39.0], [-23.0, -29.0, 23.0, 61.0], [-7.0, 5.0, 39.0, 27.0], [-29.0, -7.0, 61.0, 39.0], [0.0, 0.0, 32.0, 32.0], [-16.0, -16.0, 48.0, 48.0], [5.0, -7.0, 27.0, 39.0], [-7.0, -29.0, 39.0, 61.0], [9.0, 5.0, 55.0, 27.0], [-13.0, -7.0, 77.0, 39.0], [16.0, 0.0, 48.0, 32.0], [0.0, -16.0, 64.0, 48.0], [21.0, -7.0, 43.0, 39.0], [9.0, -29.0, 55.0, 61.0], [25.0, 5.0, 71.0, 27.0], [3.0, -7.0, 93.0, 39.0], [32.0, 0.0, 64.0, 32.0], [16.0, -16.0, 80.0, 48.0], [37.0, -7.0, 59.0, 39.0], [25.0, -29.0, 71.0, 61.0], [-23.0, 21.0, 23.0, 43.0], [-45.0, 9.0, 45.0, 55.0], [-16.0, 16.0, 16.0, 48.0], [-32.0, 0.0, 32.0, 64.0], [-11.0, 9.0, 11.0, 55.0], [-23.0, -13.0, 23.0, 77.0], [-7.0, 21.0, 39.0, 43.0], [-29.0, 9.0, 61.0, 55.0], [0.0, 16.0, 32.0, 48.0], [-16.0, 0.0, 48.0, 64.0], [5.0, 9.0, 27.0, 55.0], [-7.0, -13.0, 39.0, 77.0], [9.0, 21.0, 55.0, 43.0], [-13.0, 9.0, 77.0, 55.0], [16.0, 16.0, 48.0, 48.0], [0.0, 0.0, 64.0, 64.0], [21.0, 9.0, 43.0, 55.0], [9.0, -13.0, 55.0, 77.0], [25.0, 21.0, 71.0, 43.0], [3.0, 9.0, 93.0, 55.0], [32.0, 16.0, 64.0, 48.0], [16.0, 0.0, 80.0, 64.0], [37.0, 9.0, 59.0, 55.0], [25.0, -13.0, 71.0, 77.0]], 1e-9, 'anchors');
  });
  it('matches torchvision for one size and two ratios on a 5 × 5 map of stride 8 [2 pts] (hint: cell (row i, column j) shifts the base anchors by (j · stride, i · stride), cells row by row)', () => {
    closeToAll(submission.generateAnchors(5, 5, 8, [24], [0.5, 2.0]), [[-17.0, -8.0, 17.0, 8.0], [-8.0, -17.0, 8.0, 17.0], [-9.0, -8.0, 25.0, 8.0], [0.0, -17.0, 16.0, 17.0], [-1.0, -8.0, 33.0, 8.0], [8.0, -17.0, 24.0, 17.0], [7.0, -8.0, 41.0, 8.0], [16.0, -17.0, 32.0, 17.0], [15.0, -8.0, 49.0, 8.0], [24.0, -17.0, 40.0, 17.0], [-17.0, 0.0, 17.0, 16.0], [-8.0, -9.0, 8.0, 25.0], [-9.0, 0.0, 25.0, 16.0], [0.0, -9.0, 16.0, 25.0], [-1.0, 0.0, 33.0, 16.0], [8.0, -9.0, 24.0, 25.0], [7.0, 0.0, 41.0, 16.0], [16.0, -9.0, 32.0, 25.0], [15.0, 0.0, 49.0, 16.0], [24.0, -9.0, 40.0, 25.0], [-17.0, 8.0, 17.0, 24.0], [-8.0, -1.0, 8.0, 33.0], [-9.0, 8.0, 25.0, 24.0], [0.0, -1.0, 16.0, 33.0], [-1.0, 8.0, 33.0, 24.0], [8.0, -1.0, 24.0, 33.0], [7.0, 8.0, 41.0, 24.0], [16.0, -1.0, 32.0, 33.0], [15.0, 8.0, 49.0, 24.0], [24.0, -1.0, 40.0, 33.0], [-17.0, 16.0, 17.0, 32.0], [-8.0, 7.0, 8.0, 41.0], [-9.0, 16.0, 25.0, 32.0], [0.0, 7.0, 16.0, 41.0], [-1.0, 16.0, 33.0, 32.0], [8.0, 7.0, 24.0, 41.0], [7.0, 16.0, 41.0, 32.0], [16.0, 7.0, 32.0, 41.0], [15.0, 16.0, 49.0, 32.0], [24.0, 7.0, 40.0, 41.0], [-17.0, 24.0, 17.0, 40.0], [-8.0, 15.0, 8.0, 49.0], [-9.0, 24.0, 25.0, 40.0], [0.0, 15.0, 16.0, 49.0], [-1.0, 24.0, 33.0, 40.0], [8.0, 15.0, 24.0, 49.0], [7.0, 24.0, 41.0, 40.0], [16.0, 15.0, 32.0, 49.0], [15.0, 24.0, 49.0, 40.0], [24.0, 15.0, 40.0, 49.0]], 1e-9, 'anchors');
  });
  it('keeps the area of every unrounded anchor at size squared, whatever the ratio', () => {
    const anchors: number[][] = submission.generateAnchors(1, 1, 16, [100], [0.25, 1, 4]);
    expect(anchors.map(([x1, y1, x2, y2]) => [x2 - x1, y2 - y1])).to.deep.equal([[200, 50], [100, 100], [50, 200]]);
  });
  it('rejects an empty map, no sizes and non-positive ratios', () => {
    expect(submission.generateAnchors(1, 1, 16, [32], [1])).to.have.length(1);
    expect(() => submission.generateAnchors(0, 3, 16, [32], [1]), 'a map with no rows').to.throw(Error);
    expect(() => submission.generateAnchors(2, 2, 16, [], [1]), 'no sizes').to.throw(Error);
    expect(() => submission.generateAnchors(2, 2, 16, [32], [1, 0]), 'a ratio of 0').to.throw(Error);
  });
});

describe('encodeBoxes', () => {
  const anchors = [[0.0, 0.0, 16.0, 16.0], [10.0, 20.0, 50.0, 40.0], [5.5, 3.0, 12.5, 30.0]];
  const truths = [[2.0, 1.0, 18.0, 20.0], [0.0, 15.0, 60.0, 45.0], [4.0, 4.0, 10.0, 28.0]];
  it('matches torchvision with the region proposal network weights (1, 1, 1, 1) [2 pts]', () => {
    closeToAll(submission.encodeBoxes(anchors, truths, [1, 1, 1, 1]), [[0.125, 0.15625, 0.0, 0.17185], [0.0, 0.0, 0.405465, 0.405465], [-0.285714, -0.018519, -0.154151, -0.117783]], 1e-5, 'offsets');
  });
  it('matches torchvision with the RoI-head weights (10, 10, 5, 5) [2 pts] (hint: the weights multiply the offsets: tx = wx · (x − xa) / wa)', () => {
    closeToAll(submission.encodeBoxes(anchors, truths, [10, 10, 5, 5]), [[1.25, 1.5625, 0.0, 0.859251], [0.0, 0.0, 2.027326, 2.027326], [-2.857143, -0.185185, -0.770753, -0.588915]], 1e-5, 'offsets');
  });
  it('uses the weights (1, 1, 1, 1) by default', () => {
    closeToAll(submission.encodeBoxes(anchors, truths), [[0.125, 0.15625, 0.0, 0.17185], [0.0, 0.0, 0.405465, 0.405465], [-0.285714, -0.018519, -0.154151, -0.117783]], 1e-5, 'offsets');
  });
  it('rejects lists of different lengths', () => {
    expect(submission.encodeBoxes([[0, 0, 1, 1]], [[0, 0, 1, 1]])).to.have.length(1);
    expect(() => submission.encodeBoxes(anchors, truths.slice(1))).to.throw(Error);
  });
});

describe('decodeBoxes', () => {
  const anchors = [[0.0, 0.0, 16.0, 16.0], [10.0, 20.0, 50.0, 40.0], [5.5, 3.0, 12.5, 30.0]];
  const deltas = [[0.1, -0.2, 0.3, -0.1], [-0.5, 0.25, 0.0, 0.7], [0.0, 0.0, 10.0, -1.0]];
  it('matches torchvision with the region proposal network weights, clamping a huge width offset [2 pts] (hint: clamp tw / ww and th / wh at log(1000 / 16) before exponentiating)', () => {
    closeToAll(submission.decodeBoxes(anchors, deltas, [1, 1, 1, 1]), [[-1.19887, -2.438699, 20.39887, 12.038699], [-10.0, 14.862473, 30.0, 55.137527], [-209.75, 11.533628, 227.75, 21.466372]], 1e-4, 'boxes');
  });
  it('matches torchvision with the RoI-head weights (10, 10, 5, 5) [2 pts]', () => {
    closeToAll(submission.decodeBoxes(anchors, deltas, [10, 10, 5, 5]), [[-0.334692, -0.161589, 16.654692, 15.521589], [8.0, 18.997262, 48.0, 42.002738], [-16.861696, 5.447135, 34.861696, 27.552865]], 1e-4, 'boxes');
  });
  it('inverts encodeBoxes with either weights', () => {
    const truths = [[2.0, 1.0, 18.0, 20.0], [0.0, 15.0, 60.0, 45.0], [4.0, 4.0, 10.0, 28.0]];
    for (const weights of [[1, 1, 1, 1], [10, 10, 5, 5]]) {
      closeToAll(submission.decodeBoxes(anchors, submission.encodeBoxes(anchors, truths, weights), weights), truths, 1e-6, `weights ${weights}`);
    }
  });
});

describe('assignAnchors', () => {
  it('labels positive, negative and ignored anchors and gives each box its best anchor, as torchvision does [3 pts] (hint: after the thresholds, every anchor tied for a box\'s highest IoU is matched to its own best box)', () => {
    expect(submission.assignAnchors([[0.0, 0.0, 10.0, 10.0], [1.0, 1.0, 11.0, 11.0], [5.0, 5.0, 15.0, 15.0], [20.0, 20.0, 30.0, 30.0], [40.0, 0.0, 44.0, 4.0], [0.0, 30.0, 10.0, 40.0], [22.0, 18.0, 32.0, 28.0], [60.0, 60.0, 70.0, 70.0]], [[0.0, 0.0, 10.0, 10.0], [21.0, 21.0, 31.0, 31.0], [40.0, 0.0, 52.0, 12.0]])).to.deep.equal([0, -2, -1, 1, 2, -1, -2, -1]);
  });
  it('matches an anchor to the box it overlaps most', () => {
    expect(submission.assignAnchors([[0, 0, 10, 10]], [[1, 0, 11, 10], [0, 0, 10, 9.5]])).to.deep.equal([1]);
  });
  it('treats IoU exactly 0.7 as positive and exactly 0.3 as ignored', () => {
    // IoU 7/10 and 3/10 with a 10 × 10 box at the origin
    expect(submission.assignAnchors([[0, 0, 10, 7], [0, 0, 10, 3], [0, 0, 10, 10]], [[0, 0, 10, 10]])).to.deep.equal([0, -2, 0]);
  });
  it('gives every tied best anchor of a box to it, even below the threshold', () => {
    expect(submission.assignAnchors([[0, 0, 8, 8], [4, 0, 12, 8], [40, 40, 50, 50]], [[2, 0, 10, 2]])).to.deep.equal([0, 0, -1]);
  });
  it('uses the thresholds it is given', () => {
    expect(submission.assignAnchors([[0, 0, 10, 5], [0, 0, 10, 10]], [[0, 0, 10, 10]], 0.4, 0.2)).to.deep.equal([0, 0]);
  });
  it('makes every anchor negative when there is no ground truth', () => {
    expect(submission.assignAnchors([[0, 0, 10, 10], [5, 5, 9, 9]], [])).to.deep.equal([-1, -1]);
  });
});
