/**
 * The script each thread of the multi-threaded wasm backend runs (a Node worker). tfjs-backend-wasm ships
 * Emscripten's thread script only as a string, meant for a browser Blob URL, which Node's `Worker` cannot load: this
 * file runs that string in the worker, where Emscripten's script expects CommonJS's `require` and `__filename`.
 */
import * as vm from 'node:vm';

const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as {
  wasmWorkerContents: string;
};
// The package escapes its newlines for a Blob ("\n" inside the script's string literals became real line breaks).
const source = wasmWorkerContents.replace(/\n/g, '\\n');
const run = vm.runInThisContext(`(function (require, __filename) {${source}\n})`, { filename: 'tfjs-backend-wasm-threaded-simd.worker.js' }) as (
  load: NodeJS.Require,
  filename: string,
) => void;
run(require, __filename);
