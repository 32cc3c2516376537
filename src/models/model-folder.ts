import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** The subset of a TF.js `model.json` this module reads. */
export interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/** A saved layers model: its JSON and a reader for the weight files it lists. */
export interface SavedModel {
  json: ModelJson;
  readWeightFile: (path: string) => Uint8Array;
}

/** Parses a `model.json` text, checking the two fields a layers model needs. `where` names the source in errors. */
export function parseModelJson(text: string, where: string): ModelJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  const candidate = json as Partial<ModelJson> | null;
  if (candidate === null || typeof candidate.modelTopology !== 'object' || !Array.isArray(candidate.weightsManifest)) {
    throw new Error(`${where} is not a TF.js layers model (it needs "modelTopology" and "weightsManifest")`);
  }
  return candidate as ModelJson;
}

/** Reads `model.json` in `dir`; its weight files are read when the model is built. */
export function readModelFolder(dir: string): SavedModel {
  const modelPath = join(dir, 'model.json');
  if (!existsSync(modelPath)) throw new Error(`no model.json in ${dir}`);
  return {
    json: parseModelJson(readFileSync(modelPath, 'utf8'), modelPath),
    readWeightFile: (path) => new Uint8Array(readFileSync(join(dir, path))),
  };
}

/**
 * Builds the model in memory (TF.js's own file loader needs tfjs-node). Weights of layers the topology no longer has
 * (cut off by `cutAtLayer`) are ignored, hence `strict: false`.
 */
export async function buildSavedModel({ json, readWeightFile }: SavedModel): Promise<tf.LayersModel> {
  const files = json.weightsManifest.flatMap((group) => group.paths.map(readWeightFile));
  const weightData = new Uint8Array(files.reduce((total, file) => total + file.byteLength, 0));
  let offset = 0;
  for (const file of files) {
    weightData.set(file, offset);
    offset += file.byteLength;
  }
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: weightData.buffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
  };
  return tf.loadLayersModel(tf.io.fromMemory(artifacts), { strict: false });
}
