import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../wasm';
import { describeThreads, registerWasmBackend, wasmThreadsFailure, wasmThreadSetting, withoutEmscriptenRethrow } from '../wasm/threads';
import { createBackend } from './create_backend';
import type { Rung } from '../types';

/**
 * WebAssembly (XNNPACK) with convlab's training kernels, on one thread or several (see ../wasm/threads.ts). The
 * .wasm binaries are read from the installed package: notebooks and the grader run without network.
 */
export const wasmRung: Rung = {
  name: 'wasm',
  async prepare() {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof wasmBackend;
    const packageRoot = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    // Wasm refuses new paths once it has started; a second useBestBackend() (a re-run cell) finds it started.
    if (tf.engine().registry.wasm === undefined) wasm.setWasmPaths(path.join(packageRoot, 'dist') + path.sep);
    const setting = wasmThreadSetting();
    registerWasmBackend(setting.threads);
    registerWasmTrainingKernels();
    // Started here rather than by the ladder, so that the table says how many threads it got.
    await withoutEmscriptenRethrow(() => createBackend('wasm'));
    const running = { threads: wasm.getThreadsCount(), because: wasmThreadsFailure() ?? setting.because };
    return { tfBackend: 'wasm', detail: `XNNPACK, ${describeThreads(running)}, with convlab training kernels` };
  },
};
