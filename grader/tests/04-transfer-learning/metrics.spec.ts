// Hidden tests for confusionMatrix (rows = true class) and precisionRecallF1 (one class against the rest).

describe('confusionMatrix', () => {
  it('puts true classes on rows and predictions on columns [3 pts]', () => {
    const yTrue = [0, 0, 1, 2, 2, 2, 1];
    const yPred = [0, 2, 1, 2, 0, 2, 2];
    expect(submission.confusionMatrix(yTrue, yPred, 3)).to.deep.equal([
      [1, 0, 1],
      [0, 1, 1],
      [1, 0, 2],
    ]);
  });

  it('counts every sample once, with the correct ones on the diagonal', () => {
    const yTrue = [1, 1, 0, 0, 1, 0, 1, 1, 0, 1];
    const yPred = [1, 0, 0, 1, 1, 0, 1, 0, 0, 1];
    const matrix: number[][] = submission.confusionMatrix(yTrue, yPred, 2);
    expect(matrix.flat().reduce((a, b) => a + b, 0)).to.equal(10);
    expect(matrix[0][0] + matrix[1][1]).to.equal(7);
  });

  it('keeps rows and columns of zeros for classes that never occur', () => {
    expect(submission.confusionMatrix([1, 1], [1, 3], 4)).to.deep.equal([
      [0, 0, 0, 0],
      [0, 1, 0, 1],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('returns a square matrix of zeros for no samples', () => {
    expect(submission.confusionMatrix([], [], 3)).to.deep.equal([[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  });

  it('rejects mismatched lengths and invalid class ids, quoting them', () => {
    expect(() => submission.confusionMatrix([0, 1, 1], [0, 1], 2), 'different lengths').to.throw(Error, /3[\s\S]*2|2[\s\S]*3/);
    for (const [what, yTrue, yPred, bad] of [
      ['a true class id that is too large', [0, 5], [0, 1], '5'],
      ['a negative predicted class id', [0, 1], [-1, 1], '-1'],
      ['a fractional class id', [0.5, 1], [0, 1], '0.5'],
    ] as const) {
      expect(() => submission.confusionMatrix(yTrue, yPred, 2), what).to.throw(Error, bad);
    }
  });
});

describe('precisionRecallF1', () => {
  const threeClasses = [
    [7, 1, 2],
    [0, 5, 3],
    [1, 4, 6],
  ];

  function expectScores(actual: { precision: number; recall: number; f1: number }, expected: [number, number, number]): void {
    expect(actual.precision).to.be.closeTo(expected[0], 1e-9);
    expect(actual.recall).to.be.closeTo(expected[1], 1e-9);
    expect(actual.f1).to.be.closeTo(expected[2], 1e-9);
  }

  it('takes precision from the column and recall from the row of the positive class [3 pts]', () => {
    // Class 1's column (10) and row (8) differ, so a swap of precision and recall shows.
    expectScores(submission.precisionRecallF1(threeClasses, 1), [5 / 10, 5 / 8, 2 * (0.5 * 0.625) / (0.5 + 0.625)]);
  });

  it('computes F1 as the harmonic mean of precision and recall [2 pts]', () => {
    const precision = 7 / 8;
    const recall = 7 / 10;
    const f1 = (2 * precision * recall) / (precision + recall);
    expectScores(submission.precisionRecallF1(threeClasses, 0), [precision, recall, f1]);
  });

  it('treats class 0 as positive in a binary matrix', () => {
    expectScores(submission.precisionRecallF1([[3, 1], [3, 9]], 0), [0.5, 0.75, 0.6]);
  });

  it('gives 1 for every score of a perfect classifier', () => {
    expectScores(submission.precisionRecallF1([[4, 0], [0, 6]], 1), [1, 1, 1]);
  });

  it('gives 0 instead of NaN when the positive class is never predicted', () => {
    expectScores(submission.precisionRecallF1([[4, 0], [3, 0]], 1), [0, 0, 0]);
  });

  it('gives 0 instead of NaN when the positive class never occurs', () => {
    expectScores(submission.precisionRecallF1([[4, 2], [0, 0]], 1), [0, 0, 0]);
  });

  it('agrees with confusionMatrix on a set of predictions', () => {
    const matrix = submission.confusionMatrix([1, 1, 1, 0, 0, 1], [1, 0, 1, 1, 0, 1], 2);
    expectScores(submission.precisionRecallF1(matrix, 1), [3 / 4, 3 / 4, 3 / 4]);
  });

  it('rejects a positive class outside the matrix, quoting it', () => {
    for (const positiveClass of [3, -1]) {
      expect(() => submission.precisionRecallF1(threeClasses, positiveClass)).to.throw(Error, String(positiveClass));
    }
  });
});
