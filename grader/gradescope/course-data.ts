/**
 * `convlab gradescope --with-data`: the course data notebooks 04 and 08 load (the ants-vs-bees photos, the MobileNet
 * backbone), carried in the autograder zip as a copy of the data cache `convlab data` fills, checked file by file
 * against the published hashes as `convlab data --check` does. On Gradescope, the sandbox child may read that folder
 * and finds it as its cache (`$CONVLAB_CACHE`), where the kit's loaders look; without it, the notebooks grade with
 * their stand-ins, as `convlab grade` does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HYMENOPTERA_FOLDER, HYMENOPTERA_MANIFEST } from '../../datasets/hymenoptera/source';
import { listFiles, type Manifest } from '../../src/core/manifest';
import { checkFolder, type FolderState } from '../../src/core/store';
import { MOBILENET_V1_FOLDERS, MOBILENET_V1_MANIFEST, MOBILENET_V1_TO_DW13_MANIFEST } from '../../src/models/download';
import { UsageError } from '../errors';
import type { ZipEntry } from './zip';

/** Where the zip carries the data: beside `dist/`, apart from `course/` (the hidden tests), which submission code may not read. */
export const AUTOGRADER_DATA = 'data';

/** What the data must match: the published hashes (tests give their own). */
export interface PublishedData {
  readonly photos: Manifest;
  /** the backbone folders `convlab data` may install, by folder name; the first one verified goes in the zip */
  readonly backbones: readonly { readonly name: string; readonly manifest: Manifest }[];
}

export const PUBLISHED_DATA: PublishedData = {
  photos: HYMENOPTERA_MANIFEST,
  backbones: [
    { name: MOBILENET_V1_FOLDERS[0], manifest: MOBILENET_V1_MANIFEST },
    { name: MOBILENET_V1_FOLDERS[1], manifest: MOBILENET_V1_TO_DW13_MANIFEST },
  ],
};

const stateText = (state: FolderState): string => (state === 'missing' ? 'missing' : state === 'verified' ? 'verified' : state.problem);

/**
 * The zip entries of the data in `cacheDir` (a course data cache, as `convlab data` leaves it), each folder checked
 * against `published` first; refuses with one line when a folder is missing or differs.
 */
export function courseDataEntries(cacheDir: string, published: PublishedData = PUBLISHED_DATA): ZipEntry[] {
  const photos = join(cacheDir, HYMENOPTERA_FOLDER);
  const photosState = checkFolder(photos, published.photos);
  const backbones = published.backbones.map(({ name, manifest }) => ({ name, folder: join(cacheDir, 'models', name), state: checkFolder(join(cacheDir, 'models', name), manifest) }));
  const backbone = backbones.find((candidate) => candidate.state === 'verified');
  if (photosState !== 'verified' || backbone === undefined) {
    const backboneText = backbones.find((candidate) => candidate.state !== 'missing')?.state ?? 'missing';
    throw new UsageError(`--with-data: the course data in ${cacheDir} is not complete (photos: ${stateText(photosState)}; backbone: `
      + `${stateText(backboneText)}): run "convlab data" (or "convlab data --from <folder>") first, or set CONVLAB_CACHE to where it is`);
  }
  return [[photos, HYMENOPTERA_FOLDER], [backbone.folder, `models/${backbone.name}`]].flatMap(([folder, name]) =>
    listFiles(folder!).map((path) => ({ name: `${AUTOGRADER_DATA}/${name}/${path}`, data: readFileSync(join(folder!, path)), mode: 0o644 })));
}

/** The data folder of the autograder in `sourceRoot`, when its zip carries one. */
export function shippedDataDir(sourceRoot: string): string | undefined {
  const dir = join(sourceRoot, AUTOGRADER_DATA);
  return existsSync(dir) ? dir : undefined;
}
