// Expected values printed by reference.py (torchvision.ops.roi_align and the FPN LevelMapper of torchvision 0.14).

/** f[c][y][x] = ((7c + 5y + 3x) mod 11) / 10 + c / 4, as feature_map() in reference.py. */
const featureMap = (channels: number, height: number, width: number): number[][][] =>
  Array.from({ length: channels }, (_, c) => Array.from({ length: height }, (_, y) =>
    Array.from({ length: width }, (_, x) => ((7 * c + 5 * y + 3 * x) % 11) / 10 + c / 4)));

describe('bilinear', () => {
  const grid = [[1, 2, 4], [3, 8, 5], [0, 6, 7]];
  it('interpolates inside the map', () => {
    // rows 0–1, columns 1–2 at ly = 0.25, lx = 0.5: 0.75 · 3 + 0.25 · 6.5
    expect(submission.bilinear(grid, 0.25, 1.5)).to.be.closeTo(3.875, 1e-9);
  });
  it('returns a cell exactly on it, the last row and column included', () => {
    expect(submission.bilinear(grid, 1, 1)).to.be.closeTo(8, 1e-9);
    expect(submission.bilinear(grid, 2, 2)).to.be.closeTo(7, 1e-9);
  });
  it('reads the first row and column for coordinates between −1 and 0 [2 pts] (hint: a coordinate ≤ 0 becomes 0 once the point is known to be inside)', () => {
    expect(submission.bilinear(grid, -0.5, -0.9)).to.be.closeTo(1, 1e-9);
    expect(submission.bilinear(grid, -0.3, 0.5)).to.be.closeTo(1.5, 1e-9);
  });
  it('repeats the last row and column up to one cell past them', () => {
    expect(submission.bilinear(grid, 2.6, 0.5)).to.be.closeTo(3, 1e-9);
    expect(submission.bilinear(grid, 3, 3)).to.be.closeTo(7, 1e-9);
  });
  it('gives 0 beyond one cell outside the map', () => {
    expect(submission.bilinear(grid, -1.01, 1)).to.equal(0);
    expect(submission.bilinear(grid, 1, 3.01)).to.equal(0);
  });
});

describe('roiAlign', () => {
  const features = featureMap(2, 6, 7);
  const cases: [title: string, boxes: number[][], spatialScale: number, outputSize: [number, number], samplingRatio: number, aligned: boolean, expected: number[][][][]][] = [
    ["inner box(es), sampling ratio -1, aligned false", [[0.6, 0.4, 6.3, 5.1]], 1.0, [2, 2], -1, false, [[[[0.465144, 0.42675], [0.511574, 0.559882]], [[0.828604, 0.789014], [0.715789, 0.693361]]]]],
    ["inner box(es), sampling ratio 2, aligned false", [[0.6, 0.4, 6.3, 5.1]], 1.0, [2, 2], 2, false, [[[[0.455617, 0.414203], [0.49607, 0.572348]], [[0.855703, 0.778195], [0.740352, 0.659836]]]]],
    ["inner box(es), sampling ratio -1, aligned true", [[0.6, 0.4, 6.3, 5.1]], 1.0, [2, 2], -1, true, [[[[0.448081, 0.469194], [0.546583, 0.520998]], [[0.798734, 0.799069], [0.692259, 0.767583]]]]],
    ["inner box(es), sampling ratio 2, aligned true", [[0.6, 0.4, 6.3, 5.1]], 1.0, [2, 2], 2, true, [[[[0.43791, 0.474828], [0.523781, 0.541492]], [[0.80375, 0.801566], [0.686895, 0.808719]]]]],
    ["off-map box(es), sampling ratio 2, aligned true", [[-2.5, -1.5, 3.0, 2.5], [4.5, 3.0, 9.0, 8.0]], 1.0, [3, 3], 2, true, [[[[0.0, 0.015625, 0.2375], [0.0, 0.114583, 0.455208], [0.0, 0.659722, 0.3625]], [[0.0, 0.490625, 0.403125], [0.0, 0.88125, 0.809375], [0.0, 0.547917, 0.785417]]], [[[0.567969, 0.233854, 0.0], [0.592448, 0.877083, 0.0], [0.0, 0.0, 0.0]], [[0.758854, 0.714063, 0.0], [0.585677, 0.741406, 0.0], [0.0, 0.0, 0.0]]]]],
    ["off-map box(es), sampling ratio -1, aligned false", [[-2.5, -1.5, 3.0, 2.5], [4.5, 3.0, 9.0, 8.0]], 1.0, [3, 3], -1, false, [[[[0.0, 0.053125, 0.3125], [0.0, 0.35625, 0.428125], [0.0, 0.671528, 0.468403]], [[0.0, 0.528125, 0.340625], [0.0, 0.75625, 0.828125], [0.0, 0.78125, 0.704167]]], [[[0.452344, 0.208333, 0.0], [0.775, 0.5, 0.0], [0.0, 0.0, 0.0]], [[0.803646, 0.29375, 0.0], [0.625, 0.425, 0.0], [0.0, 0.0, 0.0]]]]],
    ["scale-1/16 box(es), sampling ratio -1, aligned false", [[16.0, 8.0, 88.0, 72.0]], 0.0625, [2, 3], -1, false, [[[[0.346875, 0.453125, 0.490625], [0.590625, 0.559375, 0.5625]], [[0.746875, 0.853125, 0.890625], [0.646875, 0.753125, 0.790625]]]]],
    ["scale-1/16 box(es), sampling ratio 2, aligned true", [[16.0, 8.0, 88.0, 72.0]], 0.0625, [2, 3], 2, true, [[[[0.445312, 0.465625, 0.434375], [0.534375, 0.554688, 0.50625]], [[0.828125, 0.865625, 0.748438], [0.728125, 0.765625, 0.734375]]]]],
    ["tiny box(es), sampling ratio -1, aligned false", [[2.2, 2.2, 2.4, 2.6]], 1.0, [2, 2], -1, false, [[[[0.63725, 0.53975], [0.63975, 0.26725]], [[0.71, 0.86], [0.96, 1.11]]]]],
  ];
  const titles = [
    'matches torchvision with the adaptive sampling grid (sampling ratio −1), not aligned [2 pts] (hint: with a sampling ratio ≤ 0, take ceil(bin height) × ceil(bin width) points per bin)',
    'matches torchvision with 2 × 2 points per bin, not aligned [2 pts]',
    'matches torchvision with the adaptive grid, aligned [2 pts] (hint: aligned shifts the box by half a cell: subtract 0.5 after scaling)',
    'matches torchvision with 2 × 2 points per bin, aligned [2 pts]',
    'matches torchvision for boxes partly off the map, aligned [2 pts] (hint: a sample more than one cell outside the map counts as 0 but still counts in the mean)',
    'matches torchvision for boxes partly off the map, adaptive grid, not aligned [2 pts]',
    'matches torchvision at spatial scale 1/16 with a 2 × 3 output [2 pts]',
    'matches torchvision at spatial scale 1/16, aligned, 2 × 2 points per bin [2 pts]',
    'matches torchvision for a box smaller than one cell, not aligned [2 pts] (hint: without aligned, the box is at least 1 × 1 cell)',
  ];
  cases.forEach(([, boxes, spatialScale, outputSize, samplingRatio, aligned, expected], k) => {
    it(titles[k], () => {
      const pooled: number[][][][] = submission.roiAlign(features, boxes, { outputSize, spatialScale, samplingRatio, aligned });
      expect(pooled, 'one output per box').to.have.length(expected.length);
      expected.forEach((perBox, b) => perBox.forEach((channel, c) => channel.forEach((row, i) => row.forEach((value, jj) =>
        expect(pooled[b][c][i][jj], `box ${b}, channel ${c}, bin (${i}, ${jj})`).to.be.closeTo(value, 2e-5)))));
    });
  });
  it('uses torchvision\'s defaults: spatial scale 1, sampling ratio −1, not aligned', () => {
    const [expected] = cases;
    const pooled: number[][][][] = submission.roiAlign(features, expected[1], { outputSize: [2, 2] });
    expected[6][0].forEach((channel, c) => channel.forEach((row, i) => row.forEach((value, jj) =>
      expect(pooled[0][c][i][jj]).to.be.closeTo(value, 2e-5))));
  });
});

describe('fpnLevel', () => {
  it('assigns boxes to levels 2–5 as torchvision\'s level mapper does [2 pts] (hint: floor(4 + log2(sqrt(w · h) / 224) + 1e-6), then clamp)', () => {
    expect([[0.0, 0.0, 224.0, 224.0], [0.0, 0.0, 112.0, 112.0], [0.0, 0.0, 111.0, 112.0], [0.0, 0.0, 448.0, 448.0], [0.0, 0.0, 10.0, 20.0], [0.0, 0.0, 2000.0, 1000.0], [10.0, 10.0, 90.0, 170.0], [0.0, 0.0, 300.0, 100.0]].map((box) => submission.fpnLevel(box))).to.deep.equal([4, 3, 2, 5, 2, 5, 3, 3]);
  });
  it('clamps to the levels it is given', () => {
    expect(submission.fpnLevel([0, 0, 10, 10], 3, 6)).to.equal(3);
    expect(submission.fpnLevel([0, 0, 1000, 1000], 3, 6)).to.equal(6);
  });
  it('ignores where the box is, only its size counts', () => {
    expect(submission.fpnLevel([500, 300, 948, 748])).to.equal(submission.fpnLevel([0, 0, 448, 448]));
  });
});
