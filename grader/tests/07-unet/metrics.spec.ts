describe('segmentation metrics', () => {
  const map = (rows: number[][][]) => tf.tensor3d(rows, undefined, 'int32');
  // two 2×4 images; truth and prediction differ in a few pixels (made in `before`: tf exists once the notebook ran)
  let truth: tf.Tensor3D;
  let predicted: tf.Tensor3D;
  before(() => {
    truth = map([[[0, 0, 1, 1], [0, 2, 2, 1]], [[3, 3, 0, 0], [3, 0, 0, 0]]]);
    predicted = map([[[0, 1, 1, 1], [0, 2, 0, 1]], [[3, 3, 0, 2], [0, 0, 0, 0]]]);
  });

  describe('pixelAccuracy', () => {
    it('is 1 for identical maps', () => expect(submission.pixelAccuracy(truth, truth)).to.equal(1));
    it('counts matching pixels over every image of the batch [2 pts]', () =>
      expect(submission.pixelAccuracy(truth, predicted)).to.be.closeTo(12 / 16, 1e-9));
    it('is 0 when every pixel is wrong', () => expect(submission.pixelAccuracy(map([[[0, 1]]]), map([[[1, 0]]]))).to.equal(0));
    it('compares class ids whatever the tensor types', () =>
      expect(submission.pixelAccuracy(truth, tf.tensor3d(predicted.arraySync(), undefined, 'float32'))).to.be.closeTo(12 / 16, 1e-9));
    it('rejects maps of different shapes', () => {
      expect(submission.pixelAccuracy(truth, truth)).to.equal(1);
      expect(() => submission.pixelAccuracy(truth, map([[[0, 0], [0, 0]]]))).to.throw(Error);
    });
  });

  describe('meanIoU', () => {
    it('is 1 for identical maps', () => expect(submission.meanIoU(truth, truth, 4)).to.be.closeTo(1, 1e-9));
    it('averages the IoU of every class over the batch [2 pts]', () => {
      // background 6/10, class 1 3/4, class 2 1/3, class 3 2/3
      expect(submission.meanIoU(truth, predicted, 4)).to.be.closeTo((6 / 10 + 3 / 4 + 1 / 3 + 2 / 3) / 4, 1e-9);
    });
    it('skips classes that appear in neither map [2 pts]', () => {
      const [small, smallPrediction] = [map([[[0, 1], [1, 1]]]), map([[[0, 0], [1, 1]]])];
      expect(submission.meanIoU(small, smallPrediction, 6)).to.be.closeTo((1 / 2 + 2 / 3) / 2, 1e-9);
    });
    it('counts a class that only the prediction contains as a zero', () => {
      expect(submission.meanIoU(map([[[0, 0]]]), map([[[0, 2]]]), 3)).to.be.closeTo((1 / 2 + 0) / 2, 1e-9);
    });
    it('agrees with a reference on random maps', () => {
      let state = 99;
      const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
      const numbers = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 3));
      const [t, p] = [numbers(3 * 5 * 5), numbers(3 * 5 * 5)];
      const ious = [0, 1, 2, 3, 4].flatMap((c) => {
        const union = t.filter((v, k) => v === c || p[k] === c).length;
        return union > 0 ? [t.filter((v, k) => v === c && p[k] === c).length / union] : [];
      });
      const expected = ious.reduce((sum, v) => sum + v, 0) / ious.length;
      expect(submission.meanIoU(tf.tensor3d(t, [3, 5, 5], 'int32'), tf.tensor3d(p, [3, 5, 5], 'int32'), 5)).to.be.closeTo(expected, 1e-9);
    });
    it('rejects maps of different shapes', () => {
      expect(submission.meanIoU(truth, truth, 4)).to.be.closeTo(1, 1e-9);
      expect(() => submission.meanIoU(truth, map([[[0]]]), 4)).to.throw(Error);
    });
  });

  describe('diceCoefficient', () => {
    it('is 1 for identical maps', () => expect(submission.diceCoefficient(truth, truth)).to.be.closeTo(1, 1e-9));
    it('compares the foreground of truth and prediction [2 pts]', () => {
      // foreground: 8 pixels in the truth, 8 in the prediction, 6 in both
      expect(submission.diceCoefficient(truth, predicted)).to.be.closeTo((2 * 6) / (8 + 8), 1e-9);
    });
    it('is 1 when neither map has any foreground', () => expect(submission.diceCoefficient(map([[[0, 0]]]), map([[[0, 0]]]))).to.equal(1));
    it('is 0 when the foregrounds do not overlap', () => expect(submission.diceCoefficient(map([[[1, 0]]]), map([[[0, 2]]]))).to.equal(0));
    it('treats every non-zero class as foreground', () =>
      expect(submission.diceCoefficient(map([[[1, 3]]]), map([[[2, 3]]]))).to.be.closeTo(1, 1e-9));
    it('rejects maps of different shapes', () => {
      expect(submission.diceCoefficient(truth, truth)).to.be.closeTo(1, 1e-9);
      expect(() => submission.diceCoefficient(truth, map([[[0, 1]]]))).to.throw(Error);
    });
  });
});
