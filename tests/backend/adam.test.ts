import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { type BackendName, useBestBackend } from '../../src/backend';
import { ADAM_UPDATE } from '../../src/backend/wasm/adam';
import { expectClose, randomValues } from './compare';

const SHAPES = { kernel: [3, 4], bias: [4] } as const;
const STEPS = 3;

interface AdamRun {
  /** Variables' and optimizer weights' (iterations, moments) names and values after the steps. */
  readonly weights: Array<{ name: string; values: Float32Array }>;
  /** Kernels run by the last applyGradients. */
  readonly kernels: string[];
}

/** Three Adam steps on two variables, from seeded values and gradients, on one backend. */
async function adamSteps(backend: BackendName): Promise<AdamRun> {
  await useBestBackend({ force: backend, quiet: true });
  const variables = Object.entries(SHAPES).map(([name, shape], i) =>
    tf.variable(tf.tensor(randomValues(shape, i + 1), [...shape]), true, `adam-test-${name}`),
  );
  const optimizer = tf.train.adam(0.05);
  let kernels: string[] = [];
  for (let step = 0; step < STEPS; step++) {
    const gradients = variables.map((variable, i) => ({
      name: variable.name, tensor: tf.tensor(randomValues(variable.shape, 10 * step + i), variable.shape),
    }));
    kernels = (await tf.profile(() => optimizer.applyGradients(gradients))).kernels.map((kernel) => kernel.name);
    tf.dispose(gradients.map(({ tensor }) => tensor));
  }
  const named = [...variables.map((variable) => ({ name: variable.name, tensor: variable as tf.Tensor })), ...(await optimizer.getWeights())];
  const weights = await Promise.all(named.map(async ({ name, tensor }) => ({ name, values: (await tensor.data()) as Float32Array })));
  tf.dispose(variables);
  optimizer.dispose();
  return { weights, kernels };
}

describe('tf.train.adam with convlab\'s wasm kernels', () => {
  let cpu: AdamRun;
  let wasm: AdamRun;
  before(async () => {
    cpu = await adamSteps('cpu');
    wasm = await adamSteps('wasm');
  });

  it('updates variables, moments and the iteration count as TF.js\'s own Adam does on cpu', () => {
    expect(wasm.weights.map((weight) => weight.name)).to.deep.equal(cpu.weights.map((weight) => weight.name));
    cpu.weights.forEach((expected, i) => expectClose(wasm.weights[i].values, expected.values, 1e-5));
  });

  it(`updates each variable with one ${ADAM_UPDATE} kernel on wasm`, () => {
    expect(wasm.kernels.filter((name) => name === ADAM_UPDATE)).to.have.length(Object.keys(SHAPES).length);
  });

  it('leaves other backends on TF.js\'s own Adam', () => {
    expect(cpu.kernels).to.not.include(ADAM_UPDATE);
    expect(cpu.kernels).to.include('Sqrt');
  });
});
