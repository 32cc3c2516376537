import * as tf from '@tensorflow/tfjs';

/**
 * The two benchmark models, built the same way in bench/pytorch_bench.py so samples/s compare like for like.
 * Both end in logits trained with softmax cross-entropy and Adam (learning rate 1e-3).
 */

export interface BenchModel {
  readonly key: 'lenet5' | 'miniResnet';
  readonly title: string;
  /** One sample's shape, height × width × channels. */
  readonly inputShape: readonly [number, number, number];
  build(): tf.LayersModel;
}

export const CLASSES = 10;

/** LeNet-5 on 28×28×1: conv 6@5×5 same → maxpool → conv 16@5×5 valid → maxpool → 120 → 84 → 10. */
export const LENET5: BenchModel = {
  key: 'lenet5',
  title: 'LeNet-5 (28×28×1)',
  inputShape: [28, 28, 1],
  build() {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 120, activation: 'relu' }),
        tf.layers.dense({ units: 84, activation: 'relu' }),
        tf.layers.dense({ units: CLASSES, activation: 'softmax' }),
      ],
    });
    return compiled(model);
  },
};

/**
 * A small ResNet on 32×32×3: a 3×3 stem (16 channels), stage 1 = one residual block at 16 channels, stage 2 = one
 * block at 32 channels that halves the resolution (stride-2 conv, 1×1 stride-2 projection on the shortcut), then
 * global average pooling and a 10-way dense layer. No batch normalization: it would add the same work to both sides.
 */
export const MINI_RESNET: BenchModel = {
  key: 'miniResnet',
  title: 'mini-ResNet (32×32×3)',
  inputShape: [32, 32, 3],
  build() {
    const input = tf.input({ shape: [32, 32, 3] });
    const stem = conv(16, 1, 'relu').apply(input) as tf.SymbolicTensor;
    const stage1 = residualBlock(stem, 16, 1);
    const stage2 = residualBlock(stage1, 32, 2);
    const pooled = tf.layers.globalAveragePooling2d({}).apply(stage2) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: CLASSES, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor;
    return compiled(tf.model({ inputs: input, outputs: output }));
  },
};

export const BENCH_MODELS: readonly BenchModel[] = [LENET5, MINI_RESNET];

function conv(filters: number, strides: number, activation: 'relu' | 'linear', kernelSize = 3): tf.layers.Layer {
  return tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', activation });
}

function residualBlock(input: tf.SymbolicTensor, filters: number, strides: number): tf.SymbolicTensor {
  const first = conv(filters, strides, 'relu').apply(input) as tf.SymbolicTensor;
  const second = conv(filters, 1, 'linear').apply(first) as tf.SymbolicTensor;
  const shortcut = strides === 1 ? input : (conv(filters, strides, 'linear', 1).apply(input) as tf.SymbolicTensor);
  const sum = tf.layers.add().apply([second, shortcut]) as tf.SymbolicTensor;
  return tf.layers.activation({ activation: 'relu' }).apply(sum) as tf.SymbolicTensor;
}

function compiled(model: tf.LayersModel): tf.LayersModel {
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}
