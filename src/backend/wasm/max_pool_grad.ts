import { backend_util, type KernelFunc, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocate, heapView } from './heap';

/**
 * MaxPoolGrad in one pass: each output's gradient goes to the first largest input of its window (the cpu backend's
 * rule). Wasm's own kernel is several times slower on LeNet's pooling layers (see bench/README.md).
 */
export const maxPoolGrad: KernelFunc = (args) => {
  const backend = args.backend as BackendWasm;
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const dx = allocate(backend, input.shape);
  const target = heapView(backend, dx);
  target.fill(0);
  routeGradients(heapView(backend, input), heapView(backend, dy), target, info);
  return dx;
};

/** The window taps inside the input, for each output row (or column): [first, end) along that axis. */
function tapRanges(outSize: number, inSize: number, stride: number, before: number, span: number, step: number): Int32Array {
  const ranges = new Int32Array(outSize * 2);
  for (let o = 0; o < outSize; o++) {
    const start = o * stride - before;
    ranges[2 * o] = Math.ceil(Math.max(0, -start) / step) * step;
    ranges[2 * o + 1] = Math.min(span, inSize - start);
  }
  return ranges;
}

function routeGradients(x: Float32Array, dy: Float32Array, dx: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const rows = tapRanges(outHeight, inHeight, strideHeight, info.padInfo.top, info.effectiveFilterHeight, dilationHeight);
  const columns = tapRanges(outWidth, inWidth, strideWidth, info.padInfo.left, info.effectiveFilterWidth, dilationWidth);
  const rowStep = dilationHeight * inWidth * channels;
  const columnStep = dilationWidth * channels;
  let from = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - info.padInfo.top;
      const kyFirst = rows[2 * oy];
      const kyEnd = rows[2 * oy + 1];
      for (let ox = 0; ox < outWidth; ox++, from += channels) {
        const x0 = ox * strideWidth - info.padInfo.left;
        const kxFirst = columns[2 * ox];
        const kxEnd = columns[2 * ox + 1];
        const corner = ((b * inHeight + y0 + kyFirst) * inWidth + x0 + kxFirst) * channels;
        for (let c = 0; c < channels; c++) {
          let largest = -Infinity;
          let largestAt = -1;
          for (let ky = kyFirst, row = corner + c; ky < kyEnd; ky += dilationHeight, row += rowStep) {
            for (let kx = kxFirst, at = row; kx < kxEnd; kx += dilationWidth, at += columnStep) {
              if (x[at] > largest) {
                largest = x[at];
                largestAt = at;
              }
            }
          }
          if (largestAt >= 0) dx[largestAt] += dy[from + c];
        }
      }
    }
  }
}
