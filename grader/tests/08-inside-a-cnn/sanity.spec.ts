// Hidden tests for rankCorrelation: Spearman's ρ, ties sharing their average rank.

/** Pearson correlation of average ranks, written independently of the notebook. */
function spearman(a: number[], b: number[]): number {
  const rank = (values: number[]) => values.map((v) => {
    const below = values.filter((w) => w < v).length;
    const equal = values.filter((w) => w === v).length;
    return below + (equal + 1) / 2;
  });
  const [ra, rb] = [rank(a), rank(b)];
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const [ma, mb] = [mean(ra), mean(rb)];
  const cov = ra.reduce((s, r, i) => s + (r - ma) * (rb[i] - mb), 0);
  const va = ra.reduce((s, r) => s + (r - ma) ** 2, 0);
  const vb = rb.reduce((s, r) => s + (r - mb) ** 2, 0);
  return cov / Math.sqrt(va * vb);
}

describe('rankCorrelation', () => {
  it('gives 1 for any increasing relation and −1 for any decreasing one [2 pts]', () => {
    const xs = [0.3, -2, 5, 1.1, 9, 4];
    expect(submission.rankCorrelation(xs, xs.map((x) => Math.exp(x)))).to.be.closeTo(1, 1e-9);
    expect(submission.rankCorrelation(xs, xs.map((x) => -(x ** 3)))).to.be.closeTo(-1, 1e-9);
  });

  it("matches Spearman's formula on lists without ties", () => {
    const a = [3, 1, 4, 1.5, 5, 9, 2.6];
    const b = [2, 7, 1, 8, 2.8, 1.8, 2.85];
    // 1 − 6 Σ d² / (n (n² − 1)) with d the rank differences.
    const rank = (xs: number[]) => xs.map((x) => xs.filter((y) => y < x).length + 1);
    const [ra, rb] = [rank(a), rank(b)];
    const n = a.length;
    const expected = 1 - (6 * ra.reduce((s, r, i) => s + (r - rb[i]) ** 2, 0)) / (n * (n * n - 1));
    expect(submission.rankCorrelation(a, b)).to.be.closeTo(expected, 1e-9);
  });

  it('gives tied values the average of the ranks they span [2 pts]', () => {
    const a = [0, 0, 0, 2, 5, 0, 1, 1];
    const b = [0.1, 0, 0.3, 0.2, 0.9, 0, 0.2, 0.4];
    expect(submission.rankCorrelation(a, b)).to.be.closeTo(spearman(a, b), 1e-9);
  });

  it('is symmetric', () => {
    const a = [4, 2, 2, 8, 1];
    const b = [1, 3, 2, 2, 0];
    expect(submission.rankCorrelation(a, b)).to.be.closeTo(submission.rankCorrelation(b, a), 1e-12);
  });

  it('gives 0 when one list has all its values equal', () => {
    expect(submission.rankCorrelation([1, 2, 3], [0, 0, 0])).to.equal(0);
  });

  it('leaves its inputs in their order', () => {
    const [a, b] = [[3, 1, 2], [1, 3, 2]];
    submission.rankCorrelation(a, b);
    expect([a, b]).to.deep.equal([[3, 1, 2], [1, 3, 2]]);
  });

  it('rejects lists of different lengths or shorter than 2', () => {
    submission.rankCorrelation([1, 2], [2, 1]);
    expect(() => submission.rankCorrelation([1, 2, 3], [1, 2]), 'different lengths').to.throw(Error);
    expect(() => submission.rankCorrelation([1], [1]), 'a single value').to.throw(Error);
  });
});
