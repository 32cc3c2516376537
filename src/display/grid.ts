import { defaultImageCodec, type ImageCodec } from '../core/images/codec';
import { escapeMarkup, pngDataUri } from './html';
import type { Display } from 'tslab';
import { showInCell } from './output';
import { Shown } from './shown';
import { composeGrid, defaultScale, type GridLayout, type RgbaImage } from './pixels';

export interface CaptionedGridOptions {
  cols: number;
  scale?: number;
  labels?: string[];
  title?: string;
  codec?: ImageCodec;
  /** Where to show it (default: tslab's display for the running cell; tests pass a recorder). */
  display?: Display;
}

const GAP = 2;

/**
 * Captions as HTML: the grid is cut into one PNG strip per row, each followed by a row of label cells as wide as
 * the image cells, so every label sits under its image.
 */
async function captionedHtml(
  images: RgbaImage[],
  layout: GridLayout,
  cellWidth: number,
  labels: string[],
  title: string | undefined,
  codec: ImageCodec,
): Promise<string> {
  const rows: string[] = [];
  for (let start = 0; start < images.length; start += layout.cols) {
    const strip = composeGrid(images.slice(start, start + layout.cols), layout);
    const png = await codec.encodePng(strip.data, strip.width, strip.height);
    const captions = labels
      .slice(start, start + layout.cols)
      .map((label) => `<td style="width:${cellWidth}px;text-align:center;padding:0 0 ${GAP}px 0">${escapeMarkup(label)}</td>`);
    rows.push(
      `<tr><td colspan="${layout.cols}" style="padding:0"><img src="${pngDataUri(png)}" width="${strip.width}" height="${strip.height}" style="image-rendering:pixelated"></td></tr>`,
      `<tr>${captions.join('')}</tr>`,
    );
  }
  const caption = title === undefined ? '' : `<caption style="font-weight:bold">${escapeMarkup(title)}</caption>`;
  return `<table style="border-collapse:collapse;table-layout:fixed">${caption}${rows.join('')}</table>`;
}

/**
 * Shows images as one grid and returns the grid as a PNG. With labels or a title the cell shows an HTML table around
 * the same pixels (PNG strips per row with their captions); without, just the PNG. `what` names it when printed.
 */
export async function showGrid(
  images: RgbaImage[],
  options: CaptionedGridOptions,
  caller: string,
  what: string,
): Promise<Shown<'png'>> {
  if (images.length === 0) throw new Error(`${caller}: no images to show`);
  const { labels, title, codec = defaultImageCodec(), display } = options;
  if (labels !== undefined && labels.length !== images.length) {
    throw new Error(`${caller}: got ${labels.length} labels for ${images.length} images`);
  }
  const scale = options.scale ?? defaultScale(images);
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`${caller}: scale must be a positive integer, got ${scale}`);
  if (!Number.isInteger(options.cols) || options.cols < 1) {
    throw new Error(`${caller}: cols must be a positive integer, got ${options.cols}`);
  }
  const layout: GridLayout = { cols: Math.min(options.cols, images.length), scale, gap: GAP };
  const grid = composeGrid(images, layout);
  const png = await codec.encodePng(grid.data, grid.width, grid.height);
  if (labels === undefined && title === undefined) {
    showInCell((cell) => cell.png(png), display);
  } else {
    const cellWidth = Math.max(...images.map((image) => image.width)) * scale;
    const html = await captionedHtml(images, layout, cellWidth, labels ?? [], title, codec);
    showInCell((cell) => cell.html(html), display);
  }
  return new Shown(what, 'png', png);
}
