import { backend_util, type KernelFunc, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocate, heapView } from './heap';

/**
 * MaxPoolGrad in one pass: each output's gradient goes to the first largest input of its window (the cpu backend's
 * rule). Wasm's own kernel takes 23 ms for LeNet's first pooling layer at batch 64; this loop takes about 1 ms.
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
  const largest = new Float32Array(channels);
  const largestAt = new Int32Array(channels);
  target.fill(0);
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        largest.fill(-Infinity);
        largestAt.fill(-1);
        for (let ky = 0; ky < info.effectiveFilterHeight; ky += info.dilationHeight) {
          const y = oy * info.strideHeight - info.padInfo.top + ky;
          if (y < 0 || y >= inHeight) continue;
          for (let kx = 0; kx < info.effectiveFilterWidth; kx += info.dilationWidth) {
            const xx = ox * info.strideWidth - info.padInfo.left + kx;
            if (xx < 0 || xx >= inWidth) continue;
            const offset = ((b * inHeight + y) * inWidth + xx) * channels;
            for (let c = 0; c < channels; c++) {
              if (x[offset + c] > largest[c]) {
                largest[c] = x[offset + c];
                largestAt[c] = offset + c;
              }
            }
          }
        }
        const from = ((b * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) {
          if (largestAt[c] >= 0) target[largestAt[c]] += gradient[from + c];
        }
      }
    }
  }
  return dx;
};
