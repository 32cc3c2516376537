import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../src/core/random';

/** Side of an MNIST digit in pixels. */
export const MNIST_IMAGE_SIZE = 28;
export const MNIST_CLASS_COUNT = 10;
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

interface DigitSample {
  label: number;
  /** Offset of the sample's first pixel in its digit's raw array. */
  offset: number;
}

// The `mnist` package ships 10,000 real digits (about 1,000 per class) as JSON arrays of 784 intensities in [0, 1].
function loadRawDigits(): number[][] {
  const raw: number[][] = [];
  for (let digit = 0; digit < MNIST_CLASS_COUNT; digit++) {
    raw.push((require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data);
  }
  return raw;
}

function validateSize(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`loadMnist: ${name} must be a non-negative integer, got ${value}`);
  }
}

function shuffledSamples(raw: number[][], seed: number): DigitSample[] {
  const samples: DigitSample[] = [];
  raw.forEach((pixels, label) => {
    for (let offset = 0; offset + PIXELS_PER_DIGIT <= pixels.length; offset += PIXELS_PER_DIGIT) {
      samples.push({ label, offset });
    }
  });
  const random = seededRandom(seed);
  for (let i = samples.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [samples[i], samples[j]] = [samples[j], samples[i]];
  }
  return samples;
}

function toSplit(raw: number[][], samples: DigitSample[]): MnistSplit {
  const pixels = new Float32Array(samples.length * PIXELS_PER_DIGIT);
  samples.forEach(({ label, offset }, i) => {
    pixels.set(raw[label].slice(offset, offset + PIXELS_PER_DIGIT), i * PIXELS_PER_DIGIT);
  });
  const labels = samples.map((sample) => sample.label);
  return {
    xs: tf.tensor4d(pixels, [samples.length, MNIST_IMAGE_SIZE, MNIST_IMAGE_SIZE, 1]),
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
  const raw = loadRawDigits();
  const samples = shuffledSamples(raw, seed);
  if (trainSize + testSize > samples.length) {
    throw new Error(
      `loadMnist: trainSize + testSize must be at most ${samples.length} (the digits available), got ${trainSize} + ${testSize}`,
    );
  }
  return {
    train: toSplit(raw, samples.slice(0, trainSize)),
    test: toSplit(raw, samples.slice(trainSize, trainSize + testSize)),
  };
}
