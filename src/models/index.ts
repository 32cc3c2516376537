export {
  loadBackbone,
  findModelFolder,
  pickFeatureLayer,
  defaultModelCacheDir,
  FEATURE_LAYERS,
  MODELS_ENV,
  type Backbone,
  type BackboneSource,
  type BackboneAttempt,
  type LoadBackboneOptions,
} from './backbone';
export { downloadModel, MOBILENET_V1_URL, MOBILENET_V1_FOLDERS, BACKBONE_URL_ENV, type ModelDownloadProgress } from './download';
export { CACHE_ENV, cacheDirectory } from '../core/cache';
export { readModelFolder, buildSavedModel, parseModelJson, type ModelJson, type SavedModel } from './model-folder';
export { readNsfwjsMobileNetV2 } from './nsfwjs';
export { cutAtLayer, withInputSize, layerNames } from './topology';
