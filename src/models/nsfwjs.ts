import { parseModelJson, type SavedModel } from './model-folder';

/** The bundle shape of `nsfwjs/models/mobilenet_v2`: lazy loaders for the model JSON and base64 weight shards. */
interface NsfwjsModelBundle {
  modelJson: () => Promise<{ default: unknown }>;
  weightBundles: (() => Promise<{ default: string }>)[];
}

/**
 * Reads the MobileNetV2 that the `nsfwjs` package ships inside node_modules (ImageNet weights fine-tuned on nsfwjs's
 * five categories), so a backbone is available with no network and no model folder.
 */
export async function readNsfwjsMobileNetV2(): Promise<SavedModel> {
  const { MobileNetV2Model } = require('nsfwjs/models/mobilenet_v2') as { MobileNetV2Model: NsfwjsModelBundle };
  const json = parseModelJson(JSON.stringify((await MobileNetV2Model.modelJson()).default), 'nsfwjs MobileNetV2');
  const shards = await Promise.all(MobileNetV2Model.weightBundles.map(async (load) => (await load()).default));
  // The shards come in manifest order ("group1-shard1of1", ...).
  const byPath = new Map(json.weightsManifest.flatMap((group) => group.paths).map((path, i) => [path, shards[i]]));
  return {
    json,
    readWeightFile: (path) => {
      const base64 = byPath.get(path);
      if (base64 === undefined) throw new Error(`nsfwjs ships no weight shard for "${path}"`);
      return new Uint8Array(Buffer.from(base64, 'base64'));
    },
  };
}
