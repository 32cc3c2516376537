import * as tf from '@tensorflow/tfjs';

/** 8-bit RGBA pixels, row-major [height, width, 4]. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

const WHITE = 255;

/**
 * An image tensor [H, W, C] with 1 (grey), 3 (RGB) or 4 (RGBA) channels as RGBA bytes. Float tensors are read as
 * [0, 1] (what models and loaders here produce), int32 tensors as 0–255; values outside are clamped.
 */
export async function tensorToRgba(image: tf.Tensor3D, caller: string): Promise<RgbaImage> {
  if (image.rank !== 3) throw new Error(`${caller}: expected an image of shape [height, width, channels], got [${image.shape}]`);
  const [height, width, channels] = image.shape;
  if (![1, 3, 4].includes(channels)) {
    throw new Error(`${caller}: expected 1, 3 or 4 channels, got ${channels} (shape [${image.shape}])`);
  }
  const scale = image.dtype === 'int32' ? 1 : 255;
  const values = await image.data();
  const data = new Uint8Array(width * height * 4);
  for (let pixel = 0; pixel < width * height; pixel++) {
    for (let c = 0; c < 3; c++) {
      data[pixel * 4 + c] = Math.round(Math.min(255, Math.max(0, values[pixel * channels + (channels === 1 ? 0 : c)] * scale)));
    }
    data[pixel * 4 + 3] = channels === 4 ? Math.round(Math.min(255, Math.max(0, values[pixel * 4 + 3] * scale))) : 255;
  }
  return { width, height, data };
}

/** Enlarges by an integer factor, keeping pixels square and sharp (nearest neighbour): small images stay legible. */
function enlarge(image: RgbaImage, scale: number): RgbaImage {
  if (scale === 1) return image;
  const width = image.width * scale;
  const height = image.height * scale;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const source = (Math.floor(y / scale) * image.width + Math.floor(x / scale)) * 4;
      data.set(image.data.subarray(source, source + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

export interface GridLayout {
  cols: number;
  scale: number;
  /** Pixels of white between cells. */
  gap: number;
}

/** Places images left to right, top to bottom, in cells as large as the largest image, on white. */
export function composeGrid(images: RgbaImage[], { cols, scale, gap }: GridLayout): RgbaImage {
  const cells = images.map((image) => enlarge(image, scale));
  const cellWidth = Math.max(...cells.map((cell) => cell.width));
  const cellHeight = Math.max(...cells.map((cell) => cell.height));
  const columns = Math.min(cols, cells.length);
  const rows = Math.ceil(cells.length / columns);
  const width = columns * cellWidth + (columns - 1) * gap;
  const height = rows * cellHeight + (rows - 1) * gap;
  const data = new Uint8Array(width * height * 4).fill(WHITE);
  cells.forEach((cell, i) => {
    const left = (i % columns) * (cellWidth + gap);
    const top = Math.floor(i / columns) * (cellHeight + gap);
    for (let y = 0; y < cell.height; y++) {
      data.set(cell.data.subarray(y * cell.width * 4, (y + 1) * cell.width * 4), ((top + y) * width + left) * 4);
    }
  });
  return { width, height, data };
}

/** The default enlargement: small images (MNIST's 28 px) grow to about 128 px, large ones stay as they are. */
export function defaultScale(images: RgbaImage[]): number {
  return Math.max(1, Math.floor(128 / Math.max(...images.map((image) => Math.max(image.width, image.height)))));
}
