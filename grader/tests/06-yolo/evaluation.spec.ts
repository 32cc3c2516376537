interface Truth { imageId: string; classId: number; box: number[] }
interface Scored extends Truth { score: number }

describe('meanAveragePrecision', () => {
  const map = (predictions: Scored[], truths: Truth[], threshold?: number): number =>
    threshold === undefined
      ? submission.meanAveragePrecision(predictions, truths)
      : submission.meanAveragePrecision(predictions, truths, threshold);
  const truth = (imageId: string, classId: number, box: number[]): Truth => ({ imageId, classId, box });
  const hit = (t: Truth, score: number): Scored => ({ ...t, score });
  const miss = (imageId: string, classId: number, score: number): Scored => ({ imageId, classId, score, box: [90, 90, 99, 99] });
  const [a0, b0, c0] = [truth('a', 0, [0, 0, 10, 10]), truth('b', 0, [5, 5, 20, 20]), truth('c', 0, [30, 0, 40, 12])];

  it('scores 1 when every box is found and nothing else', () => {
    expect(map([hit(a0, 0.4), hit(b0, 0.9), hit(c0, 0.6)], [a0, b0, c0])).to.be.closeTo(1, 1e-9);
  });

  it('scores 0 without predictions', () => expect(map([], [a0, b0])).to.equal(0));

  it('scores 0 when every prediction has the wrong class', () => {
    expect(map([{ ...hit(a0, 0.9), classId: 1 }], [a0])).to.equal(0);
  });

  it('does not match a prediction to a box in another image', () => {
    expect(map([{ ...hit(a0, 0.9), imageId: 'b' }], [a0])).to.equal(0);
  });

  it('uses the area under the monotone precision curve, not its average [2 pts]', () => {
    // TP, FP, TP, FP, TP over three boxes → monotone precision 1, 2/3, 3/5 at recall 1/3, 2/3, 1
    const predictions = [hit(a0, 0.9), miss('a', 0, 0.8), hit(b0, 0.7), miss('b', 0, 0.6), hit(c0, 0.5)];
    expect(map(predictions, [a0, b0, c0])).to.be.closeTo((1 + 2 / 3 + 3 / 5) / 3, 1e-9);
  });

  it('counts a second detection of an already-found box as a false positive [2 pts]', () => {
    const predictions = [hit(a0, 0.9), hit(a0, 0.8), hit(b0, 0.7)];
    expect(map(predictions, [a0, b0])).to.be.closeTo(0.5 + 0.5 * (2 / 3), 1e-9);
  });

  it('matches each prediction to the unmatched box it overlaps most [2 pts]', () => {
    // the first box listed overlaps the top prediction just enough; the better match comes second
    const [left, right] = [truth('a', 0, [0, 0, 10, 10]), truth('a', 0, [3, 0, 13, 10])];
    const predictions = [{ ...hit(left, 0.9) }, { imageId: 'a', classId: 0, score: 0.8, box: [4, 0, 14, 10] }];
    expect(map(predictions, [right, left])).to.be.closeTo(1, 1e-9);
  });

  it('falls back to another unmatched box when the best one is taken', () => {
    const [left, right] = [truth('a', 0, [0, 0, 10, 10]), truth('a', 0, [3, 0, 13, 10])];
    const predictions = [hit(left, 0.9), { imageId: 'a', classId: 0, score: 0.8, box: [1, 0, 11, 10] }];
    expect(map(predictions, [left, right])).to.be.closeTo(1, 1e-9);
  });

  it('uses an IoU threshold of one half by default', () => {
    // IoU 6/14 ≈ 0.43: a miss at 0.5, a hit at 0.4
    const predictions = [{ imageId: 'a', classId: 0, score: 0.9, box: [4, 0, 14, 10] }];
    expect(map(predictions, [a0])).to.equal(0);
    expect(map(predictions, [a0], 0.4)).to.be.closeTo(1, 1e-9);
  });

  it('averages over the classes that have ground truth, counting a missed class as 0', () => {
    const a1 = truth('a', 1, [50, 50, 60, 60]);
    expect(map([hit(a0, 0.9)], [a0, a1])).to.be.closeTo(0.5, 1e-9);
  });

  it('ignores predictions of classes without ground truth', () => {
    expect(map([hit(a0, 0.5), { ...hit(a0, 0.99), classId: 7 }], [a0])).to.be.closeTo(1, 1e-9);
  });

  it('does not depend on the order of the prediction list', () => {
    const predictions = [miss('a', 0, 0.8), hit(c0, 0.5), hit(a0, 0.9), hit(b0, 0.7)];
    expect(map(predictions, [a0, b0, c0])).to.be.closeTo(map([...predictions].reverse(), [a0, b0, c0]), 1e-12);
  });

  it('agrees with a reference on random detections over several classes [3 pts]', () => {
    let state = 4242;
    const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const truths: Truth[] = [];
    const predictions: Scored[] = [];
    for (let image = 0; image < 12; image++) {
      for (let k = 0; k < 3; k++) {
        const [x, y, size] = [random() * 80, random() * 80, 8 + random() * 20];
        const t = truth(`img${image}`, Math.floor(random() * 3), [x, y, x + size, y + size]);
        truths.push(t);
        for (let copy = 0; copy < 2; copy++) {
          const jitter = () => (random() - 0.5) * size * 0.5;
          predictions.push({ ...t, score: random(), box: t.box.map((v) => v + jitter()), classId: random() < 0.8 ? t.classId : 3 - t.classId });
        }
      }
    }
    expect(map(predictions, truths)).to.be.closeTo(referenceMap(predictions, truths, 0.5), 1e-9);
    expect(map(predictions, truths, 0.7)).to.be.closeTo(referenceMap(predictions, truths, 0.7), 1e-9);
  });

  it('rejects an evaluation without any ground truth', () => {
    expect(map([hit(a0, 0.9)], [a0])).to.be.closeTo(1, 1e-9);
    expect(() => map([hit(a0, 0.9)], [])).to.throw(Error);
  });
});

describe('the trained detector', () => {
  it('finds most held-out shapes when decoded with your functions [3 pts]', () => {
    const { detect, heldOut } = submission;
    const detections: { box: number[]; score: number; classId: number }[][] = detect(heldOut.images);
    const predictions = detections.flatMap((found, n) => found.map((d) => ({ imageId: String(n), ...d })));
    const truths: Truth[] = heldOut.objects.flatMap((shapes: { classId: number; box: number[] }[], n: number) =>
      shapes.map((s) => ({ imageId: String(n), classId: s.classId, box: s.box })));
    expect(referenceMap(predictions, truths, 0.5)).to.be.at.least(0.4);
  });
});

/** All-point-interpolated mAP with greedy matching to the best unmatched box, as the assignment defines it. */
function referenceMap(predictions: Scored[], truths: Truth[], threshold: number): number {
  const overlap = (a: number[], b: number[]): number => {
    const width = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
    const height = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - width * height;
    return union > 0 ? (width * height) / union : 0;
  };
  const classes = [...new Set(truths.map((t) => t.classId))];
  const aps = classes.map((classId) => {
    const mine = truths.filter((t) => t.classId === classId);
    const used = new Set<Truth>();
    let tp = 0;
    const points = predictions
      .filter((p) => p.classId === classId)
      .sort((p, q) => q.score - p.score)
      .map((p, rank) => {
        const candidates = mine.filter((t) => t.imageId === p.imageId && !used.has(t) && overlap(p.box, t.box) >= threshold);
        const best = candidates.sort((s, t) => overlap(p.box, t.box) - overlap(p.box, s.box))[0];
        if (best) {
          used.add(best);
          tp++;
        }
        return { precision: tp / (rank + 1), recall: tp / mine.length };
      });
    let area = 0;
    points.forEach((point, k) => {
      const bestLater = Math.max(...points.slice(k).map((later) => later.precision));
      area += (point.recall - (k > 0 ? points[k - 1].recall : 0)) * bestLater;
    });
    return area;
  });
  return aps.reduce((sum, ap) => sum + ap, 0) / aps.length;
}

describe('precisionRecallCurve', () => {
  const truths: Truth[] = [
    { imageId: 'a', classId: 1, box: [0, 0, 10, 10] },
    { imageId: 'b', classId: 1, box: [0, 0, 10, 10] },
    { imageId: 'b', classId: 2, box: [20, 20, 30, 30] },
  ];
  const at = (imageId: string, classId: number, score: number, box: number[]): Scored => ({ imageId, classId, score, box });
  const curve = (predictions: Scored[], classId: number, threshold?: number): { precision: number[]; recall: number[] } =>
    threshold === undefined
      ? submission.precisionRecallCurve(predictions, truths, classId)
      : submission.precisionRecallCurve(predictions, truths, classId, threshold);
  const rounded = (values: number[]) => values.map((v) => Math.round(v * 1000) / 1000);

  it('gives precision and recall after each ranked detection, before making precision monotone [3 pts]', () => {
    const { precision, recall } = curve([at('a', 1, 0.5, [0, 0, 10, 10]), at('b', 1, 0.9, [50, 50, 60, 60]), at('b', 1, 0.7, [0, 0, 10, 10])], 1);
    expect(rounded(precision)).to.deep.equal([0, 0.5, 0.667]);
    expect(rounded(recall)).to.deep.equal([0, 0.5, 1]);
  });
  it('only ranks detections of the requested class [1 pt]', () => {
    const { precision } = curve([at('b', 2, 0.9, [20, 20, 30, 30]), at('a', 1, 0.5, [0, 0, 10, 10])], 1);
    expect(precision).to.deep.equal([1]);
  });
  it('counts a second detection of a matched box as a false positive [2 pts]', () => {
    const { precision, recall } = curve([at('a', 1, 0.9, [0, 0, 10, 10]), at('a', 1, 0.8, [0, 0, 10, 9])], 1);
    expect(rounded(precision)).to.deep.equal([1, 0.5]);
    expect(rounded(recall)).to.deep.equal([0.5, 0.5]);
  });
  it('applies the IoU threshold it is given', () => {
    const shifted = at('a', 1, 0.9, [5, 0, 15, 10]); // IoU 1/3 with the truth
    expect(curve([shifted], 1).recall, 'threshold 0.5').to.deep.equal([0]);
    expect(curve([shifted], 1, 0.3).recall, 'threshold 0.3').to.deep.equal([0.5]);
  });
  it('rejects a class without ground truth', () => {
    expect(curve([], 1)).to.deep.equal({ precision: [], recall: [] });
    expect(() => curve([], 7)).to.throw(Error);
  });
});
