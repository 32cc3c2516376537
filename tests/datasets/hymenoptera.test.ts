import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadHymenoptera, type DownloadProgress, type HymenopteraOptions } from '../../datasets';
import { HYMENOPTERA_MANIFEST } from '../../datasets/hymenoptera/source';
import { PROJECT_ROOT } from '../../grader/paths';
import { compareWithManifest, listFiles, manifestOf, type Manifest } from '../../src/core/manifest';
import { defaultImageCodec, pureJsCodec } from '../../src/core/images/codec';
import { CORRUPT_JPEG_BYTES, GIF_BYTES, jpegBytes, pngBytes, solid, writeTree } from '../fixtures/images/make-images';
import { serveFiles, type FileServer } from '../support/file-server';
import { storeZip } from '../support/store-zip';

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
        'The ants-vs-bees photos are not on this computer yet. Run `npm run data` in a terminal in the course folder (or `npm run data -- --from <folder>` with a copy your teacher gives you), then run this cell again.',
        'Looked in:',
        `  - CONVLAB_DATA=${cacheDir} (no hymenoptera_data/ there)`,
        `  - ${path.join(cacheDir, 'hymenoptera_data')} (the cache; nothing readable there)`,
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

/** The dataset as the zip holds it, and the manifest it must match. */
function archiveOf(files: Record<string, Uint8Array>): Buffer {
  return storeZip(Object.fromEntries(Object.entries(files).map(([file, bytes]) => [`hymenoptera_data/${file}`, bytes])));
}

function manifestOfFiles(files: Record<string, Uint8Array>): Manifest {
  const dir = temporaryDirectory();
  writeTree(dir, files);
  return manifestOf(dir);
}

describe('loadHymenoptera downloading', () => {
  const manifest = manifestOfFiles(DATASET);
  const tampered = { ...DATASET, 'train/bees/b2.png': pngBytes(32, 40, solid([0, 0, 255])) };
  const files: Record<string, Uint8Array> = {
    'good.zip': archiveOf(DATASET),
    'tampered.zip': archiveOf(tampered),
    'truncated.zip': archiveOf(DATASET).subarray(0, 200),
    'wrong.zip': storeZip({ 'photos/ants/a1.jpg': ANT }),
    'evil.zip': storeZip({ 'hymenoptera_data/train/ants/a1.jpg': ANT, '../evil.txt': Buffer.from('escaped') }),
  };
  let server: FileServer;
  let cacheParent: string;
  let cacheDir: string;
  let saved: string | undefined;

  before(async () => (server = await serveFiles(files)));
  after(() => server.close());
  beforeEach(() => {
    saved = process.env.CONVLAB_DATA;
    delete process.env.CONVLAB_DATA;
    cacheParent = temporaryDirectory();
    cacheDir = path.join(cacheParent, 'cache');
    server.requests.length = 0;
  });
  afterEach(() => {
    if (saved !== undefined) process.env.CONVLAB_DATA = saved;
  });

  const options = (archive: string): HymenopteraOptions => ({
    cacheDir, url: `${server.baseUrl}/${archive}`, manifest, imageSize: 8, onProgress: () => {},
  });

  it('downloads, verifies every file and unpacks into the cache, reporting progress up to 100%', async () => {
    const progress: DownloadProgress[] = [];
    const { result: data } = await capturingWarnings(() => loadHymenoptera({ ...options('good.zip'), onProgress: (p) => progress.push(p) }));
    expect(data.root).to.equal(path.join(cacheDir, 'hymenoptera_data'));
    expect(data.train.labels).to.deep.equal([0, 0, 1, 1, 1]);
    expect(progress.length).to.be.at.least(1);
    const size = files['good.zip']!.length;
    expect(progress.at(-1)).to.deep.equal({ url: `${server.baseUrl}/good.zip`, receivedBytes: size, totalBytes: size, percent: 100 });
    expect(fs.readdirSync(cacheDir)).to.deep.equal(['hymenoptera_data']);
  });

  it('uses the cached copy next time, without downloading', async () => {
    await capturingWarnings(() => loadHymenoptera(options('good.zip')));
    await capturingWarnings(() => loadHymenoptera(options('gone.zip')));
    expect(server.requests.map((request) => request.path)).to.deep.equal(['good.zip']);
  });

  it('refuses an archive with one image changed, names it, and leaves nothing in the cache', async () => {
    const error = await rejection(loadHymenoptera(options('tampered.zip')));
    expect(error.name).to.equal('DataError');
    expect(error.message).to.equal(
      `The ants-vs-bees photos from ${server.baseUrl}/tampered.zip is not the published data: 1 changed (train/bees/b2.png). ` +
        'Nothing was installed; get a fresh copy and run npm run data again.',
    );
    expect(fs.readdirSync(cacheDir)).to.deep.equal([]);
  });

  it('resumes a transfer the server cut mid-body with a Range request, and verifies the result', async () => {
    server.cutNext(2, 300);
    const { result: data } = await capturingWarnings(() => loadHymenoptera(options('good.zip')));
    expect(data.train.labels).to.deep.equal([0, 0, 1, 1, 1]);
    expect(server.requests).to.deep.equal([
      { path: 'good.zip', range: undefined },
      { path: 'good.zip', range: 'bytes=300-' },
      { path: 'good.zip', range: 'bytes=600-' },
    ]);
    expect(fs.readdirSync(cacheDir)).to.deep.equal(['hymenoptera_data']);
  });

  it('keeps the part downloaded when every try is cut, and the next run resumes it', async function () {
    this.timeout(20_000);
    server.cutNext(4, 100);
    const error = await rejection(loadHymenoptera(options('good.zip')));
    expect(error.message).to.match(
      /^Download of http:\/\/127\.0\.0\.1:\d+\/good\.zip failed after 4 tries: .*\. The part already downloaded is kept: run npm run data again to resume\. If this host is out of reach, set CONVLAB_HYMENOPTERA_URL to a mirror, or import a copy: npm run data -- --from <folder\|zip>\.$/,
    );
    expect(fs.existsSync(path.join(cacheDir, 'hymenoptera_data'))).to.equal(false);
    await capturingWarnings(() => loadHymenoptera(options('good.zip')));
    expect(server.requests.at(-1)).to.deep.equal({ path: 'good.zip', range: 'bytes=400-' });
    expect(fs.readdirSync(cacheDir)).to.deep.equal(['hymenoptera_data']);
  });

  for (const [archive, expected] of [
    ['truncated.zip', /^http:\/\/127\.0\.0\.1:\d+\/truncated\.zip is not a readable zip archive \(.+\)\. Nothing was installed; get a fresh copy and run npm run data again\.$/],
    ['wrong.zip', /^http:\/\/127\.0\.0\.1:\d+\/wrong\.zip holds no hymenoptera_data\/ folder with train\/ and val\/: get the course's copy\.$/],
    ['evil.zip', /^http:\/\/127\.0\.0\.1:\d+\/evil\.zip is not a readable zip archive \(invalid relative path: \.\.\/evil\.txt\)\. Nothing was installed; get a fresh copy and run npm run data again\.$/],
  ] as const) {
    it(`refuses ${archive} in one line and leaves nothing behind`, async () => {
      const error = await rejection(loadHymenoptera(options(archive)));
      expect(error.message).to.match(expected);
      expect(fs.readdirSync(cacheDir)).to.deep.equal([]);
      expect(fs.existsSync(path.join(cacheParent, 'evil.txt'))).to.equal(false);
    });
  }

  it('reports an HTTP error with its status, without retrying', async () => {
    const error = await rejection(loadHymenoptera(options('missing.zip')));
    expect(error.message).to.equal(
      `Download of ${server.baseUrl}/missing.zip failed: HTTP 404 Not Found. If this host is out of reach, set CONVLAB_HYMENOPTERA_URL to a mirror, or import a copy: npm run data -- --from <folder|zip>.`,
    );
    expect(server.requests).to.have.length(1);
    expect(fs.readdirSync(cacheDir)).to.deep.equal([]);
  });

  it('says which cache folder it cannot write and what to do', async () => {
    const blocker = path.join(cacheParent, 'a-file');
    fs.writeFileSync(blocker, '');
    const error = await rejection(loadHymenoptera({ ...options('good.zip'), cacheDir: path.join(blocker, 'cache') }));
    expect(error.message).to.equal(
      `Cannot write to the cache folder ${path.join(blocker, 'cache')} (ENOTDIR): set CONVLAB_CACHE to a folder you can write to.`,
    );
    expect(server.requests).to.deep.equal([]);
  });

  it('downloads from CONVLAB_HYMENOPTERA_URL when it is set', async () => {
    process.env.CONVLAB_HYMENOPTERA_URL = `${server.baseUrl}/good.zip`;
    try {
      await capturingWarnings(() => loadHymenoptera({ ...options('good.zip'), url: undefined }));
    } finally {
      delete process.env.CONVLAB_HYMENOPTERA_URL;
    }
    expect(server.requests.map((request) => request.path)).to.deep.equal(['good.zip']);
  });
});

describe('the published ants-vs-bees photos through HTTP', function () {
  this.timeout(120_000);
  const shared = path.join(PROJECT_ROOT, '..', 'shared', 'datasets', 'hymenoptera_data');
  let server: FileServer;
  let cacheDir: string;

  before(async function () {
    if (!fs.existsSync(shared)) {
      console.log(`    (skipped: no copy of the published photos at ${shared})`);
      this.skip();
    }
    const real = Object.fromEntries(listFiles(shared).map((file) => [file, fs.readFileSync(path.join(shared, file))]));
    const someAnt = listFiles(shared).find((file) => file.startsWith('val/ants/'))!;
    const changed = { ...real, [someAnt]: Buffer.concat([real[someAnt]!, Buffer.from([0])]) };
    server = await serveFiles({ 'hymenoptera_data.zip': archiveOf(real), 'changed.zip': archiveOf(changed) });
  });
  after(() => server?.close());
  beforeEach(() => (cacheDir = path.join(temporaryDirectory(), 'cache')));

  it('the manifest lists all 398 files of the copy, the GIF placeholder included', () => {
    expect(HYMENOPTERA_MANIFEST.files).to.have.length(398);
    expect(HYMENOPTERA_MANIFEST.files.map((file) => file.path)).to.include('train/ants/imageNotFound.gif');
    expect(compareWithManifest(shared, HYMENOPTERA_MANIFEST)).to.deep.equal({ missing: [], extra: [], changed: [] });
  });

  it('a zip of the copy verifies against the shipped manifest and loads', async () => {
    const url = `${server.baseUrl}/hymenoptera_data.zip`;
    const { result: data } = await capturingWarnings(() => loadHymenoptera({ cacheDir, url, imageSize: 8, limitPerClass: 2, onProgress: () => {} }));
    expect(data.root).to.equal(path.join(cacheDir, 'hymenoptera_data'));
    expect(data.train.labels).to.deep.equal([0, 0, 1, 1]);
    expect(listFiles(data.root)).to.have.length(398);
  });

  it('a zip with one photo changed is refused and leaves no cache', async () => {
    const url = `${server.baseUrl}/changed.zip`;
    const error = await rejection(loadHymenoptera({ cacheDir, url, download: true, onProgress: () => {} }));
    expect(error.message).to.match(/is not the published data: 1 changed \(val\/ants\/[^)]+\)\. Nothing was installed/);
    expect(fs.readdirSync(cacheDir)).to.deep.equal([]);
  });
});
