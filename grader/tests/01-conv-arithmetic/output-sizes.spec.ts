// Expected sizes were measured with PyTorch 1.13 (nn.Conv2d, nn.MaxPool2d, nn.ConvTranspose2d on zero inputs).

type SizeCase = readonly [title: string, args: readonly (number | boolean)[], expected: number];
type InvalidCase = readonly [title: string, args: readonly (number | boolean)[], argument: RegExp];

function sizeTable(name: string, cases: readonly SizeCase[]): void {
  for (const [title, args, expected] of cases) {
    it(title, () => expect(submission[name](...args)).to.equal(expected));
  }
}

function invalidTable(name: string, cases: readonly InvalidCase[]): void {
  for (const [title, args, argument] of cases) {
    it(title, () => expect(() => submission[name](...args)).to.throw(Error, argument));
  }
}

describe('convOutputSize', () => {
  sizeTable('convOutputSize', [
    ['computes the first layer of AlexNet [1 pt]', [224, 11, 4, 2], 55],
    ['computes the 7×7 stride-2 stem of ResNet [1 pt]', [224, 7, 2, 3], 112],
    ['handles a kernel that covers the whole input [1 pt]', [5, 5], 1],
    ['keeps the size with a 1×1 kernel [1 pt]', [28, 1, 1, 0], 28],
    ['handles a single-pixel input [1 pt]', [1, 1], 1],
    ['handles a stride larger than the kernel [2 pts]', [9, 2, 3, 0], 3],
    ['handles a stride larger than the input span [2 pts]', [7, 3, 5], 1],
    ['handles dilation without padding [2 pts]', [10, 3, 1, 0, 2], 6],
    ['handles dilation with stride and padding together [2 pts]', [10, 3, 2, 2, 3], 4],
    ['rounds down when the last stride overshoots [2 pts]', [13, 3, 3, 1, 2], 4],
  ]);
  invalidTable('convOutputSize', [
    ['rejects a non-positive input size, naming it [1 pt]', [-4, 3], /inputSize/],
    ['rejects a fractional kernel size, naming it [1 pt]', [32, 2.5], /kernelSize/],
    ['rejects a zero stride, naming it [1 pt]', [32, 3, 0], /stride/],
    ['rejects a negative padding, naming it [1 pt]', [32, 3, 1, -1], /padding/],
    ['rejects a zero dilation, naming it [1 pt]', [32, 3, 1, 0, 0], /dilation/],
    ['rejects a kernel larger than the padded input, naming the kernel size [2 pts]', [4, 7, 1, 1], /kernelSize/],
    ['rejects a dilated kernel that no longer fits [2 pts]', [6, 3, 1, 0, 3], /kernelSize/],
  ]);
});

describe('poolOutputSize', () => {
  sizeTable('poolOutputSize', [
    ['defaults the stride to the kernel size [1 pt]', [9, 3], 3],
    ['computes the overlapping 3×3 stride-2 pool of AlexNet [1 pt]', [55, 3, 2], 27],
    ['computes the padded stem pool of ResNet [1 pt]', [112, 3, 2, 1], 56],
    ['handles a 1×1 pool on a 1×1 input [1 pt]', [1, 1], 1],
    ['keeps a partial last window in ceil mode [2 pts]', [5, 2, 2, 0, true], 3],
    ['rounds up in ceil mode when the windows tile exactly plus a bit [2 pts]', [13, 3, 2, 0, true], 6],
    ['combines ceil mode with padding [3 pts]', [6, 3, 2, 1, true], 4],
    ['drops a ceil-mode window that would start in the right padding [3 pts]', [5, 2, 2, 1, true], 3],
    ['drops a ceil-mode window that starts in the padding with a stride larger than the kernel [3 pts]', [4, 2, 3, 1, true], 2],
    ['keeps a ceil-mode window that starts on the last real pixel [3 pts]', [3, 2, 1, 1, true], 4],
    ['uses the default stride together with ceil mode and padding [2 pts]', [9, 3, 3, 1, true], 4],
  ]);
  invalidTable('poolOutputSize', [
    ['rejects a zero kernel size, naming it [1 pt]', [8, 0], /kernelSize/],
    ['rejects a fractional input size, naming it [1 pt]', [7.5, 2], /inputSize/],
    ['rejects a negative stride, naming it [1 pt]', [8, 2, -2], /stride/],
    ['rejects padding larger than half the kernel, naming it [2 pts]', [8, 3, 1, 2], /padding/],
    ['rejects a kernel larger than the padded input, naming the kernel size [1 pt]', [2, 5, 1, 1], /kernelSize/],
  ]);
});

describe('convTransposeOutputSize', () => {
  sizeTable('convTransposeOutputSize', [
    ['handles a single pixel and a 1×1 kernel [1 pt]', [1, 1], 1],
    ['upsamples by the stride when kernel and stride are equal [1 pt]', [5, 2, 2], 10],
    ['uses the output padding to undo a stride-2 convolution [2 pts]', [7, 3, 2, 1, 1], 14],
    ['grows with dilation [2 pts]', [4, 3, 1, 0, 0, 2], 8],
    ['combines stride, padding, output padding and dilation [2 pts]', [8, 3, 2, 1, 1, 1], 16],
    ['handles a stride smaller than the dilation [2 pts]', [6, 4, 1, 1, 0, 3], 13],
    ['accepts an output padding smaller than the dilation but not the stride [2 pts]', [3, 2, 3, 0, 1, 2], 10],
    ['handles a kernel larger than the stride with padding [1 pt]', [3, 5, 3, 2, 2], 9],
  ]);
  invalidTable('convTransposeOutputSize', [
    ['rejects an output padding as large as both stride and dilation, naming it [2 pts]', [8, 3, 2, 1, 2], /outputPadding/],
    ['rejects a zero kernel size, naming it [1 pt]', [8, 0, 2], /kernelSize/],
    ['rejects a negative output padding, naming it [1 pt]', [8, 3, 2, 1, -1], /outputPadding/],
    ['rejects a padding that leaves no output [2 pts]', [1, 1, 1, 1], /padding/],
  ]);
});

describe('sameOutputSize', () => {
  sizeTable('sameOutputSize', [
    ['rounds up for an odd input and stride 2 [1 pt]', [7, 2], 4],
    ['divides exactly when the stride divides the input [1 pt]', [224, 4], 56],
    ['handles a stride larger than the input [1 pt]', [3, 5], 1],
    ['keeps a 1×1 input [1 pt]', [1, 1], 1],
  ]);
  it('agrees with TensorFlow.js on a range of inputs and strides [2 pts]', () => {
    for (const [size, stride] of [[10, 3], [17, 4], [5, 5], [6, 1]]) {
      const y = tf.tidy(() => tf.maxPool(tf.zeros([1, size, size, 1]) as tf.Tensor4D, 3, stride, 'same'));
      expect(submission.sameOutputSize(size, stride)).to.equal(y.shape[1]);
      y.dispose();
    }
  });
  invalidTable('sameOutputSize', [
    ['rejects a zero stride, naming it [1 pt]', [8, 0], /stride/],
    ['rejects a negative input size, naming it [1 pt]', [-1, 1], /inputSize/],
  ]);
});
