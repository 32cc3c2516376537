import {
  backend_util,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocate, heapView } from './heap';

/**
 * The two depthwise-convolution gradients wasm lacks. Each output channel reads one input channel, so there is no
 * matrix product to hand to XNNPACK; both walk every (output pixel, filter tap) pair once and accumulate on the heap.
 */

type Shape4 = [number, number, number, number];

/** Offsets of one filter tap applied at one output pixel: into x (or dx), dy and the filter. */
type TapVisitor = (inputOffset: number, gradientOffset: number, filterOffset: number) => void;

function forEachTap(info: backend_util.Conv2DInfo, visit: TapVisitor): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const gradientOffset = ((b * outHeight + oy) * outWidth + ox) * outChannels;
        for (let ky = 0; ky < filterHeight; ky++) {
          const y = oy * info.strideHeight - info.padInfo.top + ky * info.dilationHeight;
          if (y < 0 || y >= inHeight) continue;
          for (let kx = 0; kx < filterWidth; kx++) {
            const x = ox * info.strideWidth - info.padInfo.left + kx * info.dilationWidth;
            if (x < 0 || x >= inWidth) continue;
            visit(((b * inHeight + y) * inWidth + x) * inChannels, gradientOffset, (ky * filterWidth + kx) * outChannels);
          }
        }
      }
    }
  }
}

export const depthwiseConv2dNativeBackpropInput: KernelFunc = (args) => {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    args.attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  const info = backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, strides, dilations, pad, dimRoundingMode, true);
  const dx = allocate(backend, inputShape);
  const target = heapView(backend, dx);
  const gradient = heapView(backend, dy);
  const weights = heapView(backend, filter);
  const multiplier = info.outChannels / info.inChannels;
  target.fill(0);
  forEachTap(info, (inputOffset, gradientOffset, filterOffset) => {
    for (let c = 0; c < info.inChannels; c++) {
      let sum = 0;
      for (let m = 0; m < multiplier; m++) {
        sum += gradient[gradientOffset + c * multiplier + m] * weights[filterOffset + c * multiplier + m];
      }
      target[inputOffset + c] += sum;
    }
  });
  return dx;
};

export const depthwiseConv2dNativeBackpropFilter: KernelFunc = (args) => {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    args.attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, dilations, pad, dimRoundingMode, true);
  const dw = allocate(backend, filterShape);
  const target = heapView(backend, dw);
  const input = heapView(backend, x);
  const gradient = heapView(backend, dy);
  const multiplier = info.outChannels / info.inChannels;
  target.fill(0);
  forEachTap(info, (inputOffset, gradientOffset, filterOffset) => {
    for (let c = 0; c < info.inChannels; c++) {
      const value = input[inputOffset + c];
      for (let m = 0; m < multiplier; m++) {
        target[filterOffset + c * multiplier + m] += value * gradient[gradientOffset + c * multiplier + m];
      }
    }
  });
  return dw;
};
