import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { expect } from 'chai';
import { useBestBackend } from '../../src/backend';
import { MAX_WASM_THREADS, registerWasmBackend, WASM_THREADS_ENV, wasmThreadSetting } from '../../src/backend/wasm/threads';
import { randomValues } from './compare';

describe('how many threads wasm uses', () => {
  it('uses half the logical cores this process may use, at least 1 and at most the threaded build takes', () => {
    expect(wasmThreadSetting({}, true, 1)).to.deep.equal({ threads: 1 });
    expect(wasmThreadSetting({}, true, 2)).to.deep.equal({ threads: 1 });
    expect(wasmThreadSetting({}, true, 8)).to.deep.equal({ threads: 4 });
    expect(wasmThreadSetting({}, true, 64)).to.deep.equal({ threads: MAX_WASM_THREADS });
  });

  it(`follows ${WASM_THREADS_ENV}, and says so`, () => {
    expect(wasmThreadSetting({ [WASM_THREADS_ENV]: '3' }, true, 2)).to.deep.equal({ threads: 3, because: `${WASM_THREADS_ENV}=3` });
  });

  it(`refuses a ${WASM_THREADS_ENV} that is no thread count, in one line`, () => {
    for (const value of ['0', '1.5', 'two', String(MAX_WASM_THREADS + 1)]) {
      expect(() => wasmThreadSetting({ [WASM_THREADS_ENV]: value }, true, 2)).to.throw(
        `${WASM_THREADS_ENV}=${value} is not a whole number of threads from 1 to ${MAX_WASM_THREADS}`,
      );
    }
  });

  it("uses one thread where Node's permission model allows no workers (the grader's sandbox)", () => {
    expect(wasmThreadSetting({ [WASM_THREADS_ENV]: '2' }, false, 2)).to.deep.equal({
      threads: 1,
      because: "Node's permission model allows no workers",
    });
  });
});

/** A small conv network with fixed starting weights, trained a few steps; returns every weight's values after. */
async function trainedWeights(): Promise<Float32Array[]> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  model.setWeights(model.getWeights().map((weight, index) => tf.tensor(randomValues(weight.shape, 100 + index), weight.shape)));
  const xs = tf.tensor4d(randomValues([64, 16, 16, 3], 1), [64, 16, 16, 3]);
  const ys = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 4), 'int32'), 4).toFloat();
  await model.fit(xs, ys, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
  const weights = await Promise.all(model.getWeights().map(async (weight) => (await weight.data()) as Float32Array));
  tf.dispose([xs, ys]);
  model.dispose();
  return weights;
}

describe('wasm on several threads', () => {
  const saved = process.env[WASM_THREADS_ENV];
  const useThreads = async (threads: number) => {
    process.env[WASM_THREADS_ENV] = String(threads);
    return useBestBackend({ force: 'wasm', quiet: true });
  };
  after(async () => {
    if (saved === undefined) delete process.env[WASM_THREADS_ENV];
    else process.env[WASM_THREADS_ENV] = saved;
    await useBestBackend({ force: 'wasm', quiet: true });
  });

  it('starts XNNPACK with the threads asked for, also on a machine with fewer cores', async () => {
    const choice = await useThreads(3);
    expect(getThreadsCount()).to.equal(3);
    expect(choice.attempts.find((attempt) => attempt.name === 'wasm')?.reason).to.equal(
      `XNNPACK, 3 threads (${WASM_THREADS_ENV}=3), with convlab training kernels`,
    );
    await useThreads(1);
    expect(getThreadsCount()).to.equal(1);
  });

  it('falls back to one thread, and says why, when the threaded build cannot start', async () => {
    await useThreads(1);
    registerWasmBackend(2, () => {
      throw new Error('no thread script here');
    });
    const choice = await useThreads(2);
    expect(choice.name).to.equal('wasm');
    expect(getThreadsCount()).to.equal(1);
    expect(choice.attempts.find((attempt) => attempt.name === 'wasm')?.reason).to.equal(
      'XNNPACK, 1 thread (2 threads could not start: no thread script here), with convlab training kernels',
    );
    await useThreads(1);
  });

  it('trains to exactly the weights one thread gives (grades do not depend on the machine)', async () => {
    await useThreads(1);
    const single = await trainedWeights();
    await useThreads(2);
    const threaded = await trainedWeights();
    expect(threaded.map((values) => Array.from(values))).to.deep.equal(single.map((values) => Array.from(values)));
  });
});

const built = path.join(__dirname, '..', '..', 'dist', 'src', 'backend', 'index.js');

describe('an uncaught error after wasm started its threads', () => {
  it("reads as Node prints it, without the threaded build's minified source", function () {
    if (!fs.existsSync(built)) this.skip(); // needs `npm run build`
    const script = `require(${JSON.stringify(built)}).useBestBackend({ force: 'wasm', quiet: true })
      .then(() => setTimeout(() => { throw new Error('an error of the learner'); }))`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, [WASM_THREADS_ENV]: '2' } });
    expect(run.stderr).to.include('Error: an error of the learner');
    expect(run.stderr).not.to.include('GROWABLE_HEAP');
    expect(run.status).to.equal(1);
  });
});

describe("wasm under Node's permission model without workers (the grader's sandbox)", () => {
  it('chooses wasm on one thread and says why', function () {
    if (!fs.existsSync(built)) this.skip(); // needs `npm run build`: tsx itself would need a worker here
    const script = `require(${JSON.stringify(built)}).useBestBackend({ force: 'wasm', quiet: true })
      .then((choice) => console.log(choice.attempts.find((attempt) => attempt.name === 'wasm').reason))`;
    const run = spawnSync(process.execPath, ['--experimental-permission', '--allow-fs-read=*', '--no-warnings', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, [WASM_THREADS_ENV]: '2' },
    });
    expect(run.stdout.trim(), run.stderr).to.equal("XNNPACK, 1 thread (Node's permission model allows no workers), with convlab training kernels");
    expect(run.status).to.equal(0);
  });
});
