/**
 * `npm run bench:gpu:kit [-- --out DIR]`: packs `npm run bench:gpu` for a machine with a GPU but no Node, npm or
 * network. Writes DIR (default build/gpu-kit) holding gpu-kit.tar.xz and run.sh, which unpacks it and runs the bench:
 *
 * - this machine's Node binary (process.execPath; debug symbols stripped when `strip` is there);
 * - `app/`: exactly the files of this checkout that the bench loads, found by running its smoke mode under
 *   trace-loads.ts (wasm on one thread and on two, webgpu forced so Dawn and the WebGPU backend load even over a
 *   software adapter), with the package.json files Node reads to resolve them;
 * - `gl/`: the Vulkan loader and glvnd's dispatch library from this machine (GL_PACKAGES), which run.sh puts on
 *   the library path where the system has none.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT, projectPath } from '../../grader/paths';
import { TRACE_ENV } from './trace-loads';

export const KIT_ARCHIVE = 'gpu-kit.tar.xz';
export const KIT_RUNNER = 'run.sh';
const DEFAULT_OUT = projectPath('build', 'gpu-kit');

/** The bench's entry and the tracer, both compiled. */
const BENCH_ENTRY = projectPath('dist', 'bench', 'gpu', 'bench.js');
const TRACER = projectPath('dist', 'bench', 'gpu', 'trace-loads.js');

/** Smoke runs that between them take every path the device run can take. */
const TRACE_RUNS: readonly { readonly args: readonly string[]; readonly wasmThreads: string }[] = [
  // The threaded wasm build (a GPU machine's many cores), then webgpu, forced: here the adapter may be software.
  { args: ['--smoke', '--backends', 'wasm,webgpu'], wasmThreads: '2' },
  // wasm's one-thread build, which the threaded one falls back to.
  { args: ['--smoke', '--backends', 'wasm'], wasmThreads: '1' },
];

/** Files the device run needs that a trace taken where Dawn finds no adapter would miss: the kit refuses to lack them. */
const REQUIRED = [
  'node_modules/webgpu/dist/linux-x64/dawn.node',
  'node_modules/@tensorflow/tfjs-backend-webgpu/package.json',
  'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
  'node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.wasm',
  'solutions/07-unet.ipynb',
];

/**
 * Debian packages whose libraries the kit carries for a machine without them: the Vulkan loader, which Dawn needs,
 * and glvnd's dispatch library, which NVIDIA's Vulkan driver links (the device notes unpack both).
 */
const GL_PACKAGES = { loader: 'libvulkan1', glvnd: 'libglvnd0' } as const;

export interface Kit {
  readonly archive: string;
  readonly runner: string;
  readonly bytes: number;
  readonly files: number;
  /** What the kit lacks that a device might need, in one line each. */
  readonly notes: readonly string[];
}

/** Traces the bench, stages the kit in a temporary folder and packs it into `out`. */
export function makeKit(out: string = DEFAULT_OUT): Kit {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the GPU kit carries this machine's Node and libraries for linux-x64; this is ${process.platform}-${process.arch}`);
  }
  const stage = mkdtempSync(join(tmpdir(), 'convlab-gpu-kit-'));
  try {
    const files = tracedFiles(stage);
    for (const file of files) cpSync(projectPath(file), join(stage, 'app', file), { dereference: true });
    stageNode(join(stage, 'node'));
    const notes = stageGlLibraries(join(stage, 'gl'));
    mkdirSync(out, { recursive: true });
    const archive = join(out, KIT_ARCHIVE);
    rmSync(archive, { force: true });
    execFileSync('tar', ['-C', stage, '-cJf', archive, 'node', 'app', 'gl'], { env: { ...process.env, XZ_OPT: '-6 -T0' } });
    const runner = join(out, KIT_RUNNER);
    copyFileSync(projectPath('bench', 'gpu', KIT_RUNNER), runner);
    chmodSync(runner, 0o755);
    return { archive, runner, bytes: statSync(archive).size, files: files.length, notes };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** Project-relative paths the bench loaded in every trace run, with the package.json files above each. */
function tracedFiles(stage: string): string[] {
  const traceFile = join(stage, 'trace.txt');
  for (const run of TRACE_RUNS) {
    const traced = spawnSync(process.execPath, ['-r', TRACER, BENCH_ENTRY, ...run.args], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      env: { ...process.env, [TRACE_ENV]: traceFile, CONVLAB_WASM_THREADS: run.wasmThreads, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? stage },
    });
    if (traced.status !== 0) {
      const reason = traced.stderr.trim().split('\n').pop() ?? `exit ${traced.status}`;
      throw new Error(`the bench's traced run (${run.args.join(' ')}) failed: ${reason}`);
    }
  }
  const loaded = new Set<string>();
  for (const absolute of readFileSync(traceFile, 'utf8').split('\n')) {
    const file = relative(PROJECT_ROOT, absolute);
    if (absolute === '' || file.startsWith('..') || !existsSync(absolute) || !statSync(absolute).isFile()) continue;
    loaded.add(file);
    for (let dir = dirname(file); dir !== '.'; dir = dirname(dir)) {
      if (existsSync(projectPath(dir, 'package.json'))) loaded.add(join(dir, 'package.json'));
    }
  }
  loaded.add('package.json');
  const missing = REQUIRED.filter((file) => !loaded.has(file.split('/').join(sep)));
  if (missing.length > 0) {
    throw new Error(`the bench's trace did not load ${missing.join(', ')}: build the kit where Dawn finds a Vulkan adapter (Mesa's lavapipe will do)`);
  }
  return [...loaded].sort();
}

function stageNode(target: string): void {
  try {
    execFileSync('strip', ['-o', target, process.execPath], { stdio: 'ignore' });
  } catch {
    copyFileSync(process.execPath, target);
  }
  chmodSync(target, 0o755);
}

/** The packages' shared libraries (symbolic links kept), flat in `target`; says which optional one is missing. */
function stageGlLibraries(target: string): string[] {
  mkdirSync(target);
  const notes: string[] = [];
  for (const [role, name] of Object.entries(GL_PACKAGES)) {
    const listed = installedFiles(name);
    if (listed === undefined) {
      if (role === 'loader') throw new Error(`the kit takes the Vulkan loader from this machine: apt-get install ${name}`);
      notes.push(`${name} is not installed here: the kit has no libGLdispatch.so.0 for a device without one (NVIDIA's Vulkan driver links it)`);
      continue;
    }
    for (const file of listed.filter((line) => /\/lib[^/]*\.so[.\d]*$/.test(line) && existsSync(line))) {
      cpSync(file, join(target, file.slice(file.lastIndexOf('/') + 1)), { verbatimSymlinks: true });
    }
  }
  return notes;
}

/** The files a Debian package installed, or undefined when it is not installed. */
function installedFiles(name: string): string[] | undefined {
  try {
    return execFileSync('dpkg', ['-L', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n');
  } catch {
    return undefined;
  }
}

if (require.main === module) {
  try {
    const { values } = parseArgs({ options: { out: { type: 'string' } } });
    const kit = makeKit(values.out);
    console.log(`${kit.archive}: ${(kit.bytes / 2 ** 20).toFixed(1)} MiB (${kit.files} files of this checkout, Node, Vulkan loader)`);
    kit.notes.forEach((note) => console.log(`note: ${note}`));
    console.log(`run it: bash ${relative(process.cwd(), kit.runner)} [--smoke]`);
  } catch (error) {
    process.stderr.write(`bench:gpu:kit: ${(error as Error).message.split('\n')[0]}\n`);
    process.exitCode = 1;
  }
}
