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

  const invalid: [title: string, box: number[]][] = [
    ['rejects a box with fewer than four numbers', [0, 0, 1]],
    ['rejects a box whose right edge lies left of its left edge (hint: check that x2 ≥ x1 and y2 ≥ y1, and throw an Error when not)', [5, 0, 1, 4]],
    ['rejects a box whose bottom edge lies above its top edge', [0, 5, 4, 1]],
    ['rejects a box with a non-finite coordinate', [0, 0, NaN, 4]],
  ];
  for (const [title, box] of invalid) {
    it(title, () => {
      expect(submission.iou([0, 0, 2, 2], [0, 0, 2, 2])).to.equal(1);
      expect(() => submission.iou(box, [0, 0, 2, 2])).to.throw(Error);
      expect(() => submission.iou([0, 0, 2, 2], box)).to.throw(Error);
    });
  }
});
