import {
  Add,
  BatchMatMul,
  Cast,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  GatherV2,
  getKernel,
  Identity,
  MaxPoolGrad,
  type KernelFunc,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs';
import { ADAM_UPDATE, adamUpdate, fuseAdamOnWasm } from './adam';
import { makeAdd } from './add';
import { makeBatchMatMul } from './batch_mat_mul';
import { conv2DBackpropFilter } from './conv2d_backprop_filter';
import { makeConv2DBackpropInput } from './conv2d_backprop_input';
import { depthwiseConv2dNativeBackpropFilter, depthwiseConv2dNativeBackpropInput } from './depthwise_backprop';
import { makeGatherV2 } from './gather';
import { maxPoolGrad } from './max_pool_grad';
import { makeCast, makeIdentity } from './share';

/** The kernels convlab registers for the wasm backend, for tests and `convlab backend`. */
export const WASM_TRAINING_KERNELS = [
  Add,
  BatchMatMul,
  Cast,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  GatherV2,
  Identity,
  MaxPoolGrad,
] as const;

/**
 * Registers the gradient kernels wasm lacks (so conv layers train) and replaces the slow ones training uses
 * (Conv2DBackpropInput, MaxPoolGrad, BatchMatMul with transposed operands, Add of a bias, the GatherV2 that cuts
 * fit's batches, Identity and Cast that copy); on wasm, tf.train.adam then updates each variable with one kernel (see ./adam.ts).
 * Safe to call more than once; needs `@tensorflow/tfjs-backend-wasm` loaded (it registers the originals).
 */
export function registerWasmTrainingKernels(): void {
  const ownKernels: Record<(typeof WASM_TRAINING_KERNELS)[number], (original: KernelFunc | undefined) => KernelFunc> = {
    [Add]: (original) => makeAdd(required(original, Add)),
    [BatchMatMul]: (original) => makeBatchMatMul(required(original, BatchMatMul)),
    [Cast]: (original) => makeCast(required(original, Cast)),
    [Conv2DBackpropFilter]: () => conv2DBackpropFilter,
    [Conv2DBackpropInput]: (original) => makeConv2DBackpropInput(required(original, Conv2DBackpropInput)),
    [DepthwiseConv2dNativeBackpropFilter]: () => depthwiseConv2dNativeBackpropFilter,
    [DepthwiseConv2dNativeBackpropInput]: () => depthwiseConv2dNativeBackpropInput,
    [GatherV2]: (original) => makeGatherV2(required(original, GatherV2)),
    [Identity]: (original) => makeIdentity(required(original, Identity)),
    [MaxPoolGrad]: () => maxPoolGrad,
  };
  for (const kernelName of WASM_TRAINING_KERNELS) {
    const existing = getKernel(kernelName, 'wasm');
    if (existing !== undefined && registeredHere.has(existing.kernelFunc)) continue;
    if (existing !== undefined) unregisterKernel(kernelName, 'wasm');
    const kernelFunc = ownKernels[kernelName](existing?.kernelFunc);
    registeredHere.add(kernelFunc);
    // The original's setup (binding its wasm export) still has to run when the backend initializes: our fallback uses it.
    registerKernel({ kernelName, backendName: 'wasm', kernelFunc, setupFunc: existing?.setupFunc });
  }
  if (getKernel(ADAM_UPDATE, 'wasm') === undefined) {
    registerKernel({ kernelName: ADAM_UPDATE, backendName: 'wasm', kernelFunc: adamUpdate });
  }
  fuseAdamOnWasm();
}

const registeredHere = new WeakSet<KernelFunc>();

function required(original: KernelFunc | undefined, kernelName: string): KernelFunc {
  if (original === undefined) {
    throw new Error(`@tensorflow/tfjs-backend-wasm registered no "${kernelName}" kernel; is it loaded?`);
  }
  return original;
}
