import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { cacheDirectory } from '../core/cache';
import type { Manifest } from '../core/manifest';
import { isGrading } from '../grading';
import { backboneUrl, downloadModel, MOBILENET_V1_FOLDERS, MOBILENET_V1_MANIFEST, type ModelDownloadProgress } from './download';
import { buildSavedModel, readModelFolder, type SavedModel } from './model-folder';
import { readNsfwjsMobileNetV2 } from './nsfwjs';
import { checkImageSize, cutAtLayer, layerNames, withInputSize } from './topology';

/** A folder of models (or one model folder) to use before the cache. */
export const MODELS_ENV = 'CONVLAB_MODELS';
/**
 * Feature layers by preference: MobileNet v1's last block output, the same model cut one layer earlier (as in the dev
 * copy, whose last pointwise layer is missing), MobileNetV2's last block output.
 */
export const FEATURE_LAYERS = ['conv_pw_13_relu', 'conv_dw_13_relu', 'out_relu'] as const;

export type BackboneSource = 'folder' | 'cache' | 'download' | 'nsfwjs';

export interface BackboneAttempt {
  source: BackboneSource;
  location: string;
  error: string;
}

export interface Backbone {
  model: tf.LayersModel;
  /** Human-readable, e.g. "MobileNet v1 1.0 224 (ImageNet)". */
  name: string;
  source: BackboneSource;
  /** The folder, URL or package it came from. */
  location: string;
  /** The layer whose activations serve as image features, a feature map [batch, h, w, channels]: the model's output. */
  featureLayer: string;
  /** Height and width the backbone expects. */
  imageSize: number;
  /** The pixel range the backbone was trained on. */
  inputRange: readonly [number, number];
  /** Sources tried before this one, with why each failed. */
  attempts: BackboneAttempt[];
  /** Maps images with pixels in [0, 1] to `inputRange`. */
  preprocess(images: tf.Tensor4D): tf.Tensor4D;
}

export interface LoadBackboneOptions {
  /** A model folder, or a folder holding one of `MOBILENET_V1_FOLDERS`; default `$CONVLAB_MODELS`. */
  modelDir?: string;
  /** Where downloaded models are kept; default `$CONVLAB_CACHE/models` or `~/.cache/convlab/models`. */
  cacheDir?: string;
  /** Default `$CONVLAB_BACKBONE_URL`, else `MOBILENET_V1_URL`. */
  url?: string;
  /** The files a download must match (default: the pinned hashes of MobileNet v1; tests pass their own). */
  manifest?: Manifest;
  /** Allow downloading; default true except in grading mode, where the sandbox has no network. */
  download?: boolean;
  /**
   * Input height and width; default the model's own (224). A smaller size trades accuracy for speed: the grading
   * run uses 96.
   */
  imageSize?: number;
  /** Receives the progress and decision lines; default `console.log`. */
  log?: (line: string) => void;
}

interface Candidate {
  source: BackboneSource;
  location: string;
  name: string;
  inputRange: readonly [number, number];
  read: () => SavedModel | Promise<SavedModel>;
}

const MOBILENET_V1_NAME = 'MobileNet v1 1.0 224 (ImageNet)';
const NSFWJS_NAME = 'MobileNetV2 from the nsfwjs package (ImageNet weights fine-tuned on nsfwjs categories)';
const NSFWJS_CAVEAT = ' (offline fallback: expect lower accuracy than the ImageNet MobileNet)';

/** `models/` in the cache (`$CONVLAB_CACHE` or `~/.cache/convlab`), where `convlab data` puts the backbone. */
export function defaultModelCacheDir(): string {
  return join(cacheDirectory(), 'models');
}

/** The model folder inside `dir`: `dir` itself when it holds a model.json, else the first known MobileNet folder. */
export function findModelFolder(dir: string): string | undefined {
  return [dir, ...MOBILENET_V1_FOLDERS.map((name) => join(dir, name))].find((folder) =>
    existsSync(join(folder, 'model.json')),
  );
}

export function pickFeatureLayer(layers: readonly string[]): string {
  const found = FEATURE_LAYERS.find((name) => layers.includes(name));
  if (found === undefined) {
    throw new Error(`the model has none of the feature layers ${FEATURE_LAYERS.join(', ')}`);
  }
  return found;
}

function formatProgress({ filesDone, filesTotal, bytes }: ModelDownloadProgress): string {
  return `  ${filesDone}/${filesTotal} files, ${(bytes / 1e6).toFixed(1)} MB`;
}

function candidates(options: LoadBackboneOptions, log: (line: string) => void): Candidate[] {
  const modelDir = options.modelDir ?? process.env[MODELS_ENV];
  const url = options.url ?? backboneUrl();
  const cacheDir = options.cacheDir ?? defaultModelCacheDir();
  const mobilenetV1 = { name: MOBILENET_V1_NAME, inputRange: [-1, 1] as const };
  const list: Candidate[] = [];
  if (modelDir) {
    list.push({
      ...mobilenetV1,
      source: 'folder',
      location: modelDir,
      read: () => {
        const folder = findModelFolder(modelDir);
        if (folder === undefined) {
          throw new Error(`no model.json in ${modelDir} or its ${MOBILENET_V1_FOLDERS.join(', ')} folders`);
        }
        return readModelFolder(folder);
      },
    });
  }
  list.push({
    ...mobilenetV1,
    source: 'cache',
    location: cacheDir,
    read: () => {
      const folder = findModelFolder(cacheDir);
      if (folder === undefined) throw new Error(`no backbone in the cache yet (run npm run data)`);
      return readModelFolder(folder);
    },
  });
  if (options.download ?? !isGrading()) {
    list.push({
      ...mobilenetV1,
      source: 'download',
      location: url,
      read: async () => {
        log(`Downloading ${MOBILENET_V1_NAME} from ${url} into ${cacheDir} (once)`);
        let lastReported = 0;
        const manifest = options.manifest ?? MOBILENET_V1_MANIFEST;
        const folder = await downloadModel(url, cacheDir, MOBILENET_V1_FOLDERS[0], manifest, (progress) => {
          // About ten lines for the 56 files of MobileNet v1, and always the last one.
          if (progress.filesDone === progress.filesTotal || progress.filesDone - lastReported >= 6) {
            lastReported = progress.filesDone;
            log(formatProgress(progress));
          }
        });
        return readModelFolder(folder);
      },
    });
  }
  list.push({
    source: 'nsfwjs',
    location: 'nsfwjs/models/mobilenet_v2',
    name: NSFWJS_NAME,
    inputRange: [0, 1],
    read: readNsfwjsMobileNetV2,
  });
  return list;
}

/**
 * Loads an ImageNet-pretrained MobileNet, cut at its feature layer, to use as a frozen feature extractor, trying in
 * order: a local model folder (`modelDir` or `$CONVLAB_MODELS`), the download cache, a download of the official
 * MobileNet v1 (not in grading mode), and the MobileNetV2 bundled with nsfwjs. Logs which one it used and why the
 * earlier ones were skipped.
 */
export async function loadBackbone(options: LoadBackboneOptions = {}): Promise<Backbone> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (options.imageSize !== undefined) checkImageSize(options.imageSize);
  const attempts: BackboneAttempt[] = [];
  for (const candidate of candidates(options, log)) {
    let model: tf.LayersModel | undefined;
    try {
      const saved = await candidate.read();
      const featureLayer = pickFeatureLayer(layerNames(saved.json));
      const backboneJson = cutAtLayer(saved.json, featureLayer);
      const json = options.imageSize === undefined ? backboneJson : withInputSize(backboneJson, options.imageSize);
      model = await buildSavedModel({ json, readWeightFile: saved.readWeightFile });
      const [low, high] = candidate.inputRange;
      const imageSize = model.inputs[0].shape[1] ?? 224;
      const shape = JSON.stringify(model.getLayer(featureLayer).outputShape);
      const origin = `${candidate.source} ${candidate.location}`;
      const fallback = candidate.source === 'nsfwjs' ? NSFWJS_CAVEAT : '';
      log(`Backbone: ${candidate.name}, from ${origin}${fallback}; features "${featureLayer}" ${shape}`);
      return {
        model,
        name: candidate.name,
        source: candidate.source,
        location: candidate.location,
        featureLayer,
        imageSize,
        inputRange: candidate.inputRange,
        attempts,
        preprocess: (images) => tf.tidy(() => images.mul(high - low).add(low)),
      };
    } catch (error) {
      model?.dispose();
      const message = error instanceof Error ? error.message : String(error);
      attempts.push({ source: candidate.source, location: candidate.location, error: message });
      log(`Skipped ${candidate.source} ${candidate.location}: ${message}`);
    }
  }
  throw new Error(`No backbone could be loaded: ${attempts.map((a) => `${a.source} (${a.error})`).join('; ')}`);
}
