import * as tf from '@tensorflow/tfjs';
import { CLASSES, type BenchModel } from './models';

export const BATCH_SIZE = 64;
/** Batches trained (and discarded) before timing: kernel setup, XNNPACK packing and shader compiles happen here. */
const WARMUP_BATCHES = 2;

/**
 * Samples trained per second of wall-clock time, and per second of this process's CPU time: on a shared machine
 * the second is the fairer comparison (PyTorch reports both the same way).
 */
export interface Throughput {
  readonly wall: number;
  readonly cpu: number;
}

/**
 * Trains one epoch of `samples` random samples (speed does not depend on pixel values), timed after a short
 * warm-up fit.
 */
export async function measureTraining(spec: BenchModel, samples: number): Promise<Throughput> {
  const model = spec.build();
  const { xs, ys } = randomBatch(spec, samples);
  try {
    const warmup = WARMUP_BATCHES * BATCH_SIZE;
    await model.fit(xs.slice(0, warmup), ys.slice(0, warmup), { batchSize: BATCH_SIZE, epochs: 1, verbose: 0 });
    const start = performance.now();
    const startCpu = process.cpuUsage();
    await model.fit(xs, ys, { batchSize: BATCH_SIZE, epochs: 1, verbose: 0, shuffle: false });
    const cpu = process.cpuUsage(startCpu);
    return {
      wall: samples / ((performance.now() - start) / 1000),
      cpu: samples / ((cpu.user + cpu.system) / 1e6),
    };
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
  }
}

function randomBatch(spec: BenchModel, samples: number): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  return tf.tidy(() => ({
    xs: tf.randomUniform([samples, ...spec.inputShape], 0, 1, 'float32', 1) as tf.Tensor4D,
    ys: tf.oneHot(tf.randomUniform([samples], 0, CLASSES, 'int32', 2) as tf.Tensor1D, CLASSES).toFloat() as tf.Tensor2D,
  }));
}
