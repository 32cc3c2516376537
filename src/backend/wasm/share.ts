import type { CastAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Identity, and Cast to the dtype a tensor already has, as a second reference to the same memory (what the cpu
 * backend and wasm's own Reshape do: tensors are immutable). Wasm's own kernels copy, and the engine clones every
 * tensor it saves for the backward pass through Identity, so each training step copied every saved activation.
 */
export function makeIdentity(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    return x.dtype === 'string' ? original(args) : share(args.backend as BackendWasm, x);
  };
}

export function makeCast(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { dtype } = args.attrs as unknown as CastAttrs;
    return dtype === x.dtype && dtype !== 'string' ? share(args.backend as BackendWasm, x) : original(args);
  };
}

function share(backend: BackendWasm, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}
