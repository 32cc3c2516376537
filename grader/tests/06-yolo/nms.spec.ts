describe('nonMaxSuppression', () => {
  const overlap = (a: number[], b: number[]): number => {
    const width = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
    const height = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - width * height;
    return union > 0 ? (width * height) / union : 0;
  };
  const reference = (boxes: number[][], scores: number[], threshold: number): number[] => {
    const kept: number[] = [];
    for (const i of scores.map((_, k) => k).sort((p, q) => scores[q] - scores[p])) {
      if (kept.every((k) => overlap(boxes[k], boxes[i]) <= threshold)) kept.push(i);
    }
    return kept;
  };

  const cases: [title: string, boxes: number[][], scores: number[], threshold: number, expected: number[]][] = [
    ['returns nothing for no boxes', [], [], 0.5, []],
    ['keeps a single box', [[1, 1, 4, 4]], [0.3], 0.5, [0]],
    ['keeps only the best of identical boxes', [[0, 0, 5, 5], [0, 0, 5, 5], [0, 0, 5, 5]], [0.4, 0.9, 0.6], 0.5, [1]],
    ['keeps disjoint boxes, best first', [[0, 0, 1, 1], [2, 2, 3, 3], [4, 4, 5, 5]], [0.1, 0.7, 0.4], 0.5, [1, 2, 0]],
    ['keeps a box whose overlap equals the threshold exactly', [[0, 0, 4, 2], [0, 0, 2, 2]], [0.9, 0.8], 0.5, [0, 1]],
    ['lets a box survive when it only overlaps a box that was itself suppressed [2 pts]',
      [[0, 0, 10, 10], [5, 0, 15, 10], [10, 0, 20, 10]], [0.9, 0.8, 0.7], 0.3, [0, 2]],
    ['orders equal scores by index', [[0, 0, 1, 1], [3, 3, 4, 4], [6, 6, 7, 7]], [0.5, 0.5, 0.5], 0.5, [0, 1, 2]],
    ['with threshold 0 drops every box that overlaps a kept one at all', [[0, 0, 10, 10], [9, 9, 20, 20], [30, 30, 40, 40]], [0.9, 0.8, 0.7], 0, [0, 2]],
    ['with threshold 1 keeps every box, even duplicates', [[0, 0, 10, 10], [0, 0, 10, 10]], [0.2, 0.3], 1, [1, 0]],
  ];
  for (const [title, boxes, scores, threshold, expected] of cases) {
    it(title, () => expect(submission.nonMaxSuppression(boxes, scores, threshold)).to.deep.equal(expected));
  }

  it('agrees with greedy suppression on random clusters of boxes [3 pts]', () => {
    let state = 777;
    const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (const threshold of [0.2, 0.45, 0.7]) {
      for (let trial = 0; trial < 10; trial++) {
        const centres = [[20, 20], [60, 30], [35, 70]];
        const boxes = Array.from({ length: 25 }, (_, k) => {
          const [cx, cy] = centres[k % 3];
          const [x, y, size] = [cx + (random() - 0.5) * 16, cy + (random() - 0.5) * 16, 10 + random() * 12];
          return [x - size / 2, y - size / 2, x + size / 2, y + size / 2];
        });
        const scores = boxes.map(() => random());
        expect(submission.nonMaxSuppression(boxes, scores, threshold)).to.deep.equal(reference(boxes, scores, threshold));
      }
    }
  });

  it('leaves its inputs unchanged', () => {
    const boxes = [[0, 0, 5, 5], [1, 1, 5, 5], [10, 10, 12, 12]];
    const scores = [0.2, 0.9, 0.5];
    const [boxesBefore, scoresBefore] = [JSON.stringify(boxes), JSON.stringify(scores)];
    submission.nonMaxSuppression(boxes, scores, 0.5);
    expect(JSON.stringify(boxes)).to.equal(boxesBefore);
    expect(JSON.stringify(scores)).to.equal(scoresBefore);
  });

  it('rejects boxes and scores of different lengths', () => {
    expect(submission.nonMaxSuppression([[0, 0, 1, 1]], [0.5], 0.5)).to.deep.equal([0]);
    expect(() => submission.nonMaxSuppression([[0, 0, 1, 1], [1, 1, 2, 2]], [0.5], 0.5)).to.throw(Error);
  });

  it('rejects a threshold outside zero to one', () => {
    expect(submission.nonMaxSuppression([[0, 0, 1, 1]], [0.5], 1)).to.deep.equal([0]);
    expect(() => submission.nonMaxSuppression([[0, 0, 1, 1]], [0.5], 1.5)).to.throw(Error);
    expect(() => submission.nonMaxSuppression([[0, 0, 1, 1]], [0.5], -0.1)).to.throw(Error);
  });
});

describe('classAwareNms', () => {
  const nms = (boxes: number[][], scores: number[], classIds: number[], threshold = 0.5): number[] =>
    submission.classAwareNms(boxes, scores, classIds, threshold);

  it('keeps overlapping boxes of different classes, which global NMS would merge [3 pts]', () => {
    const boxes = [[0, 0, 10, 10], [1, 1, 10, 10]];
    expect(submission.nonMaxSuppression(boxes, [0.9, 0.8], 0.5), 'global').to.deep.equal([0]);
    expect(nms(boxes, [0.9, 0.8], [0, 1])).to.deep.equal([0, 1]);
  });
  it('suppresses overlapping boxes within a class [2 pts]', () => {
    expect(nms([[0, 0, 10, 10], [1, 1, 10, 10], [0, 0, 9, 9]], [0.5, 0.9, 0.7], [3, 3, 3])).to.deep.equal([1]);
  });
  it('merges the classes in descending score, ties by lower index [2 pts]', () => {
    const boxes = [[0, 0, 4, 4], [20, 20, 24, 24], [0, 0, 4, 4], [40, 0, 44, 4], [0, 1, 4, 4]];
    expect(nms(boxes, [0.3, 0.8, 0.6, 0.8, 0.9], [0, 1, 1, 0, 0])).to.deep.equal([4, 1, 3, 2]);
  });
  it('uses the threshold within each class', () => {
    const boxes = [[0, 0, 10, 10], [5, 0, 15, 10]]; // IoU 1/3
    expect(nms(boxes, [0.9, 0.8], [1, 1], 0.3)).to.deep.equal([0]);
    expect(nms(boxes, [0.9, 0.8], [1, 1], 0.4)).to.deep.equal([0, 1]);
  });
  it('returns nothing for no boxes', () => expect(nms([], [], [])).to.deep.equal([]));
  it('rejects class ids that do not match the boxes', () => {
    expect(nms([[0, 0, 1, 1]], [0.5], [0])).to.deep.equal([0]);
    expect(() => nms([[0, 0, 1, 1]], [0.5], [0, 1])).to.throw(Error);
  });
});
