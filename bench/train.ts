import * as tf from '@tensorflow/tfjs';
import { CLASSES, type BenchModel } from './models';

export const BATCH_SIZE = 64;
/** Batches trained (and discarded) before timing: kernel setup, XNNPACK packing and shader compiles happen here. */
const WARMUP_BATCHES = 2;

/**
 * Samples trained per second of wall-clock time, and per second of this process's CPU time (all its threads); and
 * per second of the fastest steps (the 10th percentile of each batch's wall-clock time), what the machine gives when
 * other work leaves its cores free. On a shared machine the last two are the fairer comparisons: CPU time for one
 * thread, fastest steps for several, whose CPU time counts threads waiting for each other. PyTorch reports all three
 * the same way.
 */
export interface Throughput {
  readonly wall: number;
  readonly cpu: number;
  readonly fastSteps: number;
}

/** The share of steps faster than the one `fastSteps` is timed by. */
export const FAST_STEP_QUANTILE = 0.1;

/**
 * Trains one epoch of `samples` random samples (speed does not depend on pixel values), timed after a short
 * warm-up fit.
 */
export async function measureTraining(spec: BenchModel, samples: number): Promise<Throughput> {
  const model = spec.build();
  const { xs, ys } = randomBatch(spec, samples);
  try {
    return await measureEpoch(model, xs, ys, { batchSize: BATCH_SIZE, shuffle: false });
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
  }
}

export interface EpochOptions {
  readonly batchSize: number;
  /** Shuffle as a notebook does; benchmarks of random data need not. */
  readonly shuffle: boolean;
}

/**
 * One epoch of `model.fit` over `xs`/`ys` (a compiled model), timed after a warm-up fit on the first
 * WARMUP_BATCHES batches, where kernel setup, XNNPACK packing and shader compiles happen.
 */
export async function measureEpoch(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor, options: EpochOptions): Promise<Throughput> {
  const { batchSize, shuffle } = options;
  const samples = xs.shape[0];
  const warmup = Math.min(samples, WARMUP_BATCHES * batchSize);
  const [warmupXs, warmupYs] = [xs.slice(0, warmup), ys.slice(0, warmup)];
  try {
    await model.fit(warmupXs, warmupYs, { batchSize, epochs: 1, verbose: 0 });
  } finally {
    tf.dispose([warmupXs, warmupYs]);
  }
  const start = performance.now();
  const startCpu = process.cpuUsage();
  const stepEnds: number[] = [];
  const callbacks = { onBatchEnd: async () => void stepEnds.push(performance.now()) };
  await model.fit(xs, ys, { batchSize, epochs: 1, verbose: 0, shuffle, callbacks });
  const cpu = process.cpuUsage(startCpu);
  const steps = stepEnds.map((end, index) => end - (index === 0 ? start : stepEnds[index - 1]));
  return {
    wall: samples / ((performance.now() - start) / 1000),
    cpu: samples / ((cpu.user + cpu.system) / 1e6),
    fastSteps: batchSize / (quantile(steps, FAST_STEP_QUANTILE) / 1000),
  };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function randomBatch(spec: BenchModel, samples: number): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  return tf.tidy(() => ({
    xs: tf.randomUniform([samples, ...spec.inputShape], 0, 1, 'float32', 1) as tf.Tensor4D,
    ys: tf.oneHot(tf.randomUniform([samples], 0, CLASSES, 'int32', 2) as tf.Tensor1D, CLASSES).toFloat() as tf.Tensor2D,
  }));
}
