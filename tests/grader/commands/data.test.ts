import { expect } from 'chai';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../grader/paths';
import { listFiles } from '../../../src/core/manifest';
import { serveFiles, type FileServer } from '../../support/file-server';
import { storeZip } from '../../support/store-zip';
import { runProgram, tempDir, type CliResult } from '../../support/helpers';

const SHARED = join(PROJECT_ROOT, '..', 'shared');
const SHARED_PHOTOS = join(SHARED, 'datasets', 'hymenoptera_data');
const SHARED_MODEL = join(SHARED, 'models', 'mobilenet_v1_1.0_224_to_dw13');

/** `convlab data …` with its own cache and no mirror or data folder from the developer's environment. */
function convlabData(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const clean = { CONVLAB_DATA: '', CONVLAB_MODELS: '', CONVLAB_HYMENOPTERA_URL: '', CONVLAB_BACKBONE_URL: '' };
  return runProgram(process.execPath, [join(PROJECT_ROOT, 'dist', 'grader', 'cli.js'), 'data', ...args], { env: { ...clean, ...env } });
}

function zipOf(folder: string, prefix: string): Buffer {
  return storeZip(Object.fromEntries(listFiles(folder).map((file) => [`${prefix}/${file}`, readFileSync(join(folder, file))])));
}

/** A folder shaped like the photos (train/ and val/, ants/ and bees/) holding one file that is not in the published data. */
function photosNotPublished(): string {
  const copy = join(tempDir(), 'hymenoptera_data');
  for (const split of ['train', 'val']) for (const kind of ['ants', 'bees']) mkdirSync(join(copy, split, kind), { recursive: true });
  writeFileSync(join(copy, 'train', 'ants', 'extra.jpg'), 'not in the published data');
  return copy;
}

/** A one-line error on stderr, exit code 2, nothing on stdout. */
function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.stdout, result.stderr).to.equal('');
  expect(result.stderr.trimEnd().split('\n'), result.stderr).to.have.length(1);
  expect(result.stderr.trimEnd()).to.match(pattern);
  expect(result.exitCode).to.equal(2);
}

describe('convlab data', function () {
  this.timeout(120_000);
  let cache: string;
  beforeEach(() => (cache = join(tempDir('convlab-data-'), 'cache')));

  it('--check on an empty cache says both are missing and exits 1', async () => {
    const result = await convlabData(['--check'], { CONVLAB_CACHE: cache });
    expect(result.stdout).to.equal(
      [
        `cache: ${cache}`,
        '  ants-vs-bees photos    missing (run npm run data)',
        '  MobileNet v1 backbone  missing (run npm run data)',
        '',
      ].join('\n'),
    );
    expect(result.exitCode).to.equal(1);
  });

  describe('with bad input: one line that says what to do, exit 2, nothing left in the cache', () => {
    it('a --from path that does not exist', async () => {
      expectOneLineError(await convlabData(['--from', '/nonexistent/copy'], { CONVLAB_CACHE: cache }), /^convlab: --from \/nonexistent\/copy: no such file or folder$/);
      expect(existsSync(cache)).to.equal(false);
    });

    it('a --from folder that holds neither the photos nor a model', async () => {
      const empty = tempDir();
      expectOneLineError(await convlabData(['--from', empty], { CONVLAB_CACHE: cache }), /holds neither hymenoptera_data\/ nor a MobileNet folder .*: point --from at the folder that holds them\.$/);
    });

    it('a --from folder with a missing and an extra file', async () => {
      const copy = photosNotPublished();
      const result = await convlabData(['--from', copy], { CONVLAB_CACHE: cache });
      expectOneLineError(result, /^convlab: The ants-vs-bees photos from .* is not the published data: 398 missing \(.+ and 395 more\), 1 unexpected \(train\/ants\/extra\.jpg\)\. Nothing was installed; get a fresh copy and run npm run data again\.$/);
      expect(readdirSync(cache)).to.deep.equal([]);
    });

    it('a --from file that is not a zip archive', async () => {
      const notZip = join(tempDir(), 'photos.zip');
      writeFileSync(notZip, 'PK but not really');
      expectOneLineError(await convlabData(['--from', notZip], { CONVLAB_CACHE: cache }), /^convlab: .*photos\.zip is not a readable zip archive \(.+\)\. Nothing was installed; get a fresh copy and run npm run data again\.$/);
      expect(readdirSync(cache)).to.deep.equal([]);
    });

    it('a cache folder that cannot be written', async () => {
      const blocker = join(tempDir(), 'a-file');
      writeFileSync(blocker, '');
      expectOneLineError(
        await convlabData(['--from', photosNotPublished()], { CONVLAB_CACHE: join(blocker, 'cache') }),
        /^convlab: Cannot write to the cache folder .*a-file\/cache \(ENOTDIR\): set CONVLAB_CACHE to a folder you can write to\.$/,
      );
    });

    it('--check together with --from', async () => {
      expectOneLineError(await convlabData(['--check', '--from', '.'], { CONVLAB_CACHE: cache }), /^convlab: --check and --from do not go together/);
    });
  });

  describe('with the course copy in ../shared', () => {
    let server: FileServer;
    before(async function () {
      if (!existsSync(SHARED_PHOTOS) || !existsSync(SHARED_MODEL)) {
        console.log(`    (skipped: no course copy of the photos and the model in ${SHARED})`);
        this.skip();
      }
      const model = Object.fromEntries(listFiles(SHARED_MODEL).map((file) => [`model/${file}`, readFileSync(join(SHARED_MODEL, file))]));
      server = await serveFiles({ 'hymenoptera_data.zip': zipOf(SHARED_PHOTOS, 'hymenoptera_data'), ...model });
    });
    after(() => server?.close());

    it('--from the datasets folder and the models folder fills the cache, and --check says both are verified', async () => {
      const photos = await convlabData(['--from', join(SHARED, 'datasets')], { CONVLAB_CACHE: cache });
      expect(photos.stdout, photos.stderr).to.match(/ants-vs-bees photos {2}installed, verified {2}.*hymenoptera_data\n$/);
      const model = await convlabData(['--from', join(SHARED, 'models')], { CONVLAB_CACHE: cache });
      expect(model.stdout, model.stderr).to.match(/MobileNet v1 backbone {2}installed, verified {2}.*mobilenet_v1_1\.0_224_to_dw13\n$/);
      const check = await convlabData(['--check'], { CONVLAB_CACHE: cache });
      expect(check.stdout).to.match(/photos {4}present, verified/).and.to.match(/backbone {2}present, verified/);
      expect(check.exitCode).to.equal(0);
      expect(readdirSync(cache).sort()).to.deep.equal(['hymenoptera_data', 'models']);
      // A second import replaces nothing it does not need to and leaves no staging behind.
      expect(readdirSync(join(cache, 'models'))).to.deep.equal(['mobilenet_v1_1.0_224_to_dw13']);
    });

    it('--from a zip that holds hymenoptera_data/', async () => {
      const zip = join(tempDir(), 'course-data.zip');
      writeFileSync(zip, zipOf(SHARED_PHOTOS, 'hymenoptera_data'));
      const result = await convlabData(['--from', zip], { CONVLAB_CACHE: cache });
      expect(result.stdout, result.stderr).to.match(/ants-vs-bees photos {2}installed, verified/);
      expect(readdirSync(cache)).to.deep.equal(['hymenoptera_data']);
    });

    it('downloads both through the mirrors with progress, then keeps them', async () => {
      const env = {
        CONVLAB_CACHE: cache,
        CONVLAB_HYMENOPTERA_URL: `${server.baseUrl}/hymenoptera_data.zip`,
        CONVLAB_BACKBONE_URL: `${server.baseUrl}/model/model.json`,
      };
      const first = await convlabData([], env);
      expect(first.exitCode, first.stderr).to.equal(0);
      expect(first.stderr).to.include(`Downloading ${server.baseUrl}/hymenoptera_data.zip: 100%`);
      expect(first.stderr).to.include('53/53 files');
      expect(first.stdout).to.match(/photos {4}installed, verified/).and.to.match(/backbone {2}installed, verified/);
      const second = await convlabData([], env);
      expect(second.stdout).to.match(/photos {4}already present, verified/).and.to.match(/backbone {2}already present, verified/);
    });

    it('a damaged file in the cache shows in --check', async () => {
      await convlabData(['--from', join(SHARED, 'datasets')], { CONVLAB_CACHE: cache });
      const victim = join(cache, 'hymenoptera_data', 'val', 'bees', readdirSync(join(cache, 'hymenoptera_data', 'val', 'bees'))[0]!);
      writeFileSync(victim, 'scribbled');
      rmSync(join(cache, 'hymenoptera_data', 'train', 'ants', 'imageNotFound.gif'));
      const check = await convlabData(['--check'], { CONVLAB_CACHE: cache });
      expect(check.stdout).to.match(/photos {4}damaged: 1 changed \(val\/bees\/.+\), 1 missing \(train\/ants\/imageNotFound\.gif\) \(run npm run data to fetch it again\)/);
      expect(check.exitCode).to.equal(1);
    });
  });
});
