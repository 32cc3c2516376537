import { dirname, join } from 'node:path';
import { parseModelJson, type SavedModel } from './model-folder';

/**
 * The folder of nsfwjs's MobileNetV2 bundles: `model.min.js` (the model JSON) and one `<weight path>.min.js` (base64)
 * per shard. Found from the entry the package exports, because its `exports` map hides the files themselves.
 */
function nsfwjsModelFolder(): string {
  return join(dirname(require.resolve('nsfwjs/models/mobilenet_v2')), '..', '..', 'models', 'mobilenet_v2');
}

/**
 * Reads the MobileNetV2 that the `nsfwjs` package ships inside node_modules (ImageNet weights fine-tuned on nsfwjs's
 * five categories), so a backbone is available with no network and no model folder. The bundles are required
 * directly: the package's own loader passes each 3.5 MB base64 string through `__importStar`, which copies it
 * character by character into an object (25 s here).
 */
export function readNsfwjsMobileNetV2(): SavedModel {
  const folder = nsfwjsModelFolder();
  const json = parseModelJson(JSON.stringify(require(join(folder, 'model.min.js'))), 'nsfwjs MobileNetV2');
  return {
    json,
    readWeightFile: (path) => {
      const base64: unknown = require(join(folder, `${path}.min.js`));
      if (typeof base64 !== 'string') throw new Error(`nsfwjs ships no weight shard for "${path}" in ${folder}`);
      return new Uint8Array(Buffer.from(base64, 'base64'));
    },
  };
}
