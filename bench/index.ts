/**
 * `npm run bench [-- --json] [-- --backends wasm,cpu]`: training samples/s of LeNet-5 and a mini-ResNet on every
 * TF.js backend that works here (or those named), and of the same models in PyTorch, in one run. wasm and PyTorch are
 * each measured on 1 thread and on every core, so they compare at equal thread counts. Data are random tensors of the
 * right shapes: training speed does not depend on pixel values.
 */
import * as os from 'node:os';
import { BACKEND_NAMES, type BackendName, useBestBackend } from '../src/backend';
import { MAX_WASM_THREADS, WASM_THREADS_ENV, wasmThreadSetting } from '../src/backend/wasm/threads';
import { chosenBackends, inMeasureOrder } from './backends-option';
import { BENCH_MODELS, type BenchModel } from './models';
import { measurePytorch, pytorchUnavailable, type PytorchResult } from './pytorch';
import { BATCH_SIZE, FAST_STEP_QUANTILE, measureTraining, type Throughput } from './train';

type ModelKey = BenchModel['key'];

/**
 * Samples trained per model and backend, sized so the whole run takes a few minutes on 2 cores. Pure-JS `cpu`
 * trains LeNet-5 at ~15 samples/s, so it gets a short run and no mini-ResNet; software WebGPU is slow too.
 */
const SAMPLES: Readonly<Record<BackendName, Readonly<Record<ModelKey, number | undefined>>>> = {
  'tensorflow-gpu': { lenet5: 4096, miniResnet: 1024 },
  webgpu: { lenet5: 512, miniResnet: 128 },
  tensorflow: { lenet5: 2048, miniResnet: 512 },
  wasm: { lenet5: 2048, miniResnet: 512 },
  cpu: { lenet5: 128, miniResnet: undefined },
};
const PYTORCH_SAMPLES: Readonly<Record<ModelKey, number>> = { lenet5: 2048, miniResnet: 512 };
/** wasm and PyTorch train on one thread and on every core (XNNPACK's pool: at most MAX_WASM_THREADS). */
const THREAD_COUNTS: readonly number[] = [...new Set([1, Math.min(os.availableParallelism(), MAX_WASM_THREADS)])];

/** One measured configuration: a backend, on a given number of threads where it is wasm. */
interface Contender {
  readonly backend: BackendName;
  readonly threads?: number;
  readonly results: Partial<Record<ModelKey, Throughput>>;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  // With --json, stdout carries the one JSON document; everything else (TF.js banners included) goes to stderr.
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  if (json) console.log = console.warn = console.info = (...parts: unknown[]) => say(parts.join(' '));
  const backends = chosenBackends(process.argv);
  if (typeof backends === 'string') {
    process.stderr.write(`${backends}\n`);
    process.exitCode = 2;
    return;
  }

  const contenders: Contender[] = [];
  const notes: string[] = [];
  const askedThreads = process.env[WASM_THREADS_ENV];
  const defaultWasmThreads = wasmThreadSetting().threads;
  for (const backend of inMeasureOrder(backends)) {
    for (const threads of backend === 'wasm' ? THREAD_COUNTS : [undefined]) {
      if (threads !== undefined) process.env[WASM_THREADS_ENV] = String(threads);
      try {
        await useBestBackend({ force: backend, quiet: true });
      } catch (error) {
        notes.push(`${backend}: not measured — ${(error as Error).message}`);
        continue;
      }
      const contender: Contender = { backend, threads, results: {} };
      contenders.push(contender);
      for (const spec of BENCH_MODELS) {
        const samples = SAMPLES[backend][spec.key];
        if (samples === undefined) {
          notes.push(`${backend}: ${spec.title} not measured (too slow for a few-minute run)`);
          continue;
        }
        say(`${label(contender)}: training ${spec.title} on ${samples} samples…`);
        contender.results[spec.key] = await measureTraining(spec, samples);
      }
    }
  }
  if (askedThreads === undefined) delete process.env[WASM_THREADS_ENV];
  else process.env[WASM_THREADS_ENV] = askedThreads;
  // Chosen last: the ladder would start Dawn (webgpu) on its way down, and its threads slow what is measured after.
  const chosen = await useBestBackend({ quiet: true });

  const torchMissing = pytorchUnavailable();
  let pytorch: PytorchResult | undefined;
  if (torchMissing === undefined) {
    say(`pytorch: training both models on ${THREAD_COUNTS.join(' and ')} thread(s)…`);
    pytorch = measurePytorch(PYTORCH_SAMPLES, THREAD_COUNTS);
  } else {
    notes.push(`pytorch: not measured — ${torchMissing}`);
  }

  if (json) {
    notes.forEach((note) => say(note));
    process.stdout.write(`${JSON.stringify(jsonReport(chosen.name, defaultWasmThreads, contenders, pytorch))}\n`);
    return;
  }
  const isDefault = (contender: Contender) =>
    contender.backend === chosen.name && (contender.threads === undefined || contender.threads === defaultWasmThreads);
  const rows: Row[] = [...contenders]
    .sort((a, b) => BACKEND_NAMES.indexOf(a.backend) - BACKEND_NAMES.indexOf(b.backend))
    .map((contender) => ({
      label: `${label(contender)}${isDefault(contender) ? ' (default)' : ''}`,
      results: contender.results,
      reference: (key) => (contender.threads === undefined ? pytorch?.fastest[key] : pytorch?.byThreads[contender.threads]?.[key]),
    }));
  for (const [threads, result] of Object.entries(pytorch?.byThreads ?? {})) {
    const isTorchDefault = Number(threads) === pytorch?.defaultThreads ? ' (default)' : '';
    rows.push({
      label: `pytorch ${pytorch?.version}, ${threadCount(Number(threads))}${isTorchDefault}`,
      results: result,
      reference: (key) => result[key],
    });
  }
  say(`Training throughput: batch ${BATCH_SIZE}, Adam, random data. × PyTorch compares with PyTorch on as many threads`);
  say('(backends without a thread count: with its fastest).');
  say(`\nSamples per second of wall-clock time:\n${formatTable(rows, 'wall')}`);
  say(`\nSamples per second of process CPU time (all threads; fairer for 1 thread when other work shares the machine):\n${formatTable(rows, 'cpu')}`);
  say(`\nSamples per second of the fastest steps (batch ${BATCH_SIZE} ÷ the ${FAST_STEP_QUANTILE * 100}th percentile step time; fairer for`);
  say(`several threads when other work shares the machine):\n${formatTable(rows, 'fastSteps')}`);
  say('');
  notes.forEach((note) => say(note));
}

function threadCount(threads: number): string {
  return `${threads} thread${threads === 1 ? '' : 's'}`;
}

function label(contender: Contender): string {
  return contender.threads === undefined ? contender.backend : `${contender.backend}, ${threadCount(contender.threads)}`;
}

/**
 * `{"default": ..., "models": {"lenet5": {"wasm": samplesPerSec, ..., "pytorch": samplesPerSec}, ...},
 *   "threads": {"lenet5": {"wasm": {"1": ..., "2": ...}, "pytorch": {"1": ..., "2": ...}}, ...}}` (wall clock).
 * "models" has wasm on its default thread count and PyTorch at its fastest.
 */
function jsonReport(chosen: BackendName, wasmThreads: number, contenders: readonly Contender[], pytorch: PytorchResult | undefined) {
  const entries = BENCH_MODELS.map((spec) => {
    const perBackend: Record<string, number> = {};
    const perThreads: Record<string, Record<string, number>> = { wasm: {}, pytorch: {} };
    for (const contender of contenders) {
      const measured = contender.results[spec.key];
      if (measured === undefined) continue;
      if (contender.threads !== undefined) perThreads[contender.backend][contender.threads] = measured.wall;
      if (contender.threads === undefined || contender.threads === wasmThreads) perBackend[contender.backend] = measured.wall;
    }
    if (pytorch !== undefined) {
      perBackend.pytorch = pytorch.fastest[spec.key].wall;
      for (const [threads, result] of Object.entries(pytorch.byThreads)) perThreads.pytorch[threads] = result[spec.key].wall;
    }
    return { key: spec.key, perBackend, perThreads };
  });
  return {
    default: chosen,
    models: Object.fromEntries(entries.map((entry) => [entry.key, entry.perBackend])),
    threads: Object.fromEntries(entries.map((entry) => [entry.key, entry.perThreads])),
  };
}

interface Row {
  readonly label: string;
  readonly results: Partial<Record<ModelKey, Throughput>>;
  /** What × PyTorch divides by. */
  reference(key: ModelKey): Throughput | undefined;
}

function formatTable(rows: readonly Row[], measure: keyof Throughput): string {
  const header = ['', ...BENCH_MODELS.flatMap((spec) => [spec.title, '× PyTorch'])];
  const body = rows.map((row) => [
    row.label,
    ...BENCH_MODELS.flatMap((spec) => {
      const value = row.results[spec.key]?.[measure];
      const reference = row.reference(spec.key)?.[measure];
      if (value === undefined) return ['—', '—'];
      return [value.toFixed(0), reference === undefined ? '—' : `${(value / reference).toFixed(2)}×`];
    }),
  ]);
  const table = [header, ...body];
  const widths = header.map((_, column) => Math.max(...table.map((row) => row[column].length)));
  return table
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  '))
    .join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
