import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError, NOTHING_INSTALLED, reasonOf } from './data-error';
import { compareWithManifest, describeDifference, isSame, type Manifest } from './manifest';

/** Where unfinished downloads and unpacked archives wait inside the cache; never read as data. */
export const STAGING_FOLDER = '.incoming';

/** Creates the cache folder and proves it is writable, or says which folder to use instead. */
export function prepareCache(cacheDir: string): string {
  const staging = path.join(cacheDir, STAGING_FOLDER);
  try {
    fs.mkdirSync(staging, { recursive: true });
    fs.accessSync(staging, fs.constants.W_OK);
  } catch (error) {
    throw new DataError(
      `Cannot write to the cache folder ${cacheDir} (${(error as NodeJS.ErrnoException).code ?? reasonOf(error)}): set CONVLAB_CACHE to a folder you can write to.`,
    );
  }
  return staging;
}

/** Removes the staging folder when nothing is left in it, so a failed run leaves the cache as it found it. */
export function tidyCache(cacheDir: string): void {
  const staging = path.join(cacheDir, STAGING_FOLDER);
  try {
    if (fs.readdirSync(staging).length === 0) fs.rmdirSync(staging);
  } catch {
    // Already gone, or not ours to tidy.
  }
}

/**
 * Checks the folder `staged` against `manifest`, then renames it to `target` (one rename, so readers never see a
 * half-installed folder). On a mismatch `staged` is deleted and the error names the files that differ.
 */
export function installVerified(staged: string, manifest: Manifest, target: string, what: string, source: string): void {
  try {
    const difference = compareWithManifest(staged, manifest);
    if (!isSame(difference)) {
      throw new DataError(
        `${what} from ${source} is not the published data: ${describeDifference(difference)}. ${NOTHING_INSTALLED}`,
      );
    }
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(staged, target);
  } finally {
    fs.rmSync(staged, { recursive: true, force: true });
  }
}

export type FolderState = 'verified' | 'missing' | { problem: string };

/** What `convlab data --check` reports for one folder of the cache. */
export function checkFolder(folder: string, manifest: Manifest): FolderState {
  if (!fs.existsSync(folder)) return 'missing';
  const difference = compareWithManifest(folder, manifest);
  return isSame(difference) ? 'verified' : { problem: describeDifference(difference) };
}
