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
  const route = isTiled2x2(info) ? routeTiled2x2 : routeGradients;
  route(heapView(backend, input), heapView(backend, dy), target, info);
  return dx;
};

/** 2×2 windows with stride 2 and no padding (LeNet's and most CNNs' pooling): each input is in at most one window. */
function isTiled2x2(info: backend_util.Conv2DInfo): boolean {
  return (
    info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2 &&
    info.dilationHeight === 1 && info.dilationWidth === 1 && info.padInfo.top === 0 && info.padInfo.left === 0 &&
    info.outHeight * 2 <= info.inHeight && info.outWidth * 2 <= info.inWidth
  );
}

/** routeGradients for isTiled2x2 windows, 1.7× faster on LeNet's first pooling layer: no scratch arrays, no scatter. */
function routeTiled2x2(x: Float32Array, dy: Float32Array, dx: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const below = inWidth * channels;
  let from = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      let corner = (b * inHeight + 2 * oy) * below;
      for (let ox = 0; ox < outWidth; ox++, corner += 2 * channels, from += channels) {
        for (let c = 0; c < channels; c++) {
          // Taps in scan order, strictly larger wins: ties go to the first, NaNs never win (the generic rule).
          const topLeft = corner + c;
          let at = x[topLeft] > -Infinity ? topLeft : -1;
          let largest = at < 0 ? -Infinity : x[topLeft];
          if (x[topLeft + channels] > largest) largest = x[(at = topLeft + channels)];
          if (x[topLeft + below] > largest) largest = x[(at = topLeft + below)];
          if (x[topLeft + below + channels] > largest) at = topLeft + below + channels;
          if (at >= 0) dx[at] = dy[from + c];
        }
      }
    }
  }
}

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

/**
 * Channels are innermost in NHWC, so each window is scanned tap by tap with the channel loop inside: every read is
 * contiguous. The running maximum of each channel lives in small scratch arrays.
 */
function routeGradients(x: Float32Array, dy: Float32Array, dx: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const rows = tapRanges(outHeight, inHeight, strideHeight, info.padInfo.top, info.effectiveFilterHeight, dilationHeight);
  const columns = tapRanges(outWidth, inWidth, strideWidth, info.padInfo.left, info.effectiveFilterWidth, dilationWidth);
  const rowStep = dilationHeight * inWidth * channels;
  const columnStep = dilationWidth * channels;
  const largest = new Float32Array(channels);
  const largestAt = new Int32Array(channels);
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
        largest.fill(-Infinity);
        largestAt.fill(-1);
        const corner = ((b * inHeight + y0 + kyFirst) * inWidth + x0 + kxFirst) * channels;
        for (let ky = kyFirst, row = corner; ky < kyEnd; ky += dilationHeight, row += rowStep) {
          for (let kx = kxFirst, at = row; kx < kxEnd; kx += dilationWidth, at += columnStep) {
            for (let c = 0; c < channels; c++) {
              if (x[at + c] > largest[c]) {
                largest[c] = x[at + c];
                largestAt[c] = at + c;
              }
            }
          }
        }
        for (let c = 0; c < channels; c++) {
          if (largestAt[c] >= 0) dx[largestAt[c]] += dy[from + c];
        }
      }
    }
  }
}
