/**
 * `node dist/bench/profile.js [lenet5|miniResnet]`: where one training step's time goes on the backend the ladder
 * picks (CONVLAB_BACKEND and CONVLAB_WASM_THREADS choose) — CPU milliseconds of all threads per kernel, per step of
 * batch 64 (CPU time, not wall-clock: this is meant to be read on shared machines). Kernels run by other kernels
 * (convlab's wasm kernels compose wasm's own) count toward the outer one.
 */
import * as tf from '@tensorflow/tfjs';
import { useBestBackend } from '../src/backend';
import { BENCH_MODELS, CLASSES } from './models';
import { BATCH_SIZE } from './train';

const WARMUP_STEPS = 3;
const PROFILED_STEPS = 20;

interface KernelCost {
  milliseconds: number;
  calls: number;
}

function cpuMilliseconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Wraps the engine's runKernel to charge CPU time to each outermost kernel; returns the costs and an undo. */
function instrumentKernels(): { costs: Map<string, KernelCost>; restore: () => void } {
  const engine = tf.engine();
  const runKernel = engine.runKernel;
  const costs = new Map<string, KernelCost>();
  let depth = 0;
  engine.runKernel = function (this: typeof engine, name, inputs, attrs) {
    if (depth > 0) return runKernel.call(this, name, inputs, attrs);
    depth++;
    const start = cpuMilliseconds();
    try {
      return runKernel.call(this, name, inputs, attrs);
    } finally {
      depth--;
      const cost = costs.get(name) ?? { milliseconds: 0, calls: 0 };
      cost.milliseconds += cpuMilliseconds() - start;
      cost.calls++;
      costs.set(name, cost);
    }
  } as typeof engine.runKernel;
  return { costs, restore: () => void (engine.runKernel = runKernel) };
}

async function main(): Promise<void> {
  const key = process.argv[2] ?? 'lenet5';
  const spec = BENCH_MODELS.find((model) => model.key === key);
  if (spec === undefined) throw new Error(`Unknown model "${key}"; use one of: ${BENCH_MODELS.map((m) => m.key).join(', ')}`);
  const { name, attempts } = await useBestBackend({ quiet: true });
  const detail = attempts.find((attempt) => attempt.name === name)?.reason ?? '';
  const model = spec.build();
  // model.fit, as the benchmark and notebooks train: it also cuts each batch out of the data set and runs callbacks.
  const xs = tf.randomUniform([BATCH_SIZE * PROFILED_STEPS, ...spec.inputShape]);
  const labels = tf.randomUniform([BATCH_SIZE * PROFILED_STEPS], 0, CLASSES, 'int32') as tf.Tensor1D;
  const ys = tf.oneHot(labels, CLASSES).toFloat();
  const epoch = async (steps: number) => {
    const [x, y] = [xs.slice(0, BATCH_SIZE * steps), ys.slice(0, BATCH_SIZE * steps)];
    await model.fit(x, y, { batchSize: BATCH_SIZE, shuffle: false, verbose: 0 });
    tf.dispose([x, y]);
  };
  await epoch(WARMUP_STEPS);

  const plainStart = cpuMilliseconds();
  await epoch(PROFILED_STEPS);
  const plainStep = (cpuMilliseconds() - plainStart) / PROFILED_STEPS;

  const { costs, restore } = instrumentKernels();
  await epoch(PROFILED_STEPS);
  restore();

  const rows = [...costs].sort(([, a], [, b]) => b.milliseconds - a.milliseconds);
  const inKernels = rows.reduce((sum, [, cost]) => sum + cost.milliseconds, 0) / PROFILED_STEPS;
  const calls = rows.reduce((sum, [, cost]) => sum + cost.calls, 0) / PROFILED_STEPS;
  console.log(`${spec.title} on ${name} (${detail}), batch ${BATCH_SIZE}: ${plainStep.toFixed(1)} ms CPU per step ` +
    `(${((BATCH_SIZE / plainStep) * 1000).toFixed(0)} samples per CPU-second); ` +
    `${inKernels.toFixed(1)} ms in ${calls} kernel calls per step`);
  console.log(`${'kernel'.padEnd(28)} ${'ms/step'.padStart(8)} ${'calls'.padStart(6)} ${'share'.padStart(6)}`);
  for (const [kernel, cost] of rows) {
    const perStep = cost.milliseconds / PROFILED_STEPS;
    if (perStep < 0.05) continue;
    console.log(`${kernel.padEnd(28)} ${perStep.toFixed(2).padStart(8)} ${String(cost.calls / PROFILED_STEPS).padStart(6)} ${`${((perStep / inKernels) * 100).toFixed(0)}%`.padStart(6)}`);
  }
  tf.dispose([xs, labels, ys]);
  model.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
