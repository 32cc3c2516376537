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
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const dx = allocate(backend, input.shape);
  const target = heapView(backend, dx);
  const x = heapView(backend, input);
  const gradient = heapView(backend, dy);
  target.fill(0);
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const from = ((b * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) {
          let largest = -Infinity;
          let largestAt = -1;
          for (let ky = 0; ky < info.effectiveFilterHeight; ky += info.dilationHeight) {
            const y = oy * info.strideHeight - info.padInfo.top + ky;
            if (y < 0 || y >= inHeight) continue;
            for (let kx = 0; kx < info.effectiveFilterWidth; kx += info.dilationWidth) {
              const column = ox * info.strideWidth - info.padInfo.left + kx;
              if (column < 0 || column >= inWidth) continue;
              const at = ((b * inHeight + y) * inWidth + column) * channels + c;
              if (x[at] > largest) {
                largest = x[at];
                largestAt = at;
              }
            }
          }
          if (largestAt >= 0) target[largestAt] += gradient[from + c];
        }
      }
    }
  }
  return dx;
};
