import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../wasm';
import type { Rung } from '../types';

/**
 * WebAssembly (XNNPACK) with convlab's training kernels. The .wasm binaries are read from the installed package:
 * notebooks and the grader run without network.
 */
export const wasmRung: Rung = {
  name: 'wasm',
  async prepare() {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof wasmBackend;
    const packageRoot = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    // Wasm refuses new paths once it has started; a second useBestBackend() (a re-run cell) finds it started.
    if (tf.engine().registry.wasm === undefined) wasm.setWasmPaths(path.join(packageRoot, 'dist') + path.sep);
    registerWasmTrainingKernels();
    return { tfBackend: 'wasm', detail: 'XNNPACK, with convlab training kernels' };
  },
};
