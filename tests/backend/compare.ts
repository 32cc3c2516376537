import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { seededRandom } from '../../src/core/random';
import { useBestBackend, type BackendName } from '../../src/backend';

/** Uniform values in [-1, 1) from a fixed seed, so a failing case fails the same way every run. */
export function randomValues(shape: readonly number[], seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: shape.reduce((size, dim) => size * dim, 1) }, () => random() * 2 - 1);
}

/** Exact int32 values for an input (indices), where random floats would not do. */
export interface IntInput {
  readonly shape: readonly number[];
  readonly int32: readonly number[];
}

export interface KernelCase {
  readonly title: string;
  readonly kernelName: string;
  /** A shape (filled with seeded random floats) or exact int32 values, by input name. */
  readonly inputs: Readonly<Record<string, readonly number[] | IntInput>>;
  readonly attrs: Readonly<Record<string, unknown>>;
}

/** Runs one kernel on a backend from the same seeded inputs and returns its output shape and values. */
export async function runOn(backend: BackendName, kernel: KernelCase): Promise<{ shape: number[]; values: Float32Array }> {
  await useBestBackend({ force: backend, quiet: true });
  const inputs = Object.fromEntries(
    Object.entries(kernel.inputs).map(([name, input], index) => [
      name,
      'int32' in input ? tf.tensor(input.int32, [...input.shape], 'int32') : tf.tensor(randomValues(input, index + 1), [...input]),
    ]),
  );
  const output = tf.engine().runKernel(kernel.kernelName, inputs, kernel.attrs as tf.NamedAttrMap) as tf.Tensor;
  const result = { shape: output.shape, values: (await output.data()) as Float32Array };
  tf.dispose([output, ...Object.values(inputs)]);
  return result;
}

/** Asserts |actual − expected| ≤ tolerance · max(1, |expected|) element by element, naming the first miss. */
export function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number): void {
  expect(actual.length, 'number of values').to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const allowed = tolerance * Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= allowed)) {
      expect.fail(`value ${i} is ${actual[i]}, expected ${expected[i]} ± ${allowed}`);
    }
  }
}
