import * as tf from '@tensorflow/tfjs';
import type { Display } from 'tslab';
import { defaultImageCodec, type ImageCodec } from '../core/images/codec';
import { escapeMarkup, PALETTE, pngDataUri } from './html';
import { showInCell } from './output';
import { Shown } from './shown';
import { tensorToRgba } from './pixels';

export interface LabelledBox {
  /** x1, y1, x2, y2 in image pixels. */
  box: number[];
  label?: string;
  score?: number;
}

export interface ShowBoxesOptions {
  /** Enlargement of the picture (default: small images grow to about 256 px). */
  scale?: number;
  codec?: ImageCodec;
  /** Where to show it (default: tslab's display for the running cell; tests pass a recorder). */
  display?: Display;
}

// Sizes in screen pixels; the SVG works in image pixels, so they are divided by the scale.
const STROKE_PX = 2;
const FONT_PX = 12;

function caption({ label, score }: LabelledBox): string {
  return [label, score === undefined ? undefined : score.toFixed(2)].filter((part) => part !== undefined).join(' ');
}

function validateBox(box: number[], index: number): [number, number, number, number] {
  if (box.length !== 4 || !box.every(Number.isFinite)) {
    throw new Error(`showBoxes: box ${index} must be [x1, y1, x2, y2] in pixels, got [${box}]`);
  }
  return box as [number, number, number, number];
}

/** The image (embedded PNG) with each box outlined and captioned, as SVG; one colour per label. */
export async function showBoxes(image: tf.Tensor3D, boxes: LabelledBox[], options: ShowBoxesOptions = {}): Promise<Shown<'svg'>> {
  const pixels = await tensorToRgba(image, 'showBoxes');
  const { width, height } = pixels;
  const scale = options.scale ?? Math.max(1, Math.floor(256 / Math.max(width, height)));
  if (!(scale > 0)) throw new Error(`showBoxes: scale must be positive, got ${scale}`);
  const png = await (options.codec ?? defaultImageCodec()).encodePng(pixels.data, width, height);
  const labels = [...new Set(boxes.map((box) => box.label ?? ''))];
  const stroke = STROKE_PX / scale;
  const font = FONT_PX / scale;
  const marks = boxes.map((entry, i) => {
    const [x1, y1, x2, y2] = validateBox(entry.box, i);
    const colour = PALETTE[labels.indexOf(entry.label ?? '') % PALETTE.length];
    const text = caption(entry);
    // The caption sits on a filled tab above the box, or inside it when the box touches the top edge.
    const tabY = y1 >= font * 1.3 ? y1 - font * 1.3 : y1;
    const tab = text === ''
      ? ''
      : `<rect x="${x1}" y="${tabY}" width="${text.length * font * 0.62 + font * 0.4}" height="${font * 1.3}" fill="${colour}"/>` +
        `<text x="${x1 + font * 0.2}" y="${tabY + font}" font-size="${font}" font-family="sans-serif" fill="white">${escapeMarkup(text)}</text>`;
    return `<g class="box"><rect x="${x1}" y="${y1}" width="${x2 - x1}" height="${y2 - y1}" fill="none" stroke="${colour}" stroke-width="${stroke}"/>${tab}</g>`;
  });
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width * scale}" height="${height * scale}" viewBox="0 0 ${width} ${height}">` +
    `<image href="${pngDataUri(png)}" width="${width}" height="${height}" style="image-rendering:pixelated"/>` +
    `${marks.join('')}</svg>`;
  showInCell((cell) => cell.svg(svg), options.display);
  return new Shown('image with boxes', 'svg', svg);
}
