// Hungarian matches and DETR's matcher and set loss printed by reference.py (scipy's linear_sum_assignment, torch,
// torchvision.ops.generalized_box_iou, also for giou); the rest is checked against plain-JS references written here.

/** Costs in (0, 1) from the Park–Miller generator, row by row, as park_miller_matrix() in reference.py. */
const parkMillerMatrix = (seed: number, rows: number, cols: number): number[][] => {
  let state = seed;
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (state = (state * 48271) % 2147483647) / 2147483647));
};

/** The cheapest total over all assignments of rows to distinct columns. */
const bruteForceTotal = (cost: number[][]): number => {
  const search = (row: number, used: Set<number>): number => {
    if (row === cost.length) return 0;
    let best = Infinity;
    cost[row].forEach((value, col) => {
      if (used.has(col)) return;
      used.add(col);
      best = Math.min(best, value + search(row + 1, used));
      used.delete(col);
    });
    return best;
  };
  return search(0, new Set());
};

const totalOf = (cost: number[][], columns: number[]) => columns.reduce((sum, col, row) => sum + cost[row][col], 0);

describe('giou', () => {
  const cases: [title: string, a: number[], b: number[], expected: number][] = [
    ['subtracts the empty part of the enclosing box for partly overlapping boxes [2 pts]', [0, 0, 4, 3], [2, 1, 7, 6], -0.093073593],
    ['is negative for disjoint boxes [2 pts]', [0.1, 0.1, 0.3, 0.2], [0.5, 0.4, 0.9, 0.8], -0.678571429],
    ['equals IoU when one box contains the other', [0, 0, 10, 10], [2, 3, 6, 8], 0.2],
  ];
  for (const [title, a, b, expected] of cases) {
    it(title, () => {
      expect(submission.giou(a, b)).to.be.closeTo(expected, 1e-6);
      expect(submission.giou(b, a), 'swapped').to.be.closeTo(expected, 1e-6);
    });
  }
  it('returns the IoU, 0, when the enclosing box has zero area', () => {
    expect(submission.giou([1, 1, 1, 1], [1, 1, 1, 1])).to.equal(0);
  });
});

describe('hungarian', () => {
  it('finds the cheapest assignment of small square matrices, as brute force does [3 pts]', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const cost = parkMillerMatrix(seed, 5, 5).map((row) => row.map((v) => Math.round(v * 10)));
      const columns: number[] = submission.hungarian(cost);
      expect(new Set(columns).size, `seed ${seed}: distinct columns`).to.equal(5);
      expect(totalOf(cost, columns), `seed ${seed}`).to.equal(bruteForceTotal(cost));
    }
  });
  it('finds the cheapest assignment when there are more columns than rows, as brute force does [2 pts]', () => {
    for (let seed = 30; seed < 40; seed++) {
      const cost = parkMillerMatrix(seed, 3, 6);
      const columns: number[] = submission.hungarian(cost);
      expect(new Set(columns).size).to.equal(3);
      expect(totalOf(cost, columns), `seed ${seed}`).to.be.closeTo(bruteForceTotal(cost), 1e-12);
    }
  });
  it('handles negative costs', () => {
    const cost = [[-5, -1, 0], [-4, -4, -1], [0, -3, -6]];
    expect(totalOf(cost, submission.hungarian(cost))).to.equal(bruteForceTotal(cost));
  });
  const cases: [title: string, seed: number, rows: number, cols: number, columns: number[], total: number][] = [
    ['gives the assignment scipy finds for a 6 × 6 matrix', 7, 6, 6, [1, 3, 4, 0, 5, 2], 1.237113922013],
    ['gives the assignment scipy finds for a 5 × 9 matrix', 11, 5, 9, [0, 2, 5, 7, 3], 0.727178817954],
    ['gives the assignment scipy finds for a 40 × 60 matrix [2 pts] (hint: a greedy choice per row is not enough: rows must be able to take a column back)', 2024, 40, 60, [38, 15, 3, 36, 55, 46, 17, 45, 1, 35, 37, 18, 31, 30, 14, 5, 56, 4, 43, 9, 57, 44, 25, 54, 52, 28, 29, 53, 51, 48, 11, 59, 42, 0, 27, 39, 16, 2, 49, 32], 0.796963213383],
  ];
  for (const [title, seed, rows, cols, columns, total] of cases) {
    it(title, () => {
      const cost = parkMillerMatrix(seed, rows, cols);
      const found: number[] = submission.hungarian(cost);
      expect(totalOf(cost, found)).to.be.closeTo(total, 1e-9);
      expect(found).to.deep.equal(columns);
    });
  }
  it('gives [] for an empty matrix and rejects more rows than columns', () => {
    expect(submission.hungarian([[1]])).to.deep.equal([0]);
    expect(submission.hungarian([])).to.deep.equal([]);
    expect(() => submission.hungarian([[1], [2]])).to.throw(Error);
  });
});

describe('matchPredictions', () => {
  const [logits, boxes, targetClasses, targetBoxes] = [[[2.0, 0.1, -1.0], [0.2, 1.5, 0.3], [-0.5, -0.3, 2.5], [1.0, 1.2, 0.0], [0.0, 0.3, 1.8]], [[0.3, 0.3, 0.2, 0.25], [0.7, 0.6, 0.3, 0.3], [0.5, 0.5, 0.9, 0.9], [0.68, 0.62, 0.25, 0.35], [0.28, 0.35, 0.22, 0.2]], [1, 0], [[0.7, 0.6, 0.28, 0.32], [0.3, 0.32, 0.2, 0.22]]];
  it('computes DETR\'s matching cost −p(class) + 5 · L1 − 2 · GIoU, predictions × objects [3 pts] (hint: the L1 distance is between (cx, cy, w, h) boxes, GIoU between their corners)', () => {
    const cost: number[][] = submission.matchingCost(logits, boxes, targetClasses, targetBoxes);
    expect(cost).to.have.length(5);
    [[5.379566, -2.270056], [-2.184423, 5.363291], [7.224011, 8.646529], [-1.491664, 5.170697], [5.307321, -0.889705]].forEach((row: number[], i: number) => row.forEach((value, k) =>
      expect(cost[i][k], `prediction ${i}, object ${k}`).to.be.closeTo(value, 1e-5)));
  });
  it('matches predictions to objects as DETR\'s matcher does [2 pts]', () => {
    expect(submission.matchPredictions(logits, boxes, targetClasses, targetBoxes)).to.deep.equal([[0, 1], [1, 0]]);
  });
  it('sorts the pairs by prediction', () => {
    const pairs: number[][] = submission.matchPredictions([[0, 5, 0], [5, 0, 0]], [[0.2, 0.2, 0.1, 0.1], [0.8, 0.8, 0.1, 0.1]], [0, 1], [[0.8, 0.8, 0.1, 0.1], [0.2, 0.2, 0.1, 0.1]]);
    expect(pairs).to.deep.equal([[0, 1], [1, 0]]);
  });
  it('gives no pairs without objects', () => {
    expect(submission.matchPredictions(logits, boxes, [], [])).to.deep.equal([]);
  });
});

describe('setLoss', () => {
  const [logits, boxes, targetClasses, targetBoxes] = [[[2.0, 0.1, -1.0], [0.2, 1.5, 0.3], [-0.5, -0.3, 2.5], [1.0, 1.2, 0.0], [0.0, 0.3, 1.8]], [[0.3, 0.3, 0.2, 0.25], [0.7, 0.6, 0.3, 0.3], [0.5, 0.5, 0.9, 0.9], [0.68, 0.62, 0.25, 0.35], [0.28, 0.35, 0.22, 0.2]], [1, 0], [[0.7, 0.6, 0.28, 0.32], [0.3, 0.32, 0.2, 0.22]]];
  const expected = {"classification": 0.379859, "l1": 0.045, "giou": 0.141184, "total": 0.887227};
  it('weights the no-object class by 0.1 in the classification loss, as DETR does [3 pts] (hint: divide the weighted sum by the sum of the weights, not by the number of predictions)', () => {
    expect(submission.setLoss(logits, boxes, targetClasses, targetBoxes).classification).to.be.closeTo(expected.classification, 1e-5);
  });
  it('averages the L1 and GIoU losses of the matched pairs over the objects [2 pts]', () => {
    const loss = submission.setLoss(logits, boxes, targetClasses, targetBoxes);
    expect(loss.l1).to.be.closeTo(expected.l1, 1e-5);
    expect(loss.giou).to.be.closeTo(expected.giou, 1e-5);
  });
  it('adds the terms with weights 1, 5 and 2', () => {
    expect(submission.setLoss(logits, boxes, targetClasses, targetBoxes).total).to.be.closeTo(expected.total, 1e-5);
  });
  it('teaches every prediction "no object" when there are no objects', () => {
    const loss = submission.setLoss([[1, 0, 2], [0, 3, 0]], [[0.5, 0.5, 0.2, 0.2], [0.1, 0.1, 0.1, 0.1]], [], []);
    const noObject = (z: number[]) => Math.log(z.reduce((s, v) => s + Math.exp(v), 0)) - z[2];
    expect(loss.classification).to.be.closeTo((noObject([1, 0, 2]) + noObject([0, 3, 0])) / 2, 1e-9);
    expect(loss.l1).to.equal(0);
    expect(loss.giou).to.equal(0);
  });
});
