import { backend_util, type GatherV2Attrs, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Slices shorter than this go to wasm's own kernel: one copy call per slice only pays off for long slices. */
const MIN_SLICE = 64;

/**
 * GatherV2 of whole slices (batchDims 0) as one memory copy per slice. model.fit cuts every batch out of the
 * training set with a gather, and wasm's own kernel copies element by element: 2.7 ms for a batch of 64 MNIST
 * images against 0.03 ms here.
 */
export function makeGatherV2(original: KernelFunc): KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as GatherV2Attrs;
    if (batchDims !== 0 || x.dtype === 'string' || x.dtype === 'complex64') return original(args);
    const parsedAxis = util.parseAxisParam(axis, x.shape)[0];
    const { outerSize, dimSize, sliceSize, outputShape } = backend_util.segment_util.collectGatherOpShapeInfo(
      x,
      indices,
      parsedAxis,
      0,
    );
    const rows = backend.typedArrayFromHeap(indices);
    // Out-of-range indices go to wasm's own kernel too, for its error message.
    if (sliceSize < MIN_SLICE || rows.some((row) => row < 0 || row >= dimSize)) return original(args);

    const out = backend.makeOutput(outputShape, x.dtype);
    // Views are taken after the allocation, which may grow (and detach) the heap.
    const source = backend.typedArrayFromHeap(x);
    const target = backend.typedArrayFromHeap(out);
    const picked = backend.typedArrayFromHeap(indices);
    let to = 0;
    for (let outer = 0; outer < outerSize; outer++) {
      for (const row of picked) {
        const from = (outer * dimSize + row) * sliceSize;
        target.set(source.subarray(from, from + sliceSize), to);
        to += sliceSize;
      }
    }
    return out;
  };
}
