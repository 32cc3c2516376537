describe('softmaxWithTemperature', () => {
  /** Softmax of one row of logits at temperature T, computed in plain numbers. */
  const reference = (logits: number[], temperature: number): number[] => {
    const scaled = logits.map((z) => z / temperature);
    const top = Math.max(...scaled);
    const exps = scaled.map((z) => Math.exp(z - top));
    const total = exps.reduce((sum, e) => sum + e, 0);
    return exps.map((e) => e / total);
  };
  const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());
  const expectClose = (actual: number[], expected: number[], tolerance = 1e-5) => {
    expect(actual).to.have.length(expected.length);
    actual.forEach((v, k) => expect(v).to.be.closeTo(expected[k], tolerance));
  };

  const rows: [title: string, logits: number[], temperature: number][] = [
    ['equals the ordinary softmax at temperature 1', [1, 2, 3], 1],
    ['sharpens the distribution below temperature 1', [1, 2, 3], 0.5],
    ['softens the distribution above temperature 1', [0.3, -1.2, 2.5, 0.9], 6],
    ['handles negative logits', [-4, -2, -7], 2],
    ['gives a uniform distribution for equal logits', [3, 3, 3, 3], 5],
  ];
  for (const [title, logits, temperature] of rows) {
    it(title, () => expectClose(values(submission.softmaxWithTemperature(tf.tensor1d(logits), temperature)), reference(logits, temperature)));
  }

  it('does not overflow for very large logits [2 pts]', () => {
    const result = values(submission.softmaxWithTemperature(tf.tensor1d([1000, 1001, 998]), 1));
    expect(result.every(Number.isFinite)).to.equal(true);
    expectClose(result, reference([1000, 1001, 998], 1));
  });

  it('applies the softmax to each row of a batch separately [2 pts]', () => {
    const batch = [[1, 5, 2], [0, 0, 9], [-3, 4, 4]];
    const result = submission.softmaxWithTemperature(tf.tensor2d(batch), 3);
    expect(result.shape).to.deep.equal([3, 3]);
    expectClose(values(result), batch.flatMap((row) => reference(row, 3)));
  });

  it('works along the last axis of a rank-3 tensor', () => {
    const input = tf.tensor3d([[[1, 2], [3, 1]], [[0, 4], [2, 2]]]);
    const result = submission.softmaxWithTemperature(input, 2);
    expect(result.shape).to.deep.equal([2, 2, 2]);
    expectClose(values(result), [[1, 2], [3, 1], [0, 4], [2, 2]].flatMap((row) => reference(row, 2)));
  });

  it('approaches the uniform distribution at a very high temperature', () => {
    values(submission.softmaxWithTemperature(tf.tensor1d([2, 9, -3, 4]), 1e6)).forEach((p) => expect(p).to.be.closeTo(0.25, 1e-4));
  });

  it('approaches a one-hot vector at a very low temperature', () => {
    expectClose(values(submission.softmaxWithTemperature(tf.tensor1d([2, 2.5, 1]), 0.01)), [0, 1, 0], 1e-6);
  });

  it('returns a new tensor and leaves its input usable', () => {
    const input = tf.tensor1d([1, 2]);
    const result = submission.softmaxWithTemperature(input, 2);
    expect(result).to.be.instanceOf(tf.Tensor);
    expect(result).to.not.equal(input);
    expect(input.isDisposed).to.equal(false);
    expectClose(values(input), [1, 2]);
  });

  it('rejects a temperature that is not a positive finite number', () => {
    expect(submission.softmaxWithTemperature(tf.tensor1d([1, 2]), 1).shape).to.deep.equal([2]);
    for (const temperature of [0, -2, NaN, Infinity]) {
      expect(() => submission.softmaxWithTemperature(tf.tensor1d([1, 2]), temperature), String(temperature)).to.throw(Error);
    }
  });
});
