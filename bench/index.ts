/**
 * `npm run bench [-- --json]`: training samples/s of LeNet-5 and a mini-ResNet on every TF.js backend that works
 * here, and of the same models in PyTorch, in one run. Data are random tensors of the right shapes: training speed
 * does not depend on pixel values.
 */
import { BACKEND_NAMES, type BackendName, useBestBackend } from '../src/backend';
import { BENCH_MODELS, type BenchModel } from './models';
import { measurePytorch, pytorchUnavailable, type PytorchResult } from './pytorch';
import { BATCH_SIZE, measureTraining, type Throughput } from './train';

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
/** Dawn keeps threads alive once started, which would slow every backend measured after it: GPUs go last. */
const MEASURE_ORDER: readonly BackendName[] = ['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu', 'webgpu'];

/** Label (backend name or a PyTorch configuration) → model → throughput. */
type Results = Map<string, Partial<Record<ModelKey, Throughput>>>;

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  // With --json, stdout carries the one JSON document; everything else (TF.js banners included) goes to stderr.
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  if (json) console.log = console.warn = console.info = (...parts: unknown[]) => say(parts.join(' '));

  const chosen = await useBestBackend({ quiet: true });
  const results: Results = new Map();
  const notes: string[] = [];
  for (const name of MEASURE_ORDER) {
    try {
      await useBestBackend({ force: name, quiet: true });
    } catch (error) {
      notes.push(`${name}: not measured — ${(error as Error).message}`);
      continue;
    }
    const row: Partial<Record<ModelKey, Throughput>> = {};
    results.set(name, row);
    for (const spec of BENCH_MODELS) {
      const samples = SAMPLES[name][spec.key];
      if (samples === undefined) {
        notes.push(`${name}: ${spec.title} not measured (too slow for a few-minute run)`);
        continue;
      }
      say(`${name}: training ${spec.title} on ${samples} samples…`);
      row[spec.key] = await measureTraining(spec, samples);
    }
  }
  await useBestBackend({ quiet: true });

  const torchMissing = pytorchUnavailable();
  let pytorch: PytorchResult | undefined;
  if (torchMissing === undefined) {
    say('pytorch: training both models…');
    pytorch = measurePytorch(PYTORCH_SAMPLES);
  } else {
    notes.push(`pytorch: not measured — ${torchMissing}`);
  }

  if (json) {
    notes.forEach((note) => say(note));
    process.stdout.write(`${JSON.stringify(jsonReport(chosen.name, results, pytorch))}\n`);
    return;
  }
  const backends = BACKEND_NAMES.filter((name) => results.has(name));
  const rows: Results = new Map(backends.map((name) => [name === chosen.name ? `${name} (default)` : name, results.get(name) ?? {}]));
  for (const [threads, result] of Object.entries(pytorch?.byThreads ?? {})) {
    const isDefault = Number(threads) === pytorch?.defaultThreads ? ' (default)' : '';
    rows.set(`pytorch ${pytorch?.version}, ${threads} thread${threads === '1' ? '' : 's'}${isDefault}`, result);
  }
  say(`Training throughput: batch ${BATCH_SIZE}, Adam, random data. × PyTorch compares with its faster thread count.`);
  say(`\nSamples per second of wall-clock time:\n${formatTable(rows, pytorch, 'wall')}`);
  say(`\nSamples per second of process CPU time (fairer when other work shares the machine):\n${formatTable(rows, pytorch, 'cpu')}`);
  say('');
  notes.forEach((note) => say(note));
}

/** `{"default": ..., "models": {"lenet5": {"wasm": samplesPerSec, ..., "pytorch": samplesPerSec}, ...}}` (wall clock). */
function jsonReport(chosen: BackendName, results: Results, pytorch: PytorchResult | undefined) {
  const models = Object.fromEntries(
    BENCH_MODELS.map((spec) => {
      const perBackend: Record<string, number> = {};
      for (const [name, row] of results) {
        const measured = row[spec.key];
        if (measured !== undefined) perBackend[name] = measured.wall;
      }
      if (pytorch !== undefined) perBackend.pytorch = pytorch.fastest[spec.key].wall;
      return [spec.key, perBackend];
    }),
  );
  return { default: chosen, models };
}

function formatTable(rows: Results, pytorch: PytorchResult | undefined, measure: keyof Throughput): string {
  const header = ['', ...BENCH_MODELS.flatMap((spec) => [spec.title, '× PyTorch'])];
  const body = [...rows].map(([label, row]) => [
    label,
    ...BENCH_MODELS.flatMap((spec) => {
      const value = row[spec.key]?.[measure];
      const reference = pytorch?.fastest[spec.key][measure];
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
