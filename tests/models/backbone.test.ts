import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { Manifest } from '../../src/core/manifest';
import { downloadModel, loadBackbone, pickFeatureLayer, MODELS_ENV } from '../../src/models';

/** Tiny test models have no pinned hashes. */
const NOTHING_PINNED: Manifest = { complete: false, files: [] };

const TINY_SIZE = 8;

/**
 * A tiny classifier with a MobileNet-style feature layer name, as the files `model.json` + `weights.bin`:
 * conv1 → featureLayer → pool → predictions.
 */
async function tinyModelFiles(featureLayer = 'conv_dw_13_relu'): Promise<Record<string, Uint8Array>> {
  const input = tf.input({ shape: [TINY_SIZE, TINY_SIZE, 3], name: 'image' });
  const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'conv1' }).apply(input);
  const features = tf.layers.activation({ activation: 'relu', name: featureLayer }).apply(conv);
  const pooled = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(features);
  const predictions = tf.layers.dense({ units: 3, name: 'predictions' }).apply(pooled) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: predictions });
  let files: Record<string, Uint8Array> = {};
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const json = {
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      files = {
        'model.json': new TextEncoder().encode(JSON.stringify(json)),
        'weights.bin': new Uint8Array(artifacts.weightData as ArrayBuffer),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  return files;
}

function writeFolder(dir: string, files: Record<string, Uint8Array>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
}

/** Serves `files` on 127.0.0.1 and records every requested path. */
async function serve(files: Record<string, Uint8Array>): Promise<{ url: string; requests: string[]; server: Server }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const name = (request.url ?? '').replace(/^\/model\//, '');
    requests.push(name);
    const body = files[name];
    response.writeHead(body ? 200 : 404).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/model/model.json`, requests, server };
}

describe('loadBackbone', () => {
  let work: string;
  let lines: string[];
  const log = (line: string) => lines.push(line);

  // A models folder set in the developer's environment would win over the sources under test.
  const modelsEnv = process.env[MODELS_ENV];

  beforeEach(() => {
    delete process.env[MODELS_ENV];
    work = mkdtempSync(join(tmpdir(), 'convlab-models-'));
    lines = [];
  });
  afterEach(() => {
    if (modelsEnv === undefined) delete process.env[MODELS_ENV];
    else process.env[MODELS_ENV] = modelsEnv;
    rmSync(work, { recursive: true, force: true });
  });

  it('uses the model folder given as an argument, with its saved weights, and says so', async () => {
    const files = await tinyModelFiles();
    writeFolder(join(work, 'mine'), files);
    const backbone = await loadBackbone({ modelDir: join(work, 'mine'), cacheDir: join(work, 'cache'), download: false, log });
    expect(backbone).to.include({ source: 'folder', featureLayer: 'conv_dw_13_relu', imageSize: TINY_SIZE });
    // conv1's kernel (3×3×3×4 floats) comes first in weights.bin.
    const savedKernel = Array.from(new Float32Array(files['weights.bin'].slice().buffer, 0, 3 * 3 * 3 * 4));
    expect(Array.from(backbone.model.getLayer('conv1').getWeights()[0].dataSync())).to.deep.equal(savedKernel);
    expect(backbone.attempts).to.deep.equal([]);
    expect(lines).to.deep.equal([
      `Backbone: MobileNet v1 1.0 224 (ImageNet), from folder ${join(work, 'mine')}; features "conv_dw_13_relu" [null,6,6,4]`,
    ]);
  });

  it('finds a known MobileNet folder inside $CONVLAB_MODELS', async () => {
    writeFolder(join(work, 'mobilenet_v1_1.0_224_to_dw13'), await tinyModelFiles());
    process.env[MODELS_ENV] = work;
    const backbone = await loadBackbone({ cacheDir: join(work, 'cache'), download: false, log });
    expect(backbone.source).to.equal('folder');
    expect(backbone.location).to.equal(work);
  });

  it('prefers the full model\'s last pointwise layer when it is present', async () => {
    writeFolder(join(work, 'full'), await tinyModelFiles('conv_pw_13_relu'));
    const backbone = await loadBackbone({ modelDir: join(work, 'full'), download: false, log });
    expect(backbone.featureLayer).to.equal('conv_pw_13_relu');
  });

  it('scales [0, 1] pixels to the [-1, 1] range MobileNet v1 was trained on', async () => {
    writeFolder(join(work, 'mine'), await tinyModelFiles());
    const backbone = await loadBackbone({ modelDir: join(work, 'mine'), download: false, log });
    const scaled = backbone.preprocess(tf.tensor4d([0, 0.5, 1], [1, 1, 1, 3]));
    expect(Array.from(scaled.dataSync())).to.deep.equal([-1, 0, 1]);
  });

  it('ends the backbone at its feature layer, dropping the classifier after it', async () => {
    writeFolder(join(work, 'mine'), await tinyModelFiles());
    const backbone = await loadBackbone({ modelDir: join(work, 'mine'), download: false, log });
    expect(backbone.model.layers.map((layer) => layer.name)).to.deep.equal(['image', 'conv1', 'conv_dw_13_relu']);
    expect(backbone.model.outputs[0].shape).to.deep.equal([null, TINY_SIZE - 2, TINY_SIZE - 2, 4]);
  });

  it('runs the backbone on larger or smaller images when asked', async () => {
    writeFolder(join(work, 'mine'), await tinyModelFiles());
    const backbone = await loadBackbone({ modelDir: join(work, 'mine'), download: false, imageSize: 40, log });
    expect(backbone.imageSize).to.equal(40);
    expect(backbone.model.outputs[0].shape).to.deep.equal([null, 38, 38, 4]);
  });

  it('rejects an image size too small for a MobileNet before trying any source', async () => {
    let message = '';
    await loadBackbone({ imageSize: 16, log }).catch((error: Error) => (message = error.message));
    expect(message).to.equal('imageSize must be an integer ≥ 32, got 16');
    expect(lines).to.deep.equal([]);
  });

  it('downloads the model once into the cache with progress, then reads it from the cache', async () => {
    const { url, requests, server } = await serve(await tinyModelFiles());
    try {
      const cacheDir = join(work, 'cache');
      const first = await loadBackbone({ url, cacheDir, download: true, manifest: NOTHING_PINNED, log });
      expect(first).to.include({ source: 'download', location: url });
      expect(requests).to.deep.equal(['model.json', 'weights.bin']);
      expect(lines.slice(1, 3)).to.deep.equal([
        `Downloading MobileNet v1 1.0 224 (ImageNet) from ${url} into ${cacheDir} (once)`,
        '  2/2 files, 0.0 MB',
      ]);
      const second = await loadBackbone({ url, cacheDir, download: true, log });
      expect(second.source).to.equal('cache');
      expect(requests).to.have.length(2);
      expect(readdirSync(cacheDir)).to.deep.equal(['mobilenet_v1_1.0_224']);
    } finally {
      server.close();
    }
  });

  it('falls back to the MobileNetV2 inside nsfwjs when the download fails, and says why', async () => {
    const { url, server } = await serve({});
    try {
      const backbone = await loadBackbone({ url, cacheDir: join(work, 'cache'), download: true, imageSize: 96, log });
      expect(backbone).to.include({ source: 'nsfwjs', featureLayer: 'out_relu', imageSize: 96 });
      expect(backbone.inputRange).to.deep.equal([0, 1]);
      expect(backbone.model.outputs[0].shape).to.deep.equal([null, 3, 3, 1280]);
      const features = backbone.model.predict(tf.ones([1, 96, 96, 3])) as tf.Tensor;
      expect(features.max().dataSync()[0]).to.be.greaterThan(0);
      expect(backbone.attempts.map((a) => a.source)).to.deep.equal(['cache', 'download']);
      expect(backbone.attempts[1].error).to.equal(
        `Download of ${url} failed: HTTP 404 Not Found. If this host is out of reach, set CONVLAB_BACKBONE_URL to a mirror, or import a copy: npm run data -- --from <folder|zip>.`,
      );
      expect(lines.at(-1)).to.equal(
        'Backbone: MobileNetV2 from the nsfwjs package (ImageNet weights fine-tuned on nsfwjs categories), from nsfwjs ' +
          'nsfwjs/models/mobilenet_v2 (offline fallback: expect lower accuracy than the ImageNet MobileNet); ' +
          'features "out_relu" [null,3,3,1280]',
      );
      backbone.model.dispose();
    } finally {
      server.close();
    }
  });
});

describe('downloadModel', () => {
  let work: string;
  beforeEach(() => (work = mkdtempSync(join(tmpdir(), 'convlab-models-'))));
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('says why a download could not connect, after retrying', async function () {
    this.timeout(20_000);
    const { url, server } = await serve({});
    await new Promise((resolve) => server.close(resolve));
    let message = '';
    await downloadModel(url, join(work, 'cache'), 'model', NOTHING_PINNED).catch((error: Error) => (message = error.message));
    expect(message).to.equal(
      `Download of ${url} failed after 4 tries: fetch failed (connect ECONNREFUSED ${new URL(url).host}). If this host is out of reach, set CONVLAB_BACKBONE_URL to a mirror, or import a copy: npm run data -- --from <folder|zip>.`,
    );
    expect(readdirSync(join(work, 'cache'))).to.deep.equal([]);
  });

  it('refuses a weight path that leaves the model folder and leaves nothing behind', async () => {
    const json = { modelTopology: {}, weightsManifest: [{ paths: ['../escape.bin'], weights: [] }] };
    const { url, server } = await serve({ 'model.json': new TextEncoder().encode(JSON.stringify(json)) });
    try {
      let message = '';
      await downloadModel(url, join(work, 'cache'), 'model', NOTHING_PINNED).catch((error: Error) => (message = error.message));
      expect(message).to.equal(`${url} lists the weight path "../escape.bin" outside the model folder: refusing it.`);
      expect(readdirSync(join(work, 'cache'))).to.deep.equal([]);
    } finally {
      server.close();
    }
  });

  it('refuses a weight file whose pinned hash differs, naming it, and installs nothing', async () => {
    const files = await tinyModelFiles();
    const { url, server } = await serve(files);
    const weights = files['weights.bin']!;
    const pinned: Manifest = {
      complete: false,
      files: [{ path: 'weights.bin', size: weights.length, sha256: createHash('sha256').update('other').digest('hex') }],
    };
    try {
      let message = '';
      await downloadModel(url, join(work, 'cache'), 'model', pinned).catch((error: Error) => (message = error.message));
      expect(message).to.equal(
        `The MobileNet backbone from ${url} is not the published data: 1 changed (weights.bin). Nothing was installed; get a fresh copy and run npm run data again.`,
      );
      expect(readdirSync(join(work, 'cache'))).to.deep.equal([]);
    } finally {
      server.close();
    }
  });

  it('installs a download whose pinned files match', async () => {
    const files = await tinyModelFiles();
    const { url, server } = await serve(files);
    const weights = files['weights.bin']!;
    const pinned: Manifest = {
      complete: false,
      files: [{ path: 'weights.bin', size: weights.length, sha256: createHash('sha256').update(weights).digest('hex') }],
    };
    try {
      const folder = await downloadModel(url, join(work, 'cache'), 'model', pinned);
      expect(folder).to.equal(join(work, 'cache', 'model'));
      expect(readdirSync(folder).sort()).to.deep.equal(['model.json', 'weights.bin']);
      expect(readdirSync(join(work, 'cache'))).to.deep.equal(['model']);
    } finally {
      server.close();
    }
  });
});

describe('pickFeatureLayer', () => {
  it('prefers the full MobileNet v1 layer, then the cut one, then MobileNetV2\'s', () => {
    expect(pickFeatureLayer(['out_relu', 'conv_dw_13_relu', 'conv_pw_13_relu'])).to.equal('conv_pw_13_relu');
    expect(pickFeatureLayer(['out_relu', 'conv_dw_13_relu'])).to.equal('conv_dw_13_relu');
  });

  it('names the layers it looked for when a model has none of them', () => {
    expect(() => pickFeatureLayer(['input_1', 'only'])).to.throw(
      'the model has none of the feature layers conv_pw_13_relu, conv_dw_13_relu, out_relu',
    );
  });
});
