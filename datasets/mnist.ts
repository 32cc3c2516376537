import * as tf from '@tensorflow/tfjs';
import { MNIST_CLASS_COUNT, MNIST_IMAGE_SIZE, mnistDigits } from './mnist-digits';

export { MNIST_CLASS_COUNT, MNIST_IMAGE_SIZE };
const PIXELS_PER_DIGIT = MNIST_IMAGE_SIZE * MNIST_IMAGE_SIZE;

export interface MnistSplit {
  /** [N, 28, 28, 1] float32, ink intensity in [0, 1]. */
  xs: tf.Tensor4D;
  /** One-hot labels [N, 10]. */
  ys: tf.Tensor2D;
  labels: number[];
}

export interface MnistData {
  train: MnistSplit;
  test: MnistSplit;
}

export interface MnistOptions {
  trainSize?: number;
  testSize?: number;
  /** Same seed, same split. */
  seed?: number;
}

function validateSize(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`loadMnist: ${name} must be a non-negative integer, got ${value}`);
  }
}

function toSplit(pixels: Float32Array, labels: number[]): MnistSplit {
  return {
    xs: tf.tensor4d(pixels, [labels.length, MNIST_IMAGE_SIZE, MNIST_IMAGE_SIZE, 1]),
    ys: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), MNIST_CLASS_COUNT).toFloat() as tf.Tensor2D),
    labels,
  };
}

/**
 * Real MNIST digits from the `mnist` package (offline). The 10,000 digits are shuffled by `seed` and cut into a
 * training and a test split that never share a digit.
 */
export function loadMnist(options: MnistOptions = {}): MnistData {
  const { trainSize = 8000, testSize = 2000, seed = 0 } = options;
  validateSize('trainSize', trainSize);
  validateSize('testSize', testSize);
  const { pixels, labels } = mnistDigits({ seed, from: 0, count: trainSize + testSize });
  if (labels.length < trainSize + testSize) {
    throw new Error(
      `loadMnist: trainSize + testSize must be at most ${labels.length} (the digits available), got ${trainSize} + ${testSize}`,
    );
  }
  const cut = trainSize * PIXELS_PER_DIGIT;
  return {
    train: toSplit(pixels.slice(0, cut), labels.slice(0, trainSize)),
    test: toSplit(pixels.slice(cut), labels.slice(trainSize)),
  };
}
