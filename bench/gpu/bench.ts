/**
 * `npm run bench:gpu [-- --smoke] [-- --backends wasm,webgpu]`: what a GPU gives the course. Says which backend the
 * ladder picks here and why each faster rung was passed over (webgpu over Vulkan, on an NVIDIA machine), then times,
 * on the CPU default (wasm) and on the ladder's pick, LeNet-5 and mini-ResNet training (samples/s, the models and
 * random data of `npm run bench`) and one epoch of notebook 07's U-Net (its own cells and data: notebook-unet.ts).
 * `--backends` measures the named backends instead, each forced; `--smoke` trains a few batches of each, in seconds.
 * Built to run from the self-contained kit (make-kit.ts, run.sh) on a machine without Node, in under 5 minutes.
 */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { formatBackendTable, useBestBackend, type BackendChoice, type BackendName } from '../../src/backend';
import { chosenBackends, inMeasureOrder } from '../backends-option';
import { BENCH_MODELS, type BenchModel } from '../models';
import { BATCH_SIZE, measureEpoch, measureTraining, type Throughput } from '../train';
import { buildNotebookUNet, notebookUNetScript } from './notebook-unet';

/** The CPU backend a learner without a GPU trains on: what the GPU is compared with. */
const CPU_DEFAULT: BackendName = 'wasm';

interface Sizes {
  /** Random samples per bench model. */
  readonly samples: Readonly<Record<BenchModel['key'], number>>;
  /** U-Net training images; undefined: the notebook's whole training set. */
  readonly unetImages?: number;
}

/** A few seconds per backend on a GPU machine's 16 cores (wasm on 8 threads), about a minute in all. */
const FULL: Sizes = { samples: { lenet5: 4096, miniResnet: 1024 } };
/** Enough batches to pass the warm-up and time a few steps: proves the kit runs, measures nothing. */
const SMOKE: Sizes = { samples: { lenet5: 256, miniResnet: 128 }, unetImages: 32 };

interface Measured {
  readonly backend: BackendName;
  /** The ladder's line for it, e.g. "XNNPACK, 8 threads (…), with convlab training kernels". */
  readonly detail: string;
  readonly models: Readonly<Record<BenchModel['key'], Throughput>>;
  readonly unet: { readonly seconds: number; readonly images: number };
}

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const asked = process.argv.includes('--backends') ? chosenBackends(process.argv) : undefined;
  if (typeof asked === 'string') {
    process.stderr.write(`${asked}\n`);
    process.exitCode = 2;
    return;
  }
  const sizes = smoke ? SMOKE : FULL;
  const cpus = os.cpus();
  console.log(`convlab GPU bench${smoke ? ' (smoke: a few batches, no figures to quote)' : ''}: ${cpus[0]?.model ?? 'unknown CPU'}, ` +
    `${os.availableParallelism()} logical cores, Node ${process.version}, TF.js ${tf.version.tfjs}`);
  const unetScript = notebookUNetScript();

  // Dawn's threads, once started (by the ladder too), slow what is measured after them: the CPU default goes first.
  const measured: Measured[] = [];
  for (const backend of asked === undefined ? [CPU_DEFAULT] : inMeasureOrder(asked)) {
    measured.push(await measure(backend, sizes, unetScript));
  }
  const ladder = await useBestBackend({ quiet: true });
  console.log(`\nThe ladder picks ${ladder.name} (each faster rung says why it was passed over):\n${formatBackendTable(ladder.attempts)}`);
  if (asked === undefined && ladder.name !== CPU_DEFAULT) measured.push(await measure(ladder.name, sizes, unetScript));

  console.log(`\n${report(measured, ladder)}`);
}

async function measure(backend: BackendName, sizes: Sizes, unetScript: string): Promise<Measured> {
  const choice = await useBestBackend({ force: backend, quiet: true });
  const detail = choice.attempts.find((attempt) => attempt.name === backend)?.reason ?? '';
  console.log(`\n${backend} (${detail}):`);
  const models = {} as Record<BenchModel['key'], Throughput>;
  for (const spec of BENCH_MODELS) {
    console.log(`  training ${spec.title} on ${sizes.samples[spec.key]} random samples…`);
    models[spec.key] = await measureTraining(spec, sizes.samples[spec.key]);
  }
  const notebook = buildNotebookUNet(unetScript, sizes.unetImages);
  try {
    const images = notebook.images.shape[0];
    console.log(`  training notebook 07's U-Net (${notebook.unet.countParams()} parameters) for one epoch of ${images} images…`);
    const speed = await measureEpoch(notebook.unet, notebook.images, notebook.targets, { batchSize: notebook.batchSize, shuffle: true });
    return { backend, detail, models, unet: { seconds: images / speed.wall, images } };
  } finally {
    notebook.dispose();
  }
}

/** Wall-clock figures, one row per backend, and each backend's speed-up over the CPU default. */
function report(measured: readonly Measured[], ladder: BackendChoice): string {
  const baseline = measured.find((row) => row.backend === CPU_DEFAULT);
  const header = ['', ...BENCH_MODELS.map((spec) => `${spec.title} samples/s`), 'U-Net epoch', `× ${CPU_DEFAULT}`];
  const rows = measured.map((row) => {
    const role = row.backend === CPU_DEFAULT ? ' (CPU default)' : row.backend === ladder.name ? " (ladder's pick)" : '';
    const speedups = baseline === undefined || row === baseline ? '—' : [
      ...BENCH_MODELS.map((spec) => row.models[spec.key].wall / baseline.models[spec.key].wall),
      baseline.unet.seconds / row.unet.seconds,
    ].map((ratio) => `${ratio.toFixed(2)}×`).join(' / ');
    return [
      `${row.backend}${role}`,
      ...BENCH_MODELS.map((spec) => row.models[spec.key].wall.toFixed(0)),
      `${row.unet.seconds.toFixed(2)} s (${row.unet.images} images)`,
      speedups,
    ];
  });
  const table = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...table.map((row) => row[column].length)));
  const lines = table.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  '));
  return [
    `Training, wall clock. Bench models: batch ${BATCH_SIZE}, Adam, random data, after a 2-batch warm-up. U-Net: notebook 07's`,
    'cells (model, data, batch size), one shuffled epoch after a 2-batch warm-up. × wasm: LeNet-5 / mini-ResNet / U-Net.',
    ...lines,
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
