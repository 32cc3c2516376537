import * as tf from '@tensorflow/tfjs';
import type { Display } from 'tslab';
import type { ImageCodec } from '../core/images/codec';
import { showGrid } from './grid';
import { tensorToRgba, type RgbaImage } from './pixels';
import type { Shown } from './shown';

export interface ShowHeatmapsOptions {
  /** One caption per image. */
  labels?: string[];
  /** Images per row (default: all in one row, up to 8). */
  cols?: number;
  /** How much of a pixel's colour comes from the heatmap at full heat, in [0, 1] (default 0.6). */
  opacity?: number;
  scale?: number;
  title?: string;
  codec?: ImageCodec;
  /** Where to show it (default: tslab's display for the running cell; tests pass a recorder). */
  display?: Display;
}

const DEFAULT_COLS = 8;
const DEFAULT_OPACITY = 0.6;

/**
 * Colours from cold to hot, evenly spaced over [0, 1]: dark blue, cyan, yellow, red (a "jet"-like ramp, so that the
 * hottest region reads as red at a glance).
 */
const RAMP: readonly (readonly [number, number, number])[] = [
  [0, 0, 128],
  [0, 200, 255],
  [255, 230, 0],
  [220, 0, 0],
];

/** The ramp's colour for a heat in [0, 1] (values outside are clamped), linearly interpolated between stops. */
export function heatColour(heat: number): [number, number, number] {
  const position = Math.min(1, Math.max(0, Number.isNaN(heat) ? 0 : heat)) * (RAMP.length - 1);
  const low = Math.min(Math.floor(position), RAMP.length - 2);
  const t = position - low;
  return [0, 1, 2].map((c) => Math.round((1 - t) * RAMP[low][c] + t * RAMP[low + 1][c])) as [number, number, number];
}

/**
 * The image with the heatmap blended over it. Cold pixels keep most of the photo (the weight of the heat colour grows
 * with the heat, up to `opacity`), so the picture stays readable where the model did not look.
 */
async function blend(image: RgbaImage, heatmap: tf.Tensor2D, opacity: number, index: number): Promise<RgbaImage> {
  const [height, width] = heatmap.shape;
  if (heatmap.rank !== 2 || height !== image.height || width !== image.width) {
    throw new Error(
      `showHeatmaps: heatmap ${index} has shape [${heatmap.shape}] but its image is ${image.height}×${image.width} (upsample it first)`,
    );
  }
  const heat = await heatmap.data();
  const data = Uint8Array.from(image.data);
  heat.forEach((value, pixel) => {
    const colour = heatColour(value);
    const weight = opacity * (0.3 + 0.7 * Math.min(1, Math.max(0, Number.isNaN(value) ? 0 : value)));
    for (let c = 0; c < 3; c++) {
      data[pixel * 4 + c] = Math.round((1 - weight) * image.data[pixel * 4 + c] + weight * colour[c]);
    }
  });
  return { width, height, data };
}

/**
 * Each image [H, W, C] in [0, 1] with its heatmap [H, W] in [0, 1] (e.g. a class activation map, upsampled to the
 * image's size) coloured from blue (0) to red (1) over it, as one grid; returns the grid PNG as a `Shown<'png'>`.
 */
export async function showHeatmaps(
  images: tf.Tensor3D[],
  heatmaps: tf.Tensor2D[],
  options: ShowHeatmapsOptions = {},
): Promise<Shown<'png'>> {
  if (images.length !== heatmaps.length) {
    throw new Error(`showHeatmaps: got ${heatmaps.length} heatmaps for ${images.length} images`);
  }
  const opacity = options.opacity ?? DEFAULT_OPACITY;
  if (!(opacity >= 0 && opacity <= 1)) throw new Error(`showHeatmaps: opacity must be in [0, 1], got ${opacity}`);
  const overlays = await Promise.all(
    images.map(async (image, i) => blend(await tensorToRgba(image, 'showHeatmaps'), heatmaps[i], opacity, i)),
  );
  const { labels, scale, title, codec, display } = options;
  return showGrid(overlays, { cols: options.cols ?? DEFAULT_COLS, labels, scale, title, codec, display }, 'showHeatmaps', 'heatmaps');
}
