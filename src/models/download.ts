import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from '../core/data-error';
import { downloadFile, mirrorHint } from '../core/download';
import { sha256OfFile, type Manifest } from '../core/manifest';
import { checkFolder, installVerified, prepareCache, tidyCache, type FolderState } from '../core/store';
import { parseModelJson } from './model-folder';
import dw13Files from './mobilenet-v1-to-dw13.manifest.json';

/** The official TF.js MobileNet v1 (depth 1.0, 224×224, ImageNet). */
export const MOBILENET_V1_URL = 'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_1.0_224/model.json';
/** A mirror of the folder that holds `model.json`, for where the official host is slow or blocked. */
export const BACKBONE_URL_ENV = 'CONVLAB_BACKBONE_URL';
/** Folder names of the backbone inside a models folder (and the cache's `models/`), the full model first. */
export const MOBILENET_V1_FOLDERS = ['mobilenet_v1_1.0_224', 'mobilenet_v1_1.0_224_to_dw13'] as const;

/**
 * The course's copy of MobileNet v1 cut after `conv_dw_13_relu`: every file pinned (written by
 * datasets/write-manifest.ts from the copy teachers hand out).
 */
export const MOBILENET_V1_TO_DW13_MANIFEST: Manifest = dw13Files;
/**
 * The full official model: its weight shards are the files the cut copy keeps unchanged, so those hashes are pinned;
 * its own model.json and the three shards of the layers the copy drops could not be hashed here and are not.
 */
export const MOBILENET_V1_MANIFEST: Manifest = {
  complete: false,
  files: dw13Files.files.filter((file) => file.path !== 'model.json'),
};

export function backboneUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env[BACKBONE_URL_ENV] || MOBILENET_V1_URL;
}

/** Reported after `model.json` and after every weight file. */
export interface ModelDownloadProgress {
  filesDone: number;
  filesTotal: number;
  bytes: number;
}

async function fetchInto(url: string, file: string): Promise<number> {
  // A file finished by an earlier, interrupted run is kept: only what is missing is fetched again.
  try {
    if (!fs.existsSync(file)) await downloadFile(url, file);
  } catch (error) {
    throw error instanceof DataError ? new DataError(error.message + mirrorHint(BACKBONE_URL_ENV)) : error;
  }
  return fs.statSync(file).size;
}

async function fetchModelFiles(modelUrl: string, staged: string, onProgress: (progress: ModelDownloadProgress) => void): Promise<void> {
  const modelJson = path.join(staged, 'model.json');
  const progress = { filesDone: 1, filesTotal: 1, bytes: await fetchInto(modelUrl, modelJson) };
  let weightPaths: string[];
  try {
    weightPaths = parseModelJson(fs.readFileSync(modelJson, 'utf8'), modelUrl).weightsManifest.flatMap((group) => group.paths);
  } catch (error) {
    fs.rmSync(modelJson);
    throw new DataError(`${(error as Error).message}: not a model; check ${BACKBONE_URL_ENV}.`);
  }
  progress.filesTotal += weightPaths.length;
  onProgress({ ...progress });
  for (const weightPath of weightPaths) {
    const file = path.join(staged, weightPath);
    if (path.dirname(file) !== staged) {
      fs.rmSync(staged, { recursive: true, force: true });
      throw new DataError(`${modelUrl} lists the weight path "${weightPath}" outside the model folder: refusing it.`);
    }
    progress.bytes += await fetchInto(new URL(weightPath, modelUrl).href, file);
    progress.filesDone += 1;
    onProgress({ ...progress });
  }
}

/**
 * Downloads a TF.js model (its `model.json` and every weight file it lists, resolved against its URL) into
 * `<modelsDir>/<name>`, checking it against `manifest`. Files gather in `<modelsDir>/.incoming/<name>`, which is renamed
 * into place when all are there and verified: a network failure keeps them for the next run, a mismatch deletes them.
 */
export async function downloadModel(
  modelUrl: string,
  modelsDir: string,
  name: string,
  manifest: Manifest,
  onProgress: (progress: ModelDownloadProgress) => void = () => {},
): Promise<string> {
  const staged = path.join(prepareCache(modelsDir), name);
  try {
    fs.mkdirSync(staged, { recursive: true });
    await fetchModelFiles(modelUrl, staged, onProgress);
    const target = path.join(modelsDir, name);
    installVerified(staged, manifest, target, 'The MobileNet backbone', modelUrl);
    return target;
  } catch (error) {
    // Files already complete are kept for the next run; an empty staging folder is not.
    if (fs.existsSync(staged) && fs.readdirSync(staged).length === 0) fs.rmdirSync(staged);
    throw error;
  } finally {
    tidyCache(modelsDir);
  }
}

/** Which backbone folder `folder` is: by its name, else by its model.json (the cut copy's is pinned). */
function backboneKind(folder: string): (typeof MOBILENET_V1_FOLDERS)[number] {
  const base = path.basename(folder);
  if ((MOBILENET_V1_FOLDERS as readonly string[]).includes(base)) return base as (typeof MOBILENET_V1_FOLDERS)[number];
  const dw13Json = MOBILENET_V1_TO_DW13_MANIFEST.files.find((file) => file.path === 'model.json');
  return sha256OfFile(path.join(folder, 'model.json')) === dw13Json?.sha256 ? MOBILENET_V1_FOLDERS[1] : MOBILENET_V1_FOLDERS[0];
}

const MANIFEST_OF = { [MOBILENET_V1_FOLDERS[0]]: MOBILENET_V1_MANIFEST, [MOBILENET_V1_FOLDERS[1]]: MOBILENET_V1_TO_DW13_MANIFEST };

/** Copies a model folder a teacher hands out into `<modelsDir>/`, through the same check as a download. */
export function importBackbone(folder: string, modelsDir: string, source: string): string {
  const name = backboneKind(folder);
  const copy = fs.mkdtempSync(path.join(prepareCache(modelsDir), `${name}-`));
  try {
    fs.cpSync(folder, copy, { recursive: true });
    installVerified(copy, MANIFEST_OF[name], path.join(modelsDir, name), 'The MobileNet backbone', source);
    return path.join(modelsDir, name);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
    tidyCache(modelsDir);
  }
}

/** The state of each backbone folder in the cache. */
export function checkBackbone(modelsDir: string): { name: string; folder: string; state: FolderState }[] {
  return MOBILENET_V1_FOLDERS.map((name) => {
    const folder = path.join(modelsDir, name);
    return { name, folder, state: checkFolder(folder, MANIFEST_OF[name]) };
  });
}
