import * as path from 'node:path';
import { cacheDirectory } from '../../src/core/cache';
import { DataError } from '../../src/core/data-error';
import { printProgressInSteps, type DownloadProgress } from '../../src/core/download';
import type { Manifest } from '../../src/core/manifest';
import { defaultImageCodec, type ImageCodec } from '../../src/core/images/codec';
import { locateHymenoptera, notFoundMessage } from './locate';
import { readImageFolder, type ImageSet, type SkippedFile } from './read';
import { HYMENOPTERA_CLASSES, HYMENOPTERA_MANIFEST, hymenopteraUrl } from './source';
import { fetchHymenoptera } from './store';

export type { DownloadProgress } from '../../src/core/download';
export type { ImageSet, SkippedFile } from './read';
export { HYMENOPTERA_URL, HYMENOPTERA_URL_ENV } from './source';

export interface HymenopteraData {
  classes: ['ants', 'bees'];
  train: ImageSet;
  val: ImageSet;
  /** The folder the images were read from (it holds train/ and val/). */
  root: string;
  /** Files left out, with the reason (the dataset's own imageNotFound.gif is one). */
  skipped: SkippedFile[];
}

export interface HymenopteraOptions {
  /** A folder holding train/ and val/, or holding hymenoptera_data/. */
  root?: string;
  /** Side of the square images, in pixels (default 224). */
  imageSize?: number;
  /** At most this many images per class and split (default: all). */
  limitPerClass?: number;
  /** Download into the cache when the data is nowhere else (default true). */
  download?: boolean;
  /** Called for every downloaded chunk; by default a line is printed per 10%. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Where downloads go (default CONVLAB_CACHE, else ~/.cache/convlab). */
  cacheDir?: string;
  /** Download from here (default CONVLAB_HYMENOPTERA_URL, else the official URL). */
  url?: string;
  /** The files the download must hold (default: the published data's; tests pass their own). */
  manifest?: Manifest;
  /** How images are decoded (default: sharp where it loads, pure JS otherwise). */
  codec?: ImageCodec;
}

function validatePositiveInteger(name: string, value: number): void {
  if (!(Number.isInteger(value) && value > 0) && value !== Infinity) {
    throw new Error(`loadHymenoptera: ${name} must be a positive integer, got ${value}`);
  }
}

async function resolveRoot(options: HymenopteraOptions): Promise<string> {
  const cacheDir = path.resolve(options.cacheDir ?? cacheDirectory());
  const located = locateHymenoptera(options.root, cacheDir);
  if (located.found) return located.root;
  if (options.download === false) throw new DataError(notFoundMessage(located.looked));
  const url = options.url ?? hymenopteraUrl();
  return fetchHymenoptera(cacheDir, url, options.manifest ?? HYMENOPTERA_MANIFEST, options.onProgress ?? printProgressInSteps());
}

/**
 * The ants-vs-bees images of PyTorch's transfer-learning tutorial, centre-cropped squares in [0, 1].
 * Looks in `root`, then CONVLAB_DATA, then the cache (filled by `convlab data`), and downloads into the cache as a
 * last resort, checking every file against the published data.
 */
export async function loadHymenoptera(options: HymenopteraOptions = {}): Promise<HymenopteraData> {
  const { imageSize = 224, limitPerClass = Infinity, codec = defaultImageCodec() } = options;
  validatePositiveInteger('imageSize', imageSize);
  validatePositiveInteger('limitPerClass', limitPerClass);
  const root = await resolveRoot(options);
  const readOptions = { imageSize, codec, limitPerClass, warn: (message: string) => console.warn(message) };
  const train = await readImageFolder(path.join(root, 'train'), HYMENOPTERA_CLASSES, readOptions);
  const val = await readImageFolder(path.join(root, 'val'), HYMENOPTERA_CLASSES, readOptions);
  return {
    classes: [...HYMENOPTERA_CLASSES],
    train: train.set,
    val: val.set,
    root,
    skipped: [...train.skipped, ...val.skipped],
  };
}
