import type { ModelJson } from './model-folder';

/** One layer of a Keras topology as TF.js saves it. */
interface LayerJson {
  class_name: string;
  name?: string;
  config: { name: string; batch_input_shape?: (number | null)[] };
  /** Functional models only: per call, the [layerName, nodeIndex, tensorIndex, kwargs] entries it consumed. */
  inbound_nodes?: [string, number, number, unknown][][];
}

interface ModelConfig {
  class_name: string;
  config: { layers: LayerJson[]; input_layers?: unknown[]; output_layers?: unknown[] } | LayerJson[];
}

function modelConfig(json: ModelJson): ModelConfig {
  const topology = json.modelTopology as { model_config?: ModelConfig; class_name?: string };
  const config = topology.model_config ?? (topology as ModelConfig);
  if (config.config === undefined) throw new Error('the model.json holds no Keras model config');
  return config;
}

function layersOf(config: ModelConfig): LayerJson[] {
  return Array.isArray(config.config) ? config.config : config.config.layers;
}

/** Layer names in the order they are saved. */
export function layerNames(json: ModelJson): string[] {
  return layersOf(modelConfig(json)).map((layer) => layer.config.name);
}

/** A copy of `json` whose topology `edit` may change in place. */
function editTopology(json: ModelJson, edit: (config: ModelConfig) => void): ModelJson {
  const modelTopology = structuredClone(json.modelTopology) as { model_config?: ModelConfig };
  edit(modelTopology.model_config ?? (modelTopology as ModelConfig));
  return { ...json, modelTopology };
}

/**
 * The model cut after `layerName`: only that layer and those it depends on remain, and it becomes the output. A
 * backbone ends at its feature layer; what followed (ImageNet's classifier, a fixed-size pooling) is dropped.
 */
export function cutAtLayer(json: ModelJson, layerName: string): ModelJson {
  return editTopology(json, (config) => {
    const layers = layersOf(config);
    const index = layers.findIndex((layer) => layer.config.name === layerName);
    if (index < 0) throw new Error(`the model has no layer "${layerName}"`);
    if (Array.isArray(config.config) || config.class_name === 'Sequential') {
      layers.splice(index + 1);
      return;
    }
    const byName = new Map(layers.map((layer) => [layer.config.name, layer]));
    const kept = new Set<string>();
    const pending = [layerName];
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (kept.has(name)) continue;
      kept.add(name);
      for (const node of byName.get(name)?.inbound_nodes ?? []) pending.push(...node.map(([inbound]) => inbound));
    }
    config.config.layers = layers.filter((layer) => kept.has(layer.config.name));
    config.config.output_layers = [[layerName, 0, 0]];
  });
}

/** MobileNets downsample 32×: a smaller input would leave no feature map. */
export function checkImageSize(size: number): void {
  if (!(Number.isInteger(size) && size >= 32)) throw new Error(`imageSize must be an integer ≥ 32, got ${size}`);
}

/**
 * The model with a `size`×`size` input instead of the saved one. Convolution weights do not depend on the image
 * size, so a fully convolutional backbone runs on smaller images, much faster.
 */
export function withInputSize(json: ModelJson, size: number): ModelJson {
  checkImageSize(size);
  return editTopology(json, (config) => {
    // Functional models declare it on their InputLayer, Sequential ones on their first layer.
    const first = layersOf(config).find((layer) => layer.config.batch_input_shape !== undefined);
    const shape = first?.config.batch_input_shape;
    if (shape?.length !== 4) throw new Error('cannot resize the input: the model takes no images [batch, h, w, c]');
    first!.config.batch_input_shape = [shape[0], size, size, shape[3]];
  });
}
