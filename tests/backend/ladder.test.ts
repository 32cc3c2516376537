import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { describeThreads, wasmThreadSetting } from '../../src/backend/wasm/threads';
import { isInstalled } from './installed';
import {
  BACKEND_ENV,
  BackendUnavailable,
  formatBackendTable,
  type Ladder,
  probeBackends,
  type Rung,
  useBestBackend,
} from '../../src/backend';

/** Rungs that fail in chosen ways; the working ones select TF.js's real cpu backend. */
const works = (name: Rung['name'], detail = 'works'): Rung => ({ name, prepare: async () => ({ tfBackend: 'cpu', detail }) });
const throws = (name: Rung['name'], message: string): Rung => ({ name, prepare: async () => Promise.reject(new Error(message)) });
const absent = (name: Rung['name'], message: string): Rung => ({ name, prepare: async () => Promise.reject(new BackendUnavailable(message)) });
const hangs = (name: Rung['name']): Rung => ({ name, prepare: () => new Promise(() => undefined) });
const ladderOf = (...rungs: Rung[]): Ladder => ({ rungs, timeoutMs: 50 });

describe('the backend ladder', () => {
  let savedEnv: string | undefined;
  beforeEach(() => {
    savedEnv = process.env[BACKEND_ENV];
    delete process.env[BACKEND_ENV];
  });
  afterEach(() => {
    if (savedEnv === undefined) delete process.env[BACKEND_ENV];
    else process.env[BACKEND_ENV] = savedEnv;
  });

  it('chooses the first rung that works and says why each faster one was passed over', async () => {
    const choice = await useBestBackend(
      { quiet: true },
      ladderOf(
        absent('tensorflow-gpu', '@tensorflow/tfjs-node-gpu is not installed'),
        throws('webgpu', 'Dawn found no WebGPU adapter'),
        hangs('tensorflow'),
        works('wasm', 'XNNPACK'),
        works('cpu'),
      ),
    );
    expect(choice).to.deep.equal({
      name: 'wasm',
      attempts: [
        { name: 'tensorflow-gpu', status: 'skipped', reason: '@tensorflow/tfjs-node-gpu is not installed' },
        { name: 'webgpu', status: 'failed', reason: 'Dawn found no WebGPU adapter' },
        { name: 'tensorflow', status: 'failed', reason: 'did not become ready within 0.05 s' },
        { name: 'wasm', status: 'chosen', reason: 'XNNPACK' },
        { name: 'cpu', status: 'not tried', reason: 'wasm was chosen' },
      ],
    });
    expect(tf.getBackend()).to.equal('cpu');
  });

  it('prints the choice and the table unless quiet', async () => {
    const printed = await captureLog(() => useBestBackend({}, ladderOf(throws('webgpu', 'no adapter'), works('cpu', 'pure JavaScript'))));
    expect(printed).to.equal(
      'TensorFlow.js backend: cpu\n' + 'webgpu: failed — no adapter\n' + 'cpu:    chosen — pure JavaScript',
    );
  });

  it('uses the backend CONVLAB_BACKEND names, trying no other', async () => {
    process.env[BACKEND_ENV] = 'cpu';
    const choice = await useBestBackend({ quiet: true }, ladderOf(throws('wasm', 'never called'), works('cpu')));
    expect(choice.attempts).to.deep.equal([
      { name: 'wasm', status: 'not tried', reason: 'CONVLAB_BACKEND=cpu forces cpu' },
      { name: 'cpu', status: 'chosen', reason: 'works' },
    ]);
  });

  it('lets the force option override CONVLAB_BACKEND', async () => {
    process.env[BACKEND_ENV] = 'cpu';
    const choice = await useBestBackend({ force: 'wasm', quiet: true }, ladderOf(works('wasm'), works('cpu')));
    expect(choice.name).to.equal('wasm');
    expect(choice.attempts[1]).to.deep.equal({ name: 'cpu', status: 'not tried', reason: "force: 'wasm' forces wasm" });
  });

  it('rejects an unknown CONVLAB_BACKEND, listing the valid names', async () => {
    process.env[BACKEND_ENV] = 'gpu';
    await expectRejection(
      useBestBackend({ quiet: true }),
      'CONVLAB_BACKEND=gpu names no backend convlab knows; valid names: tensorflow-gpu, webgpu, tensorflow, wasm, cpu',
    );
  });

  it('fails, saying why, when the forced backend cannot start', async () => {
    process.env[BACKEND_ENV] = 'webgpu';
    await expectRejection(
      useBestBackend({ quiet: true }, ladderOf(throws('webgpu', 'Dawn found no WebGPU adapter'), works('cpu'))),
      'CONVLAB_BACKEND=webgpu forces webgpu, which cannot be used: Dawn found no WebGPU adapter',
    );
  });

  it('fails with the whole table when no rung works', async () => {
    await expectRejection(
      useBestBackend({ quiet: true }, ladderOf(absent('wasm', 'gone'), hangs('cpu'))),
      'No TensorFlow.js backend works here:\nwasm: skipped — gone\ncpu:  failed — did not become ready within 0.05 s',
    );
  });

  it('probes every rung, marking working ones below the fastest as available', async () => {
    const attempts = await probeBackends(ladderOf(throws('webgpu', 'no adapter'), works('wasm', 'XNNPACK'), works('cpu', 'JS')));
    expect(formatBackendTable(attempts)).to.equal(
      'webgpu: failed — no adapter\nwasm:   chosen — XNNPACK\ncpu:    available — JS',
    );
  });
});

describe('the real rungs on this machine', () => {
  it('skip the packages that are not installed, saying how to get the libtensorflow ones', async function () {
    const attempts = await probeBackends();
    const byName = Object.fromEntries(attempts.map((attempt) => [attempt.name, attempt]));
    const version = tf.version.tfjs;
    const absent: [name: string, packageName: string, reason: string][] = [
      ['tensorflow-gpu', '@tensorflow/tfjs-node-gpu', `@tensorflow/tfjs-node-gpu is not installed (for an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1: npm install @tensorflow/tfjs-node-gpu@${version})`],
      ['tensorflow', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node is not installed (npm ci installs it where it can download libtensorflow)'],
      ['webgpu', 'webgpu', 'webgpu is not installed'],
    ];
    for (const [name, packageName, reason] of absent) {
      if (!isInstalled(packageName)) expect(byName[name]).to.deep.equal({ name, status: 'skipped', reason });
    }
    // Where tfjs-node installed, its native kernels come before wasm.
    const wasmStatus = isInstalled('@tensorflow/tfjs-node') ? 'available' : 'chosen';
    const threads = describeThreads(wasmThreadSetting());
    expect(byName.wasm).to.deep.equal({ name: 'wasm', status: wasmStatus, reason: `XNNPACK, ${threads}, with convlab training kernels` });
    expect(byName.cpu).to.deep.equal({ name: 'cpu', status: 'available', reason: 'pure JavaScript' });
  });
});

async function captureLog(action: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(' '));
  try {
    await action();
  } finally {
    console.log = original;
  }
  return lines.join('\n');
}

async function expectRejection(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, 'expected a rejection').to.be.instanceOf(Error);
  expect((error as Error).message).to.equal(message);
}
