import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ImageCodec } from '../../src/core/images/codec';

// sharp decodes on libuv's worker threads: a few files in flight keep every core busy (the pure-JS codec gains nothing).
const DECODE_BATCH = 4;

export interface ImageSet {
  /** [N, S, S, 3] RGB in [0, 1]. */
  images: tf.Tensor4D;
  /** Class index per image. */
  labels: number[];
  /** Absolute path of each image file. */
  paths: string[];
}

/** A file left out of a dataset, and why (unsupported format, decode error). */
export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ReadImageFolderOptions {
  imageSize: number;
  codec: ImageCodec;
  /** Keep at most this many readable images per class (the first ones in file-name order). */
  limitPerClass: number;
  warn: (message: string) => void;
}

/**
 * Reads `dir/<class>/*` for each class, in file-name order so every run sees the same images in the same order.
 * Files that are not readable images are skipped with a warning, never fatal: the real dataset ships a GIF
 * placeholder among its JPEGs.
 */
export async function readImageFolder(
  dir: string,
  classes: readonly string[],
  { imageSize, codec, limitPerClass, warn }: ReadImageFolderOptions,
): Promise<{ set: ImageSet; skipped: SkippedFile[] }> {
  const pixels: Float32Array[] = [];
  const labels: number[] = [];
  const paths: string[] = [];
  const skipped: SkippedFile[] = [];
  for (const [label, className] of classes.entries()) {
    const classDir = path.join(dir, className);
    const files = fs
      .readdirSync(classDir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(classDir, entry.name))
      .sort();
    let kept = 0;
    for (let start = 0; start < files.length && kept < limitPerClass; start += DECODE_BATCH) {
      const batch = files.slice(start, start + DECODE_BATCH);
      const decoded = await Promise.allSettled(batch.map((file) => codec.decodeSquare(fs.readFileSync(file), imageSize)));
      for (const [i, result] of decoded.entries()) {
        if (kept >= limitPerClass) break;
        if (result.status === 'rejected') {
          const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
          skipped.push({ path: batch[i], reason });
          warn(`Skipped ${batch[i]}: ${reason}`);
          continue;
        }
        pixels.push(result.value);
        labels.push(label);
        paths.push(batch[i]);
        kept++;
      }
    }
  }
  const all = new Float32Array(pixels.length * imageSize * imageSize * 3);
  pixels.forEach((image, i) => all.set(image, i * image.length));
  return { set: { images: tf.tensor4d(all, [pixels.length, imageSize, imageSize, 3]), labels, paths }, skipped };
}
