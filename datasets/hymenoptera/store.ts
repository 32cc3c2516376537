import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from '../../src/core/data-error';
import { downloadFile, mirrorHint, type ProgressListener } from '../../src/core/download';
import { extractZip } from '../../src/core/extract';
import type { Manifest } from '../../src/core/manifest';
import { checkFolder, installVerified, prepareCache, tidyCache, type FolderState } from '../../src/core/store';
import { cachedRoot, rootIn } from './locate';
import { HYMENOPTERA_FOLDER, HYMENOPTERA_URL_ENV } from './source';

const WHAT = 'The ants-vs-bees photos';

/** Copies the photos in `folder` (a hymenoptera root) into the cache through the manifest check. */
export function importHymenoptera(folder: string, cacheDir: string, manifest: Manifest, source: string): string {
  const staging = prepareCache(cacheDir);
  const copy = fs.mkdtempSync(path.join(staging, `${HYMENOPTERA_FOLDER}-`));
  try {
    fs.cpSync(folder, copy, { recursive: true });
    installVerified(copy, manifest, cachedRoot(cacheDir), WHAT, source);
    return cachedRoot(cacheDir);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
    tidyCache(cacheDir);
  }
}

/** Unpacks a zip holding `hymenoptera_data/` and installs it; `source` names the zip in errors. */
async function importHymenopteraZip(zip: string, cacheDir: string, manifest: Manifest, source: string): Promise<string> {
  const staging = prepareCache(cacheDir);
  const unpacked = fs.mkdtempSync(path.join(staging, 'unpacked-'));
  try {
    await extractZip(zip, unpacked, source);
    const root = rootIn(unpacked);
    if (root === undefined) throw new DataError(`${source} holds no ${HYMENOPTERA_FOLDER}/ folder with train/ and val/: get the course's copy.`);
    return importHymenoptera(root, cacheDir, manifest, source);
  } finally {
    fs.rmSync(unpacked, { recursive: true, force: true });
    tidyCache(cacheDir);
  }
}

/**
 * Downloads the zip (resuming an earlier partial download), checks its content file by file and installs it in the
 * cache. A network failure keeps the partial download for the next run; a damaged or wrong archive leaves nothing.
 */
export async function fetchHymenoptera(cacheDir: string, url: string, manifest: Manifest, onProgress: ProgressListener): Promise<string> {
  const zip = path.join(prepareCache(cacheDir), `${HYMENOPTERA_FOLDER}.zip`);
  try {
    await downloadFile(url, zip, { onProgress });
  } catch (error) {
    tidyCache(cacheDir);
    throw error instanceof DataError ? new DataError(error.message + mirrorHint(HYMENOPTERA_URL_ENV)) : error;
  }
  try {
    return await importHymenopteraZip(zip, cacheDir, manifest, url);
  } finally {
    fs.rmSync(zip, { force: true });
    tidyCache(cacheDir);
  }
}

export function checkHymenoptera(cacheDir: string, manifest: Manifest): FolderState {
  return checkFolder(cachedRoot(cacheDir), manifest);
}
