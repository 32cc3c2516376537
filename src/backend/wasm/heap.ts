import { getKernel, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Helpers for kernels that work directly on the wasm heap. Kernels compose wasm's own (XNNPACK) kernels and fill
 * small intermediate tensors with JavaScript loops; every intermediate is released before the kernel returns.
 */

/**
 * A float32 view of a tensor's memory. Take it after the last allocation that precedes its use: allocating may grow
 * the wasm heap, which detaches every earlier view.
 */
export function heapView(backend: BackendWasm, tensor: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(tensor) as Float32Array;
}

/** Allocates an uninitialised float32 tensor on the heap. */
export function allocate(backend: BackendWasm, shape: readonly number[]): TensorInfo {
  return backend.makeOutput([...shape], 'float32');
}

/** Runs the kernel registered for wasm under `kernelName` (convlab composes only kernels it does not replace). */
export function runWasmKernel(
  backend: BackendWasm,
  kernelName: string,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
): TensorInfo {
  const kernel = getKernel(kernelName, 'wasm');
  if (kernel === undefined) {
    throw new Error(`The wasm backend has no "${kernelName}" kernel to build on.`);
  }
  return kernel.kernelFunc({ inputs, attrs, backend }) as TensorInfo;
}

/** Frees intermediates a kernel allocated and does not return. */
export function release(backend: BackendWasm, ...tensors: TensorInfo[]): void {
  for (const tensor of tensors) backend.disposeData(tensor.dataId);
}
