type Layer = { kernelSize: number; stride: number };

function layers(...pairs: [number, number][]): Layer[] {
  return pairs.map(([kernelSize, stride]) => ({ kernelSize, stride }));
}

describe('conv2dParams', () => {
  const cases: [string, [number, number, number, boolean?], number][] = [
    ['counts a 3×3 RGB convolution with bias [1 pt]', [3, 64, 3], 1792],
    ['counts a 1×1 convolution [1 pt]', [256, 64, 1], 16448],
    ['leaves out the bias when asked [2 pts]', [64, 128, 3, false], 73728],
    ['counts a single-filter single-channel 1×1 convolution [1 pt]', [1, 1, 1], 2],
  ];
  for (const [title, args, expected] of cases) {
    it(title, () => expect(submission.conv2dParams(...args)).to.equal(expected));
  }
  it('matches TensorFlow.js for a 7×7 convolution without bias [2 pts]', () => {
    // What TensorFlow.js counts for tf.layers.conv2d({ filters: 10, kernelSize: 7, useBias: false }) on 5 channels,
    // written down: a notebook can change what a layer's countParams says while it is graded.
    expect(submission.conv2dParams(5, 10, 7, false)).to.equal(2450);
  });
  it('rejects invalid arguments, naming the argument at fault [1 pt]', () => {
    expect(() => submission.conv2dParams(0, 8, 3), 'a zero channel count').to.throw(Error, /inChannels/);
    expect(() => submission.conv2dParams(3, 8, 1.5), 'a fractional kernel size').to.throw(Error, /kernelSize/);
  });
});

describe('separableConv2dParams', () => {
  const cases: [string, [number, number, number, boolean?], number][] = [
    ['counts depthwise, pointwise and bias weights [2 pts]', [32, 64, 3], 2400],
    ['leaves out the bias when asked [2 pts]', [32, 64, 3, false], 2336],
    ['counts a 1×1 separable convolution [1 pt]', [4, 4, 1], 24],
  ];
  for (const [title, args, expected] of cases) {
    it(title, () => expect(submission.separableConv2dParams(...args)).to.equal(expected));
  }
  it('matches TensorFlow.js for a 5×5 separable convolution [3 pts]', () => {
    // What TensorFlow.js counts for tf.layers.separableConv2d({ filters: 12, kernelSize: 5 }) on 7 channels.
    expect(submission.separableConv2dParams(7, 12, 5)).to.equal(271);
  });
  it('rejects a negative output channel count, naming it [1 pt]', () => {
    expect(() => submission.separableConv2dParams(3, -8, 3)).to.throw(Error, /outChannels/);
  });
});

describe('receptiveField', () => {
  const cases: [string, Layer[], number][] = [
    ['handles an empty list of layers [1 pt]', [], 1],
    ['handles a single strided convolution [1 pt]', layers([7, 2]), 7],
    ['adds pool and kernel sizes for a conv then a pool [1 pt]', layers([3, 1], [4, 4]), 6],
    ['grows with three stacked 3×3 convolutions [1 pt]', layers([3, 1], [3, 1], [3, 1]), 7],
    ['multiplies the growth after a strided layer [3 pts]', layers([2, 2], [3, 1]), 6],
    ['compounds several strides [4 pts]', layers([3, 2], [3, 2], [3, 2], [3, 1]), 31],
    ['ignores the stride of the last layer [2 pts]', layers([3, 1], [5, 5]), 7],
    ['computes the receptive field of the ResNet stem [2 pts]', layers([7, 2], [3, 2]), 11],
  ];
  for (const [title, input, expected] of cases) {
    it(title, () => expect(submission.receptiveField(input)).to.equal(expected));
  }
  it('rejects invalid layers, naming the argument at fault [1 pt]', () => {
    expect(() => submission.receptiveField(layers([3, 1], [2, 0])), 'a zero stride').to.throw(Error, /stride/);
    expect(() => submission.receptiveField(layers([2.5, 1])), 'a fractional kernel size').to.throw(Error, /kernelSize/);
  });
});
