// Hidden tests of the example assignment. Globals: describe/it (mocha), expect (chai), tf, submission.
import type * as tfjs from '@tensorflow/tfjs';

declare const tf: typeof tfjs;
declare const submission: {
  convOutputSize(size: number, kernel: number, stride?: number, padding?: number): number;
  normalizePixels(image: tfjs.Tensor): tfjs.Tensor;
  flipHorizontal(image: tfjs.Tensor3D): tfjs.Tensor3D;
};

describe('convOutputSize', () => {
  it('keeps the size with a 1×1 kernel', () => {
    expect(submission.convOutputSize(17, 1)).to.equal(17);
  });
  it('keeps the size with "same" padding [2 pts]', () => {
    expect(submission.convOutputSize(28, 5, 1, 2)).to.equal(28);
  });
  it('rounds down with stride 2 over an odd size [2 pts]', () => {
    expect(submission.convOutputSize(7, 3, 2)).to.equal(3);
  });
});

describe('normalizePixels', () => {
  it('maps 0 to 0 and 255 to 1', () => {
    const [black, grey, white] = submission.normalizePixels(tf.tensor([0, 51, 255], [3], 'int32')).dataSync();
    expect(black).to.equal(0);
    expect(grey).to.be.closeTo(0.2, 1e-6);
    expect(white).to.equal(1);
  });
  it('returns float32', () => {
    expect(submission.normalizePixels(tf.tensor([7], [1], 'int32')).dtype).to.equal('float32');
  });
});

describe('flipHorizontal', () => {
  it('mirrors the columns of every row and channel [2 pts]', () => {
    const image = tf.tensor3d([[[1, 10], [2, 20]], [[3, 30], [4, 40]]]);
    expect(submission.flipHorizontal(image).arraySync()).to.deep.equal([[[2, 20], [1, 10]], [[4, 40], [3, 30]]]);
  });
  it('keeps the shape', () => {
    expect(submission.flipHorizontal(tf.zeros([4, 5, 3]) as tfjs.Tensor3D).shape).to.deep.equal([4, 5, 3]);
  });
});
