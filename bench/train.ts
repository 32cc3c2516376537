import * as tf from '@tensorflow/tfjs';
import { CLASSES, type BenchModel } from './models';

export const BATCH_SIZE = 64;
/** Batches trained (and discarded) before timing: kernel setup, XNNPACK packing and shader compiles happen here. */
const WARMUP_BATCHES = 2;

/**
 * Trains one epoch of `samples` random samples (speed does not depend on pixel values) and returns samples/s,
 * timed after a short warm-up fit.
 */
export async function measureTraining(spec: BenchModel, samples: number): Promise<number> {
  const model = spec.build();
  const { xs, ys } = randomBatch(spec, samples);
  try {
    const warmup = WARMUP_BATCHES * BATCH_SIZE;
    await model.fit(xs.slice(0, warmup), ys.slice(0, warmup), { batchSize: BATCH_SIZE, epochs: 1, verbose: 0 });
    const start = performance.now();
    await model.fit(xs, ys, { batchSize: BATCH_SIZE, epochs: 1, verbose: 0, shuffle: false });
    return samples / ((performance.now() - start) / 1000);
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
