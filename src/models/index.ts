export {
  loadBackbone,
  findModelFolder,
  pickFeatureLayer,
  defaultModelCacheDir,
  MOBILENET_V1_URL,
  MOBILENET_V1_FOLDERS,
  FEATURE_LAYERS,
  MODELS_ENV,
  CACHE_ENV,
  type Backbone,
  type BackboneSource,
  type BackboneAttempt,
  type LoadBackboneOptions,
} from './backbone';
export { downloadModel, type ModelDownloadProgress } from './download';
export { readModelFolder, buildSavedModel, parseModelJson, type ModelJson, type SavedModel } from './model-folder';
export { readNsfwjsMobileNetV2 } from './nsfwjs';
export { cutAtLayer, withInputSize, layerNames } from './topology';
