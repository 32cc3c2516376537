import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocate, heapView } from './heap';

/**
 * Adam's update of one variable as one kernel. TF.js's AdamOptimizer spends 14 elementwise kernels per variable
 * (140 of LeNet-5's 255 kernel calls per step), each paying the engine's bookkeeping on a few thousand values;
 * on wasm, convlab's optimizer runs this kernel instead (see `fuseAdamOnWasm`).
 */
export const ADAM_UPDATE = 'ConvlabAdamUpdate';

export interface AdamUpdateAttrs {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly learningRate: number;
}

/**
 * Inputs: value, m, v, gradient (one shape) and the scalars accBeta1, accBeta2 (β₁ᵗ, β₂ᵗ).
 * Outputs: [new value, new m, new v], the same arithmetic as AdamOptimizer.applyGradients.
 */
export const adamUpdate: KernelFunc = (args) => {
  const backend = args.backend as BackendWasm;
  const { value, m, v, gradient, accBeta1, accBeta2 } = args.inputs as Record<string, TensorInfo>;
  const { beta1, beta2, epsilon, learningRate } = args.attrs as unknown as AdamUpdateAttrs;
  const outputs = [allocate(backend, value.shape), allocate(backend, value.shape), allocate(backend, value.shape)];
  const [newValue, newM, newV] = outputs.map((output) => heapView(backend, output));
  const [oldValue, oldM, oldV, g] = [value, m, v, gradient].map((input) => heapView(backend, input));
  // Bias corrections folded into the step size and the second moment's scale, once per call, not per value.
  const stepSize = learningRate / (1 - heapView(backend, accBeta1)[0]);
  const secondScale = 1 / (1 - heapView(backend, accBeta2)[0]);
  for (let i = 0; i < g.length; i++) {
    const first = beta1 * oldM[i] + (1 - beta1) * g[i];
    const second = beta2 * oldV[i] + (1 - beta2) * g[i] * g[i];
    newM[i] = first;
    newV[i] = second;
    newValue[i] = oldValue[i] - (stepSize * first) / (Math.sqrt(second * secondScale) + epsilon);
  }
  return outputs;
};

/** The private state of TF.js's AdamOptimizer that its applyGradients reads and writes. */
interface AdamState {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly learningRate: number;
  readonly accBeta1: tf.Variable;
  readonly accBeta2: tf.Variable;
  readonly accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  readonly accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  incrementIterations(): void;
}

type ApplyGradients = tf.Optimizer['applyGradients'];
type VariableGradients = Parameters<ApplyGradients>[0];

let fused = false;

/**
 * Makes every tf.train.adam optimizer update each variable with ADAM_UPDATE while wasm is the active backend (other
 * backends keep TF.js's own code). Notebooks keep writing `tf.train.adam(...)`; state, names and saved weights are
 * the same as TF.js's, so switching backends mid-training is fine. Safe to call more than once.
 */
export function fuseAdamOnWasm(): void {
  if (fused) return;
  fused = true;
  const original = tf.AdamOptimizer.prototype.applyGradients as ApplyGradients;
  tf.AdamOptimizer.prototype.applyGradients = function (this: tf.AdamOptimizer, variableGradients) {
    if (tf.getBackend() !== 'wasm') return original.call(this, variableGradients);
    applyFused(this as unknown as AdamState, variableGradients);
  };
}

function applyFused(adam: AdamState, variableGradients: VariableGradients): void {
  const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
  const attrs: AdamUpdateAttrs = { beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon, learningRate: adam.learningRate };
  tf.tidy(() => {
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      // Moments are created as TF.js creates them (same names, not trainable), so getWeights/setWeights still work.
      adam.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: zeroVariable(value) };
      adam.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: zeroVariable(value) };
      const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
      if (gradient == null) return;
      const m = adam.accumulatedFirstMoment[i].variable;
      const v = adam.accumulatedSecondMoment[i].variable;
      const inputs = { value, m, v, gradient, accBeta1: adam.accBeta1, accBeta2: adam.accBeta2 };
      const [newValue, newM, newV] = tf.engine().runKernel(ADAM_UPDATE, inputs, { ...attrs }) as tf.Tensor[];
      m.assign(newM);
      v.assign(newV);
      value.assign(newValue);
    });
    adam.accBeta1.assign(tf.mul(adam.accBeta1, adam.beta1));
    adam.accBeta2.assign(tf.mul(adam.accBeta2, adam.beta2));
  });
  adam.incrementIterations();
}

function zeroVariable(like: tf.Tensor): tf.Variable {
  return tf.tidy(() => tf.zerosLike(like).variable(false));
}
