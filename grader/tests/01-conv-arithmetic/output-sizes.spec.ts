// Expected sizes were measured with PyTorch 1.13 (nn.Conv2d, nn.MaxPool2d, nn.ConvTranspose2d on zero inputs).

type SizeCase = readonly [title: string, args: readonly (number | boolean)[], expected: number];
type InvalidCase = readonly [what: string, args: readonly (number | boolean)[], argument: RegExp];

function sizeTable(name: string, cases: readonly SizeCase[]): void {
  for (const [title, args, expected] of cases) {
    it(title, () => expect(submission[name](...args)).to.equal(expected));
  }
}

/**
 * All of one function's invalid-argument cases form a single test: the error wording is worth one point, the
 * arithmetic the rest. The failing case is named in the message, never its inputs.
 */
function invalidTable(name: string, cases: readonly InvalidCase[]): void {
  it('rejects invalid arguments, naming the argument at fault [1 pt]', () => {
    for (const [what, args, argument] of cases) expect(() => submission[name](...args), what).to.throw(Error, argument);
  });
}

describe('convOutputSize', () => {
  sizeTable('convOutputSize', [
    ['computes the first layer of AlexNet [1 pt]', [224, 11, 4, 2], 55],
    ['computes the 7×7 stride-2 stem of ResNet [1 pt]', [224, 7, 2, 3], 112],
    ['handles a kernel that covers the whole input [1 pt]', [5, 5], 1],
    ['keeps the size with a 1×1 kernel [1 pt]', [28, 1, 1, 0], 28],
    ['handles a single-pixel input [1 pt]', [1, 1], 1],
    ['handles a stride larger than the kernel [3 pts]', [9, 2, 3, 0], 3],
    ['handles a stride larger than the input span [3 pts]', [7, 3, 5], 1],
    ['handles dilation without padding [3 pts]', [10, 3, 1, 0, 2], 6],
    ['handles dilation with stride and padding together [3 pts]', [10, 3, 2, 2, 3], 4],
    ['rounds down when the last stride overshoots [3 pts]', [13, 3, 3, 1, 2], 4],
  ]);
  invalidTable('convOutputSize', [
    ['a non-positive input size', [-4, 3], /inputSize/],
    ['a fractional kernel size', [32, 2.5], /kernelSize/],
    ['a zero stride', [32, 3, 0], /stride/],
    ['a negative padding', [32, 3, 1, -1], /padding/],
    ['a zero dilation', [32, 3, 1, 0, 0], /dilation/],
    ['a kernel larger than the padded input', [4, 7, 1, 1], /kernelSize/],
    ['a dilated kernel that no longer fits', [6, 3, 1, 0, 3], /kernelSize/],
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
    ['combines ceil mode with padding [4 pts]', [6, 3, 2, 1, true], 4],
    ['drops a ceil-mode window that would start in the right padding [4 pts]', [5, 2, 2, 1, true], 3],
    ['drops a ceil-mode window that starts in the padding with a stride larger than the kernel [4 pts]', [4, 2, 3, 1, true], 2],
    ['keeps a ceil-mode window that starts on the last real pixel [4 pts]', [3, 2, 1, 1, true], 4],
    ['uses the default stride together with ceil mode and padding [2 pts]', [9, 3, 3, 1, true], 4],
  ]);
  invalidTable('poolOutputSize', [
    ['a zero kernel size', [8, 0], /kernelSize/],
    ['a fractional input size', [7.5, 2], /inputSize/],
    ['a negative stride', [8, 2, -2], /stride/],
    ['padding larger than half the kernel', [8, 3, 1, 2], /padding/],
    ['a kernel larger than the padded input', [2, 5, 1, 1], /kernelSize/],
  ]);
});

describe('convTransposeOutputSize', () => {
  sizeTable('convTransposeOutputSize', [
    ['handles a single pixel and a 1×1 kernel [1 pt]', [1, 1], 1],
    ['upsamples by the stride when kernel and stride are equal [1 pt]', [5, 2, 2], 10],
    ['uses the output padding to undo a stride-2 convolution [3 pts]', [7, 3, 2, 1, 1], 14],
    ['grows with dilation [2 pts]', [4, 3, 1, 0, 0, 2], 8],
    ['combines stride, padding, output padding and dilation [3 pts]', [8, 3, 2, 1, 1, 1], 16],
    ['handles a stride smaller than the dilation [2 pts]', [6, 4, 1, 1, 0, 3], 13],
    ['accepts an output padding smaller than the dilation but not the stride [2 pts]', [3, 2, 3, 0, 1, 2], 10],
    ['handles a kernel larger than the stride with padding [1 pt]', [3, 5, 3, 2, 2], 9],
  ]);
  invalidTable('convTransposeOutputSize', [
    ['an output padding as large as both stride and dilation', [8, 3, 2, 1, 2], /outputPadding/],
    ['a zero kernel size', [8, 0, 2], /kernelSize/],
    ['a negative output padding', [8, 3, 2, 1, -1], /outputPadding/],
    ['a padding that leaves no output', [1, 1, 1, 1], /padding/],
  ]);
});

describe('sameOutputSize', () => {
  sizeTable('sameOutputSize', [
    ['rounds up for an odd input and stride 2 [1 pt]', [7, 2], 4],
    ['divides exactly when the stride divides the input [1 pt]', [224, 4], 56],
    ['handles a stride larger than the input [1 pt]', [3, 5], 1],
    ['keeps a 1×1 input [1 pt]', [1, 1], 1],
  ]);
  it('agrees with TensorFlow.js on a range of inputs and strides [3 pts]', () => {
    // [input, stride, the size tf.maxPool(…, 3, stride, 'same') gives], written down: a notebook can re-register
    // TensorFlow.js's kernels while it is graded.
    for (const [size, stride, expected] of [[10, 3, 4], [17, 4, 5], [5, 5, 1], [6, 1, 6]]) {
      expect(submission.sameOutputSize(size, stride), `input ${size}, stride ${stride}`).to.equal(expected);
    }
  });
  invalidTable('sameOutputSize', [
    ['a zero stride', [8, 0], /stride/],
    ['a negative input size', [-1, 1], /inputSize/],
  ]);
});
