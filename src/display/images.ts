import * as tf from '@tensorflow/tfjs';
import type { Display } from 'tslab';
import type { ImageCodec } from '../core/images/codec';
import { showGrid } from './grid';
import { paletteRgb } from './html';
import { tensorToRgba, type RgbaImage } from './pixels';
import type { Shown } from './shown';

export interface ShowImagesOptions {
  /** One caption per image. */
  labels?: string[];
  /** Images per row (default: up to 8). */
  cols?: number;
  /** Integer enlargement (default: small images grow to about 128 px). */
  scale?: number;
  title?: string;
  /** PNG encoder (default: sharp where it loads, pure JS otherwise). */
  codec?: ImageCodec;
  /** Where to show it (default: tslab's display for the running cell; tests pass a recorder). */
  display?: Display;
}

const DEFAULT_COLS = 8;

/** A batch [N, H, W, C] or a list of [H, W, C] images, in [0, 1], as one grid; returns the grid PNG as a `Shown<'png'>`. */
export async function showImages(images: tf.Tensor4D | tf.Tensor3D[], options: ShowImagesOptions = {}): Promise<Shown<'png'>> {
  if (!Array.isArray(images) && images.rank !== 4) {
    throw new Error(`showImages: expected a batch [N, height, width, channels] or a list of images, got shape [${images.shape}]`);
  }
  const list = Array.isArray(images) ? images : tf.unstack(images) as tf.Tensor3D[];
  try {
    const rgba = await Promise.all(list.map((image) => tensorToRgba(image, 'showImages')));
    return await showGrid(rgba, { ...options, cols: options.cols ?? DEFAULT_COLS }, 'showImages', 'image grid');
  } finally {
    if (list !== images) tf.dispose(list);
  }
}

export interface ShowSegmentationOptions {
  /** One title per mask (the image panel is then titled "image"), or one per panel: the image, then each mask. */
  titles?: string[];
  scale?: number;
  codec?: ImageCodec;
  /** Where to show it (default: tslab's display for the running cell; tests pass a recorder). */
  display?: Display;
}

// How much of a labelled pixel's colour comes from its class colour; the rest is the photo underneath.
const MASK_OPACITY = 0.55;
const IMAGE_TITLE = 'image';

/** The image with each non-zero class id painted in its class colour (background, id 0, left untouched). */
async function overlay(image: RgbaImage, mask: tf.Tensor2D, index: number): Promise<RgbaImage> {
  const [height, width] = mask.shape;
  if (height !== image.height || width !== image.width) {
    throw new Error(
      `showSegmentation: mask ${index} has shape [${mask.shape}] but the image is ${image.height}×${image.width}`,
    );
  }
  const classIds = await mask.data();
  const data = Uint8Array.from(image.data);
  classIds.forEach((classId, pixel) => {
    if (classId === 0) return;
    // Class 1 takes the palette's first colour, so the usual 1..K classes get the most distinct colours.
    const colour = paletteRgb(Math.round(classId) - 1);
    for (let c = 0; c < 3; c++) {
      data[pixel * 4 + c] = Math.round((1 - MASK_OPACITY) * image.data[pixel * 4 + c] + MASK_OPACITY * colour[c]);
    }
  });
  return { width, height, data };
}

/** The image, then each class-id mask [H, W] overlaid on it, side by side; returns the PNG as a `Shown<'png'>`. */
export async function showSegmentation(
  image: tf.Tensor3D,
  masks: tf.Tensor2D[],
  options: ShowSegmentationOptions = {},
): Promise<Shown<'png'>> {
  const panels = 1 + masks.length;
  const titles = options.titles?.length === masks.length ? [IMAGE_TITLE, ...options.titles] : options.titles;
  if (titles !== undefined && titles.length !== panels) {
    throw new Error(
      `showSegmentation: titles has ${titles.length} entries; expected ${masks.length} (one per mask) or ${panels} (the image, then one per mask)`,
    );
  }
  const base = await tensorToRgba(image, 'showSegmentation');
  const overlays = await Promise.all(masks.map((mask, i) => overlay(base, mask, i)));
  return showGrid(
    [base, ...overlays],
    { cols: panels, scale: options.scale, labels: titles, codec: options.codec, display: options.display },
    'showSegmentation',
    'segmentation',
  );
}
