import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import type * as wasmBackend from '@tensorflow/tfjs-backend-wasm';

/**
 * The wasm backend on several threads in Node. tfjs-backend-wasm ships a multi-threaded SIMD build, but never uses it
 * in Node (its WASM_HAS_MULTITHREAD_SUPPORT flag is false there) and, in Node, could not start its threads (it hands
 * Emscripten Blob URLs, which Node's Worker cannot load). Here the build gets real file paths instead, and XNNPACK's
 * thread pool the size asked for: the build caps it at half the logical cores it is told about (it assumes two
 * hardware threads per core), so it is told twice the threads wanted.
 */

/** Threads for XNNPACK on wasm, e.g. CONVLAB_WASM_THREADS=2; by default, half the logical cores (see wasmThreadSetting). */
export const WASM_THREADS_ENV = 'CONVLAB_WASM_THREADS';
/** The threaded build caps XNNPACK's pool at 8 threads. */
export const MAX_WASM_THREADS = 8;

export interface ThreadSetting {
  readonly threads: number;
  /** Why that many, for the ladder's table when it is not the default. */
  readonly because?: string;
}

/**
 * How many threads wasm should use. Under Node's permission model without `--allow-worker` (the grader's sandbox)
 * threads cannot start: one thread. Otherwise CONVLAB_WASM_THREADS, or by default half the logical cores this process
 * may use, as tfjs-backend-wasm does in browsers: most CPUs run two hardware threads per core, and a second thread on a
 * core adds little to SIMD arithmetic. On a busy 2-core machine (load 12–24) two threads trained at 0.3–2.3× the
 * speed of one and took up to 89% more CPU time per sample (XNNPACK also splits small kernels across threads), so
 * such a machine keeps one thread unless asked: see bench/README.md.
 */
export function wasmThreadSetting(
  env: NodeJS.ProcessEnv = process.env,
  mayStartWorkers: boolean = process.permission?.has('worker') ?? true,
  cores: number = os.availableParallelism(),
): ThreadSetting {
  if (!mayStartWorkers) return { threads: 1, because: "Node's permission model allows no workers" };
  const asked = env[WASM_THREADS_ENV];
  if (asked === undefined || asked === '') return { threads: Math.max(1, Math.min(Math.floor(cores / 2), MAX_WASM_THREADS)) };
  const threads = Number(asked);
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new Error(`${WASM_THREADS_ENV}=${asked} is not a whole number of threads from 1 to ${MAX_WASM_THREADS}`);
  }
  return { threads, because: `${WASM_THREADS_ENV}=${asked}` };
}

/** "2 threads", "1 thread (CONVLAB_WASM_THREADS=1)": for the ladder's table. */
export function describeThreads({ threads, because }: ThreadSetting): string {
  return `${threads} thread${threads === 1 ? '' : 's'}${because === undefined ? '' : ` (${because})`}`;
}

type BackendFactory = () => Promise<tf.KernelBackend>;

/** The thread count the registered 'wasm' factory (or the started backend) is for, and the package's own factory. */
let registered: { threads: number; packageFactory: BackendFactory } | undefined;
/** Why the last threaded start fell back to one thread, if it did. */
let threadsFailure: string | undefined;

/**
 * Registers the 'wasm' backend for `threads` threads: the package's own single-threaded SIMD build for 1, the
 * multi-threaded build otherwise, falling back to one thread (see `wasmThreadsFailure`) if that build cannot start:
 * wasm on one thread is still far faster than the pure-JS backend the ladder would otherwise pick. A backend already
 * started with another count is removed first (its tensors with it). `workerScript` is for tests.
 */
export function registerWasmBackend(threads: number, workerScript: () => string = pthreadWorkerScript): void {
  const engine = tf.engine();
  if (registered === undefined) {
    const own = engine.registryFactory.wasm;
    if (own === undefined) throw new Error('@tensorflow/tfjs-backend-wasm registered no "wasm" backend; is it loaded?');
    // A backend someone started before convlab was asked is the package's own: one thread.
    registered = { threads: 1, packageFactory: own.factory as BackendFactory };
  }
  if (registered.threads === threads) return;
  const { packageFactory } = registered;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof wasmBackend;
  tf.removeBackend('wasm');
  wasm.setThreadsCount(threads);
  threadsFailure = undefined;
  const threaded = async () => {
    try {
      return await createThreadedBackend(wasm, threads, workerScript);
    } catch (error) {
      threadsFailure = `${threads} threads could not start: ${(error as Error).message.split('\n')[0]}`;
      wasm.setThreadsCount(1);
      return packageFactory();
    }
  };
  tf.registerBackend('wasm', threads === 1 ? packageFactory : threaded, WASM_PRIORITY);
  registered = { threads, packageFactory };
}

/** Why wasm runs on one thread though more were asked for (its threaded build failed to start), if it does. */
export function wasmThreadsFailure(): string | undefined {
  return threadsFailure;
}

/** The priority tfjs-backend-wasm registers its backend with. */
const WASM_PRIORITY = 2;

/** The parts of the Emscripten module used here and by BackendWasm (its own typings need @types/emscripten). */
interface ThreadedModule {
  cwrap(name: string, returnType: string | null, argumentTypes: string[]): (...args: number[]) => number;
  PThread: { runningWorkers: { unref(): void }[] };
  tfjs?: unknown;
}

type ThreadedFactory = (config: {
  locateFile(file: string): string;
  mainScriptUrlOrBlob: string;
  instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void): object;
}) => Promise<ThreadedModule>;

const THREADED_BUILD = 'tfjs-backend-wasm-threaded-simd';

/**
 * Runs `start` (which loads an Emscripten build) and removes the `uncaughtException` / `unhandledRejection` listeners
 * it added. Emscripten's Node glue rethrows every uncaught exception from inside such a listener, so Node exits with
 * code 7 instead of letting the process's own handlers see the error (a stray timer error in a learner's cell then
 * ends the whole grading run or kills the kernel), and prints the build's 50 kB minified line above the error.
 */
export async function withoutEmscriptenRethrow<T>(start: () => Promise<T>): Promise<T> {
  const before = new Set<unknown>([...process.listeners('uncaughtException'), ...process.listeners('unhandledRejection')]);
  try {
    return await start();
  } finally {
    for (const listener of process.listeners('uncaughtException')) {
      if (!before.has(listener)) process.off('uncaughtException', listener);
    }
    for (const listener of process.listeners('unhandledRejection')) {
      if (!before.has(listener)) process.off('unhandledRejection', listener);
    }
  }
}

async function createThreadedBackend(wasm: typeof wasmBackend, threads: number, workerScript: () => string): Promise<tf.KernelBackend> {
  const buildFolder = path.dirname(require.resolve(`@tensorflow/tfjs-backend-wasm/wasm-out/${THREADED_BUILD}.js`));
  const script = path.join(buildFolder, `${THREADED_BUILD}.js`);
  const worker = workerScript();
  const factory = loadThreadedFactory(script, threads - 1);
  const module = await withoutEmscriptenRethrow(() => factory({
    locateFile: (file) => (file.endsWith('.worker.js') ? worker : path.join(buildFolder, file)),
    // Each worker evaluates the build's script again to get the module factory.
    mainScriptUrlOrBlob: script,
    instantiateWasm(imports, receive) {
      const env = imports.env as Record<string, unknown>;
      env.emscripten_num_logical_cores = () => 2 * threads;
      // Synchronously, so that a failure rejects the factory's promise (Emscripten catches what this throws).
      const compiled = new WebAssembly.Module(fs.readFileSync(path.join(buildFolder, `${THREADED_BUILD}.wasm`)));
      const instance = new WebAssembly.Instance(compiled, imports);
      receive(instance, compiled);
      return instance.exports;
    },
  }));
  // The same bindings tfjs-backend-wasm's own loader adds; BackendWasm calls them.
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  const backend = new wasm.BackendWasm(module as unknown as ConstructorParameters<typeof wasm.BackendWasm>[0]);
  // XNNPACK's pool threads wait for work forever; unreferenced, they do not keep Node from exiting.
  for (const worker of module.PThread.runningWorkers) worker.unref();
  return backend;
}

/**
 * The threaded build's module factory, made to start `workers` workers (the threads besides the calling one that
 * XNNPACK's pool runs on) instead of the 8 it starts, each of which costs Node an isolate: 0.7 s of start-up on an
 * idle 2-core machine, 3–4 s on a busy one. Workers must be started before the pool needs them (the main thread
 * blocks while the pool starts), so no fewer. Where the build does not read as expected, it starts its 8.
 */
function loadThreadedFactory(script: string, workers: number): ThreadedFactory {
  const source = fs.readFileSync(script, 'utf8');
  const poolSize = /var pthreadPoolSize=8;/g;
  if (source.match(poolSize)?.length !== 1) return require(script) as ThreadedFactory;
  const resized = source.replace(poolSize, `var pthreadPoolSize=${workers};`);
  const wrapped = vm.runInThisContext(`(function (module, exports, require, __filename, __dirname) {${resized}\n})`, {
    filename: script,
  }) as (module: { exports: unknown }, exports: unknown, load: NodeJS.Require, filename: string, dirname: string) => void;
  const module = { exports: {} as unknown };
  wrapped(module, module.exports, require, script, path.dirname(script));
  return module.exports as ThreadedFactory;
}

/** ./pthread_worker.js beside this file once built; from TypeScript sources (tests), the build's copy in dist/. */
function pthreadWorkerScript(): string {
  const candidates = [
    path.join(__dirname, 'pthread_worker.js'),
    path.join(__dirname, '..', '..', '..', 'dist', 'src', 'backend', 'wasm', 'pthread_worker.js'),
  ];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (found === undefined) throw new Error(`wasm threads need a built pthread_worker.js (looked in ${candidates.join(', ')}); run npm run build`);
  return found;
}
