import { type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocate, heapView, release } from './heap';

/**
 * Add where one float32 operand repeats along the other's leading axes (a bias: [n, h, w, c] + [c]). Wasm's Add
 * broadcasts with a slow generic loop (0.71 ms for LeNet's first conv output) but adds equal shapes with SIMD
 * (0.06 ms), and repeating the bias to full size with memory copies costs less than the difference.
 */
export function makeAdd(original: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const [full, repeated] = repeatsAlongLeadingAxes(b, a) ? [a, b] : [b, a];
    if (!repeatsAlongLeadingAxes(repeated, full)) return original(args);
    const backend = args.backend as BackendWasm;
    const expanded = allocate(backend, full.shape);
    const target = heapView(backend, expanded);
    const period = util.sizeFromShape(repeated.shape);
    target.set(heapView(backend, repeated));
    for (let filled = period; filled < target.length; filled *= 2) target.copyWithin(filled, 0, Math.min(filled, target.length - filled));
    const sum = original({ ...args, inputs: { a: full, b: expanded } });
    release(backend, expanded);
    return sum;
  };
}

/** Whether `small`'s shape is a proper trailing part of `large`'s (leading 1s allowed), both float32. */
function repeatsAlongLeadingAxes(small: TensorInfo, large: TensorInfo): boolean {
  if (small.dtype !== 'float32' || large.dtype !== 'float32') return false;
  const firstNotOne = small.shape.findIndex((size) => size !== 1);
  const trailing = firstNotOne < 0 ? [] : small.shape.slice(firstNotOne);
  const size = util.sizeFromShape(trailing);
  return (
    small.shape.length <= large.shape.length &&
    size > 0 &&
    size < util.sizeFromShape(large.shape) &&
    trailing.every((dim, i) => dim === large.shape[large.shape.length - trailing.length + i])
  );
}
