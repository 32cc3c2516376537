// COCO's 101-point AP, worked out by hand for each case.

describe('ap101', () => {
  it('scores a perfect curve 1', () => expect(submission.ap101([1, 1, 1], [1 / 3, 2 / 3, 1])).to.be.closeTo(1, 1e-9));
  it('reads 0 at the recall levels a curve never reaches', () => {
    expect(submission.ap101([1], [0.5])).to.be.closeTo(51 / 101, 1e-9);
  });
  it('makes precision monotone before reading it [2 pts] (hint: replace each precision by the largest precision at any later rank)', () => {
    // hit, miss, hit over two objects: precision 1, 1/2, 2/3 → monotone 1, 2/3, 2/3; levels 0–0.50 read 1, 0.51–1 read 2/3
    expect(submission.ap101([1, 0.5, 2 / 3], [0.5, 0.5, 1])).to.be.closeTo((51 + 50 * (2 / 3)) / 101, 1e-9);
  });
  it('reads each recall level at the first rank that reaches it [2 pts] (hint: 101 levels 0, 0.01, …, 1; the mean of the precisions read there)', () => {
    // monotone precision 1, 1, 0.8, 0.8 at recall 0.25, 0.5, 0.75, 1
    expect(submission.ap101([1, 1, 0.75, 0.8], [0.25, 0.5, 0.75, 1])).to.be.closeTo((51 + 50 * 0.8) / 101, 1e-9);
  });
  it('gives 0 without detections', () => expect(submission.ap101([], [])).to.equal(0));
});

describe('cocoAp', () => {
  const truths = [
    { imageId: 'a', classId: 0, box: [0, 0, 10, 10] },
    { imageId: 'b', classId: 0, box: [20, 20, 40, 40] },
  ];
  const detected = (box: (t: number[]) => number[]) => truths.map((t) => ({ ...t, score: 0.9, box: box(t.box) }));

  it('scores exact boxes 1', () => expect(submission.cocoAp(detected((b) => b), truths)).to.be.closeTo(1, 1e-9));

  it('averages over the ten thresholds 0.50, 0.55, …, 0.95 [3 pts] (hint: a box with IoU 0.62 is a hit at 0.50, 0.55 and 0.60 only)', () => {
    const shrunk = detected(([x1, y1, x2, y2]) => [x1, y1, x2, y1 + 0.62 * (y2 - y1)]);
    expect(submission.cocoAp(shrunk, truths)).to.be.closeTo(0.3, 1e-9);
  });

  it('uses the thresholds it is given', () => {
    const shrunk = detected(([x1, y1, x2, y2]) => [x1, y1, x2, y1 + 0.62 * (y2 - y1)]);
    expect(submission.cocoAp(shrunk, truths, [0.5])).to.be.closeTo(1, 1e-9);
    expect(submission.cocoAp(shrunk, truths, [0.5, 0.7])).to.be.closeTo(0.5, 1e-9);
  });

  it('uses 101-point interpolation at each threshold', () => {
    // one object found of two, at every threshold: 51 of 101 levels
    expect(submission.cocoAp(detected((b) => b).slice(0, 1), truths)).to.be.closeTo(51 / 101, 1e-9);
  });

  it('averages over the classes with ground truth, a missed class scoring 0', () => {
    const withSecondClass = [...truths, { imageId: 'a', classId: 1, box: [50, 50, 60, 60] }];
    expect(submission.cocoAp([...detected((b) => b), { imageId: 'a', classId: 2, score: 0.99, box: [0, 0, 10, 10] }], withSecondClass))
      .to.be.closeTo(0.5, 1e-9);
  });

  it('rejects a set without ground truth', () => {
    expect(submission.cocoAp(detected((b) => b), truths)).to.be.closeTo(1, 1e-9);
    expect(() => submission.cocoAp([], [])).to.throw(Error);
  });
});
