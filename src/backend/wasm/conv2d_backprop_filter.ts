import {
  backend_util,
  BatchMatMul,
  type Conv2DBackpropFilterAttrs,
  type KernelFunc,
  type TensorInfo,
  Transpose,
} from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocate, heapView, release, runWasmKernel } from './heap';

/**
 * Conv2DBackpropFilter (wasm has none) as one matrix product: dW = patchesᵀ · dy, where row (in, ky, kx) of
 * patchesᵀ holds, for every output pixel, the input value that filter tap saw (im2col, built already transposed
 * so that XNNPACK's untransposed product applies). With x channel-major, each row is filled by runs of
 * consecutive reads.
 */
export const conv2DBackpropFilter: KernelFunc = (args) => {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') {
    throw new Error(`convlab's wasm Conv2DBackpropFilter supports dataFormat 'NHWC' only, got '${dataFormat}'.`);
  }
  const { inChannels, outChannels, filterHeight, filterWidth } = info;
  // With one input channel, NHWC already is channel-major.
  const channelMajor = inChannels === 1 ? x : runWasmKernel(backend, Transpose, { x }, { perm: [3, 0, 1, 2] });
  const patches = transposedPatches(backend, channelMajor, info);
  if (channelMajor !== x) release(backend, channelMajor);
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  const perChannel = runWasmKernel(
    backend,
    BatchMatMul,
    { a: patches, b: { ...dy, shape: [pixels, outChannels] } },
    { transposeA: false, transposeB: false },
  );
  release(backend, patches);
  if (inChannels === 1) return { ...perChannel, shape: [...filterShape] };
  const dw = runWasmKernel(
    backend,
    Transpose,
    { x: { ...perChannel, shape: [inChannels, filterHeight * filterWidth, outChannels] } },
    { perm: [1, 0, 2] },
  );
  release(backend, perChannel);
  return { ...dw, shape: [...filterShape] };
};

/** [in · taps, output pixels] from x laid out [in, batch, height, width]. */
function transposedPatches(backend: BackendWasm, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const pixels = batchSize * outHeight * outWidth;
  const patches = allocate(backend, [inChannels * filterHeight * filterWidth, pixels]);
  const target = heapView(backend, patches);
  const input = heapView(backend, x);
  let at = 0;
  for (let c = 0; c < inChannels; c++) {
    for (let ky = 0; ky < filterHeight; ky++) {
      for (let kx = 0; kx < filterWidth; kx++) {
        // Output columns whose tap kx lands inside the row: [first, end).
        const shift = kx - left;
        const first = Math.min(outWidth, Math.max(0, Math.ceil(-shift / strideWidth)));
        const end = Math.max(first, Math.min(outWidth, Math.floor((inWidth - 1 - shift) / strideWidth) + 1));
        for (let b = 0; b < batchSize; b++) {
          for (let oy = 0; oy < outHeight; oy++, at += outWidth) {
            const y = oy * strideHeight - top + ky;
            if (y < 0 || y >= inHeight) {
              target.fill(0, at, at + outWidth);
              continue;
            }
            const source = ((c * batchSize + b) * inHeight + y) * inWidth + shift;
            target.fill(0, at, at + first);
            for (let ox = first; ox < end; ox++) target[at + ox] = input[source + ox * strideWidth];
            target.fill(0, at + end, at + outWidth);
          }
        }
      }
    }
  }
  return patches;
}
