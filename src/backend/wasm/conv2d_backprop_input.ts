import {
  backend_util,
  Conv2D,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocate, heapView, release, runWasmKernel } from './heap';

/**
 * Conv2DBackpropInput as one forward convolution: dx is the "full" correlation of dy (spread out by the stride) with
 * the filter rotated 180° and its channel axes swapped. Wasm's forward Conv2D (XNNPACK) is about ten times faster
 * than its own Conv2DBackpropInput on the same shapes.
 */
export function makeConv2DBackpropInput(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const { inputShape, strides, pad, dataFormat, dimRoundingMode } = args.attrs as unknown as Conv2DBackpropInputAttrs;
    const info = backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(dataFormat),
    );
    const spreadHeight = (info.outHeight - 1) * info.strideHeight + 1;
    const spreadWidth = (info.outWidth - 1) * info.strideWidth + 1;
    const top = info.filterHeight - 1 - info.padInfo.top;
    const left = info.filterWidth - 1 - info.padInfo.left;
    const bottom = info.inHeight + info.filterHeight - 1 - top - spreadHeight;
    const right = info.inWidth + info.filterWidth - 1 - left - spreadWidth;
    // Padding wider than the filter (explicit pads only) would need cropping: leave those to wasm's own kernel.
    if (info.dataFormat !== 'channelsLast' || Math.min(top, left, bottom, right) < 0) return fallback(args);

    const rotated = rotateFilter(backend, filter);
    const spread = info.strideHeight === 1 && info.strideWidth === 1 ? dy : spreadByStride(backend, dy, info);
    const dx = runWasmKernel(
      backend,
      Conv2D,
      { x: spread, filter: rotated },
      {
        strides: 1,
        dilations: 1,
        pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
        dataFormat: 'NHWC',
      },
    );
    release(backend, rotated);
    if (spread !== dy) release(backend, spread);
    return dx;
  };
}

/** [h, w, in, out] → [h, w, out, in] with h and w reversed. */
function rotateFilter(backend: BackendWasm, filter: TensorInfo): TensorInfo {
  const [height, width, inChannels, outChannels] = filter.shape;
  const rotated = allocate(backend, [height, width, outChannels, inChannels]);
  const source = heapView(backend, filter);
  const target = heapView(backend, rotated);
  const taps = height * width;
  for (let tap = 0; tap < taps; tap++) {
    const from = (taps - 1 - tap) * inChannels * outChannels;
    const to = tap * inChannels * outChannels;
    for (let i = 0; i < inChannels; i++) {
      for (let o = 0; o < outChannels; o++) {
        target[to + o * inChannels + i] = source[from + i * outChannels + o];
      }
    }
  }
  return rotated;
}

/** Puts stride − 1 zeros between neighbouring rows and columns of dy, so a stride-1 convolution sees its layout. */
function spreadByStride(backend: BackendWasm, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, outHeight, outWidth, outChannels, strideHeight, strideWidth } = info;
  const height = (outHeight - 1) * strideHeight + 1;
  const width = (outWidth - 1) * strideWidth + 1;
  const spread = allocate(backend, [batchSize, height, width, outChannels]);
  const source = heapView(backend, dy);
  const target = heapView(backend, spread);
  target.fill(0);
  for (let b = 0; b < batchSize; b++) {
    for (let y = 0; y < outHeight; y++) {
      for (let x = 0; x < outWidth; x++) {
        const from = ((b * outHeight + y) * outWidth + x) * outChannels;
        const to = ((b * height + y * strideHeight) * width + x * strideWidth) * outChannels;
        target.set(source.subarray(from, from + outChannels), to);
      }
    }
  }
  return spread;
}

