/**
 * `npm run data` / `convlab data`: fetches everything the course needs (the ants-vs-bees photos, the MobileNet backbone) into the
 * cache, or imports a copy a teacher hands out (`--from <folder|zip>`), each file checked against the published data;
 * `--check` says what the cache holds. Returns what it did; printing is the CLI's job.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rootIn as hymenopteraRootIn } from '../hymenoptera/locate';
import { HYMENOPTERA_FOLDER, HYMENOPTERA_MANIFEST, hymenopteraUrl } from '../hymenoptera/source';
import { checkHymenoptera, fetchHymenoptera, importHymenoptera } from '../hymenoptera/store';
import { cacheDirectory } from '../../src/core/cache';
import { DataError } from '../../src/core/data-error';
import { printProgressInSteps } from '../../src/core/download';
import { extractZip } from '../../src/core/extract';
import { prepareCache, tidyCache } from '../../src/core/store';
import { findModelFolder } from '../../src/models/backbone';
import { backboneUrl, checkBackbone, downloadModel, importBackbone, MOBILENET_V1_FOLDERS, MOBILENET_V1_MANIFEST } from '../../src/models/download';
import type { DataItemState, DataReport } from './report';

export interface DataOptions {
  readonly check: boolean;
  readonly from?: string;
  /** Default `$CONVLAB_CACHE`, else `~/.cache/convlab`. */
  readonly cacheDir?: string;
  /** Progress lines (default: standard error, so the report on standard output stays clean). */
  readonly log?: (line: string) => void;
}

const modelsDirOf = (cacheDir: string) => path.join(cacheDir, 'models');

function photosState(cacheDir: string): DataItemState {
  return { item: 'photos', state: checkHymenoptera(cacheDir, HYMENOPTERA_MANIFEST), folder: path.join(cacheDir, HYMENOPTERA_FOLDER) };
}

/** The backbone folder that is verified, else the first one present (with its problem), else missing. */
function backboneState(cacheDir: string): DataItemState {
  const folders = checkBackbone(modelsDirOf(cacheDir));
  const best = folders.find((entry) => entry.state === 'verified') ?? folders.find((entry) => entry.state !== 'missing') ?? folders[0]!;
  return { item: 'backbone', state: best.state, folder: best.folder };
}

function checkCache(cacheDir: string): DataItemState[] {
  return [photosState(cacheDir), backboneState(cacheDir)];
}

async function fetchAll(cacheDir: string, log: (line: string) => void): Promise<DataItemState[]> {
  const [photos, backbone] = checkCache(cacheDir);
  const results: DataItemState[] = [];
  const failures: string[] = [];
  if (photos!.state === 'verified') results.push({ ...photos!, state: 'kept' });
  else {
    const url = hymenopteraUrl();
    log(`Downloading the ants-vs-bees photos from ${url}`);
    await fetchHymenoptera(cacheDir, url, HYMENOPTERA_MANIFEST, printProgressInSteps(log)).then(
      (folder) => results.push({ item: 'photos', state: 'installed', folder }),
      (error: unknown) => failures.push(messageOfDataError(error)),
    );
  }
  if (backbone!.state === 'verified') results.push({ ...backbone!, state: 'kept' });
  else {
    const url = backboneUrl();
    log(`Downloading the MobileNet v1 backbone from ${url}`);
    await downloadModel(url, modelsDirOf(cacheDir), MOBILENET_V1_FOLDERS[0], MOBILENET_V1_MANIFEST, ({ filesDone, filesTotal }) => {
      if (filesDone === filesTotal || filesDone % 10 === 0) log(`  ${filesDone}/${filesTotal} files`);
    }).then(
      (folder) => results.push({ item: 'backbone', state: 'installed', folder }),
      (error: unknown) => failures.push(messageOfDataError(error)),
    );
  }
  if (failures.length > 0) throw new DataError(failures.join(' '));
  return results;
}

/** Imports what `folder` holds: `hymenoptera_data/` (or the photos' own train/ and val/) and/or a MobileNet folder. */
function importFolder(folder: string, cacheDir: string, source: string): DataItemState[] {
  const photos = hymenopteraRootIn(folder);
  const model = findModelFolder(folder);
  if (photos === undefined && model === undefined) {
    throw new DataError(
      `${source} holds neither ${HYMENOPTERA_FOLDER}/ nor a MobileNet folder (${MOBILENET_V1_FOLDERS.join(', ')}): point --from at the folder that holds them.`,
    );
  }
  const results: DataItemState[] = [];
  if (photos !== undefined) results.push({ item: 'photos', state: 'installed', folder: importHymenoptera(photos, cacheDir, HYMENOPTERA_MANIFEST, source) });
  if (model !== undefined) results.push({ item: 'backbone', state: 'installed', folder: importBackbone(model, modelsDirOf(cacheDir), source) });
  return results;
}

async function importFrom(from: string, cacheDir: string): Promise<DataItemState[]> {
  const source = path.resolve(from);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(source);
  } catch {
    throw new DataError(`--from ${from}: no such file or folder`);
  }
  if (stat.isDirectory()) return importFolder(source, cacheDir, from);
  const unpacked = fs.mkdtempSync(path.join(prepareCache(cacheDir), 'unpacked-'));
  try {
    await extractZip(source, unpacked, from);
    return importFolder(unpacked, cacheDir, from);
  } finally {
    fs.rmSync(unpacked, { recursive: true, force: true });
    tidyCache(cacheDir);
  }
}

function messageOfDataError(error: unknown): string {
  if (error instanceof DataError) return error.message;
  throw error;
}

export async function courseData(options: DataOptions): Promise<DataReport> {
  const cacheDir = path.resolve(options.cacheDir ?? cacheDirectory());
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (options.check && options.from !== undefined) throw new DataError('--check and --from do not go together: check after importing');
  try {
    if (options.check) return { mode: 'check', cacheDir, items: checkCache(cacheDir) };
    if (options.from !== undefined) return { mode: 'import', cacheDir, items: await importFrom(options.from, cacheDir) };
    return { mode: 'fetch', cacheDir, items: await fetchAll(cacheDir, log) };
  } catch (error) {
    throw error instanceof DataError ? new DataError(error.message) : error;
  }
}
