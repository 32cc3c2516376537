describe('decodeYoloV1', () => {
  /** An S×S grid of cells, all zeros except the entries that `fill` sets. */
  const makeGrid = (S: number, depth: number, fill: (grid: number[][][]) => void = () => {}): number[][][] => {
    const grid = Array.from({ length: S }, () => Array.from({ length: S }, () => new Array<number>(depth).fill(0)));
    fill(grid);
    return grid;
  };
  const setCell = (grid: number[][][], row: number, col: number, values: number[]) => values.forEach((v, k) => (grid[row][col][k] = v));
  const expectBox = (actual: number[], expected: number[]) => {
    expect(actual).to.have.length(4);
    actual.forEach((v, k) => expect(v).to.be.closeTo(expected[k], 1e-6));
  };

  it('returns one detection per cell and box with the default threshold', () => {
    expect(submission.decodeYoloV1(makeGrid(3, 2 * 5 + 4), { S: 3, B: 2, C: 4 })).to.have.length(18);
  });

  it('uses the seven-by-seven, two-box, twenty-class layout by default', () => {
    const output = tf.zeros([7, 7, 30]);
    expect(submission.decodeYoloV1(output)).to.have.length(98);
    output.dispose();
  });

  it('places a box from its row, its column and its offsets inside the cell [2 pts]', () => {
    const grid = makeGrid(4, 5 + 3, (g) => setCell(g, 1, 3, [0.25, 0.75, 0.5, 0.2, 1, 0, 1, 0]));
    const [best] = submission.decodeYoloV1(grid, { S: 4, B: 1, C: 3, imageWidth: 200, imageHeight: 100, scoreThreshold: 0.5 });
    // centre x = (3 + 0.25) / 4 · 200 = 162.5, centre y = (1 + 0.75) / 4 · 100 = 43.75
    expectBox(best.box, [112.5, 33.75, 212.5, 53.75]);
  });

  it('keeps coordinates as fractions of the image when no size is given', () => {
    const grid = makeGrid(2, 5 + 1, (g) => setCell(g, 0, 1, [0.5, 0.5, 0.4, 0.2, 1, 1]));
    const [best] = submission.decodeYoloV1(grid, { S: 2, B: 1, C: 1, scoreThreshold: 0.5 });
    expectBox(best.box, [0.55, 0.15, 0.95, 0.35]);
  });

  it('multiplies the confidence by the highest class probability', () => {
    const grid = makeGrid(2, 5 + 3, (g) => setCell(g, 1, 0, [0.5, 0.5, 0.1, 0.1, 0.6, 0.1, 0.3, 0.6]));
    const found = submission.decodeYoloV1(grid, { S: 2, B: 1, C: 3, scoreThreshold: 0.1 });
    expect(found).to.have.length(1);
    expect(found[0].score).to.be.closeTo(0.36, 1e-9);
    expect(found[0].classId).to.equal(2);
  });

  it('picks the lower class id when two classes tie', () => {
    const grid = makeGrid(1, 5 + 4, (g) => setCell(g, 0, 0, [0.5, 0.5, 0.1, 0.1, 1, 0.1, 0.4, 0.4, 0.1]));
    expect(submission.decodeYoloV1(grid, { S: 1, B: 1, C: 4 })[0].classId).to.equal(1);
  });

  it("decodes each of a cell's boxes from its own coordinates and confidence [2 pts]", () => {
    const grid = makeGrid(2, 2 * 5 + 2, (g) => setCell(g, 0, 0, [0.5, 0.5, 0.2, 0.2, 0.1, 0.25, 0.25, 0.5, 0.5, 0.9, 0.2, 0.8]));
    const cell = submission.decodeYoloV1(grid, { S: 2, B: 2, C: 2, imageWidth: 10, imageHeight: 10 }).slice(0, 2);
    expect(cell[0].score).to.be.closeTo(0.08, 1e-9);
    expect(cell[1].score).to.be.closeTo(0.72, 1e-9);
    expectBox(cell[0].box, [1.5, 1.5, 3.5, 3.5]);
    expectBox(cell[1].box, [-1.25, -1.25, 3.75, 3.75]);
  });

  it('lists cells row by row, then boxes in order within a cell', () => {
    // each box's x offset encodes its position so that the order can be read back
    const S = 3;
    const B = 2;
    const grid = makeGrid(S, B * 5 + 1, (g) => {
      for (let row = 0; row < S; row++) for (let col = 0; col < S; col++) {
        g[row][col][B * 5] = 1;
        for (let b = 0; b < B; b++) g[row][col][b * 5 + 4] = 1 - (row * S * B + col * B + b) / 100;
      }
    });
    const scores = submission.decodeYoloV1(grid, { S, B, C: 1 }).map((d: { score: number }) => d.score);
    expect(scores.map((s: number) => Math.round((1 - s) * 100))).to.deep.equal(Array.from({ length: S * S * B }, (_, k) => k));
  });

  it('keeps a box whose score equals the threshold and drops lower ones', () => {
    const grid = makeGrid(2, 5 + 2, (g) => {
      setCell(g, 0, 0, [0.5, 0.5, 0.1, 0.1, 0.5, 0.5, 0.5]);
      setCell(g, 1, 1, [0.5, 0.5, 0.1, 0.1, 0.25, 0.5, 0.5]);
    });
    const found = submission.decodeYoloV1(grid, { S: 2, B: 1, C: 2, scoreThreshold: 0.25 });
    expect(found.map((d: { score: number }) => d.score)).to.deep.equal([0.25]);
  });

  it('gives the same detections for a tensor as for a nested array, and leaves the tensor usable', () => {
    const grid = makeGrid(3, 5 + 2, (g) => setCell(g, 2, 1, [0.3, 0.6, 0.2, 0.4, 0.9, 0.3, 0.7]));
    const tensor = tf.tensor3d(grid);
    const fromTensor = submission.decodeYoloV1(tensor, { S: 3, B: 1, C: 2, imageWidth: 30, imageHeight: 60, scoreThreshold: 0.1 });
    const fromArray = submission.decodeYoloV1(grid, { S: 3, B: 1, C: 2, imageWidth: 30, imageHeight: 60, scoreThreshold: 0.1 });
    expect(tensor.isDisposed).to.equal(false);
    tensor.dispose();
    expect(fromTensor).to.have.length(1);
    expect(fromTensor[0].classId).to.equal(fromArray[0].classId);
    expect(fromTensor[0].score).to.be.closeTo(fromArray[0].score, 1e-6);
    expectBox(fromTensor[0].box, fromArray[0].box);
  });

  it('rejects an output whose depth does not match B and C', () => {
    expect(submission.decodeYoloV1(makeGrid(7, 30))).to.have.length(98);
    expect(() => submission.decodeYoloV1(makeGrid(7, 29))).to.throw(Error);
  });

  it('rejects an output whose grid does not match S', () => {
    expect(submission.decodeYoloV1(makeGrid(5, 30), { S: 5 })).to.have.length(50);
    expect(() => submission.decodeYoloV1(makeGrid(5, 30))).to.throw(Error);
  });
});
