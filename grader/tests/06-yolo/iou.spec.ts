describe('iou', () => {
  const cases: [title: string, a: number[], b: number[], expected: number][] = [
    ['gives 1 for identical boxes with fractional corners', [1.5, 2, 7, 9.25], [1.5, 2, 7, 9.25], 1],
    ['gives the area ratio for a box nested inside another', [0, 0, 10, 10], [2, 2, 7, 7], 0.25],
    ['handles a partial overlap in both directions', [0, 0, 4, 4], [2, 1, 6, 3], 0.2],
    ['works in image-fraction coordinates', [0.1, 0.1, 0.5, 0.5], [0.3, 0.3, 0.7, 0.7], 1 / 7],
    ['handles boxes given in either order', [2, 1, 6, 3], [0, 0, 4, 4], 0.2],
    ['gives 0 for boxes that only share an edge (hint: boxes that only touch overlap by a width of 0; clamp a negative overlap width or height to 0)', [0, 0, 4, 4], [4, 0, 8, 4], 0],
    ['gives 0 for boxes that only share a corner', [0, 0, 4, 4], [4, 4, 8, 8], 0],
    ['gives 0 for boxes that overlap horizontally but not vertically', [0, 0, 4, 4], [1, 6, 3, 9], 0],
    ['gives 0 for boxes far apart', [0, 0, 1, 1], [50, 60, 70, 80], 0],
    ['gives 0 when both boxes have zero area (hint: the union can be 0 too; return 0 rather than dividing by it)', [1, 1, 1, 1], [1, 1, 1, 1], 0],
    ['gives 0 for a zero-width box inside another box', [2, 0, 2, 5], [0, 0, 4, 4], 0],
  ];
  for (const [title, a, b, expected] of cases) {
    it(title, () => expect(submission.iou(a, b)).to.be.closeTo(expected, 1e-9));
  }

  it('is symmetric and between 0 and 1 on many random boxes [2 pts]', () => {
    let state = 12345;
    const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const randomBox = () => {
      const [x, y] = [random() * 50, random() * 50];
      return [x, y, x + random() * 30, y + random() * 30];
    };
    for (let k = 0; k < 200; k++) {
      const [a, b] = [randomBox(), randomBox()];
      const forward = submission.iou(a, b);
      expect(forward).to.be.within(0, 1);
      expect(submission.iou(b, a)).to.be.closeTo(forward, 1e-12);
      const width = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
      const height = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
      const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - width * height;
      expect(forward).to.be.closeTo(union > 0 ? (width * height) / union : 0, 1e-9);
    }
  });

  it('rejects a box that is not four finite numbers with its corners in order (hint: check that x2 ≥ x1 and y2 ≥ y1, and throw an Error when not)', () => {
    expect(submission.iou([0, 0, 2, 2], [0, 0, 2, 2])).to.equal(1);
    const invalid: [what: string, box: number[]][] = [
      ['a box with fewer than four numbers', [0, 0, 1]],
      ['a box whose right edge lies left of its left edge', [5, 0, 1, 4]],
      ['a box whose bottom edge lies above its top edge', [0, 5, 4, 1]],
      ['a box with a non-finite coordinate', [0, 0, NaN, 4]],
    ];
    for (const [what, box] of invalid) {
      expect(() => submission.iou(box, [0, 0, 2, 2]), `${what}, first`).to.throw(Error);
      expect(() => submission.iou([0, 0, 2, 2], box), `${what}, second`).to.throw(Error);
    }
  });
});

describe('giou', () => {
  /** GIoU computed independently: IoU minus the share of the enclosing box that the union leaves empty. */
  const reference = (a: number[], b: number[]): number => {
    const area = (box: number[]) => (box[2] - box[0]) * (box[3] - box[1]);
    const inter = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    const union = area(a) + area(b) - inter;
    const hull = (Math.max(a[2], b[2]) - Math.min(a[0], b[0])) * (Math.max(a[3], b[3]) - Math.min(a[1], b[1]));
    return inter / union - (hull - union) / hull;
  };
  const cases: [title: string, a: number[], b: number[]][] = [
    ['is 1 for identical boxes', [1, 2, 5, 7], [1, 2, 5, 7]],
    ['equals IoU when one box contains the other', [0, 0, 10, 10], [2, 3, 6, 8]],
    ['subtracts the empty part of the enclosing box for partly overlapping boxes [2 pts]', [0, 0, 4, 3], [2, 1, 7, 6]],
    ['is negative for disjoint boxes, depending on their distance [2 pts]', [0, 0, 2, 2], [5, 1, 6, 4]],
    ['is 0 for boxes that touch along an edge and fill their enclosing box', [0, 0, 2, 2], [2, 0, 4, 2]],
  ];
  for (const [title, a, b] of cases) {
    it(title, () => {
      expect(submission.giou(a, b)).to.be.closeTo(reference(a, b), 1e-9);
      expect(submission.giou(b, a), 'swapped').to.be.closeTo(reference(a, b), 1e-9);
    });
  }
  it('keeps falling towards −1 as disjoint boxes move apart [2 pts]', () => {
    const values = [3, 10, 100, 1000].map((gap) => submission.giou([0, 0, 1, 1], [gap, gap, gap + 1, gap + 1]));
    values.slice(1).forEach((value, i) => expect(value).to.be.below(values[i]));
    expect(values[3]).to.be.within(-1, -0.99);
  });
  it('rejects invalid boxes as iou does', () => {
    expect(submission.giou([0, 0, 1, 1], [0, 0, 1, 1])).to.equal(1);
    expect(() => submission.giou([3, 0, 1, 1], [0, 0, 1, 1])).to.throw(Error);
  });
});
