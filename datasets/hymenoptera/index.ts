import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultImageCodec, type ImageCodec } from '../images/codec';
import { downloadFile, printProgressInSteps, verifySha256, type DownloadProgress } from './download';
import { extractZip } from './extract';
import { cacheDirectory, cachedRoot, isHymenopteraRoot, locateHymenoptera, notFoundMessage } from './locate';
import { readImageFolder, type ImageSet, type SkippedFile } from './read';
import { HYMENOPTERA_CLASSES, HYMENOPTERA_FOLDER, HYMENOPTERA_SHA256, HYMENOPTERA_URL } from './source';

export type { DownloadProgress } from './download';
export type { ImageSet, SkippedFile } from './read';
export { HYMENOPTERA_URL, HYMENOPTERA_SHA256 } from './source';

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
  /** Download from here instead of the official URL (a mirror; tests use a local server). */
  url?: string;
  /** Expected SHA-256 of the zip at `url`, hex (default HYMENOPTERA_SHA256 for the official URL). */
  sha256?: string;
  /** How images are decoded (default: sharp where it loads, pure JS otherwise). */
  codec?: ImageCodec;
}

function validatePositiveInteger(name: string, value: number): void {
  if (!(Number.isInteger(value) && value > 0) && value !== Infinity) {
    throw new Error(`loadHymenoptera: ${name} must be a positive integer, got ${value}`);
  }
}

/** Moves a finished folder into place with one rename, so readers never see a half-extracted dataset. */
function moveIntoPlace(extracted: string, target: string): void {
  try {
    fs.renameSync(extracted, target);
  } catch (error) {
    // Another process finished the same download first: its copy is as good as ours.
    if (!isHymenopteraRoot(target)) throw error;
  }
}

async function downloadIntoCache(
  cacheDir: string,
  url: string,
  sha256: string | undefined,
  onProgress: (progress: DownloadProgress) => void,
): Promise<string> {
  fs.mkdirSync(cacheDir, { recursive: true });
  const zipPath = path.join(cacheDir, `${HYMENOPTERA_FOLDER}.zip.${process.pid}.partial`);
  const staging = fs.mkdtempSync(path.join(cacheDir, `.${HYMENOPTERA_FOLDER}-`));
  try {
    verifySha256(url, await downloadFile(url, zipPath, onProgress), sha256);
    await extractZip(zipPath, staging);
    const extracted = path.join(staging, HYMENOPTERA_FOLDER);
    if (!isHymenopteraRoot(extracted)) {
      throw new Error(`The zip at ${url} has no ${HYMENOPTERA_FOLDER}/train and ${HYMENOPTERA_FOLDER}/val folders`);
    }
    const target = cachedRoot(cacheDir);
    moveIntoPlace(extracted, target);
    return target;
  } finally {
    fs.rmSync(zipPath, { force: true });
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

async function resolveRoot(options: HymenopteraOptions): Promise<string> {
  const cacheDir = path.resolve(options.cacheDir ?? cacheDirectory());
  const located = locateHymenoptera(options.root, cacheDir);
  if (located.found) return located.root;
  if (options.download === false) throw new Error(notFoundMessage(located.looked));
  const url = options.url ?? HYMENOPTERA_URL;
  const sha256 = options.sha256 ?? (url === HYMENOPTERA_URL ? HYMENOPTERA_SHA256 : undefined);
  return downloadIntoCache(cacheDir, url, sha256, options.onProgress ?? printProgressInSteps());
}

/**
 * The ants-vs-bees images of PyTorch's transfer-learning tutorial, centre-cropped squares in [0, 1].
 * Looks in `root`, then CONVLAB_DATA, then the cache, and downloads into the cache as a last resort.
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
