/**
 * `npm run data` with bad input, through the module the command runs: every failure is one DataError line that says
 * what to do, and the cache keeps no part of it (nor loses what it held). The command's exit code and printing are
 * tested in tests/grader/commands/data.test.ts; downloads resuming in tests/datasets/hymenoptera.test.ts.
 */
import { expect } from 'chai';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { courseData, type DataOptions } from '../../datasets/course-data';
import type { DataReport } from '../../datasets/course-data/report';
import { PROJECT_ROOT } from '../../grader/paths';
import { DataError } from '../../src/core/data-error';
import { BACKBONE_URL_ENV } from '../../src/models/download';
import { HYMENOPTERA_URL_ENV } from '../../datasets/hymenoptera/source';
import { tempDir } from '../support/helpers';
import { serveFiles, type FileServer } from '../support/file-server';
import { storeZip } from '../support/store-zip';

const SHARED_MODELS = join(PROJECT_ROOT, '..', 'shared', 'models');
const MODEL = 'mobilenet_v1_1.0_224_to_dw13';

/** A photos-shaped zip: hymenoptera_data/ with train/ and val/, nothing like the published files. */
const PHOTOS_ZIP = storeZip({
  'hymenoptera_data/train/ants/a.jpg': Buffer.from('not an ant'),
  'hymenoptera_data/train/bees/b.jpg': Buffer.from('not a bee'),
  'hymenoptera_data/val/ants/c.jpg': Buffer.from('not an ant'),
  'hymenoptera_data/val/bees/d.jpg': Buffer.from('not a bee'),
});
/** A model.json with one weight file of the published backbone's name, holding other bytes. */
const MODEL_JSON = JSON.stringify({
  format: 'layers-model',
  modelTopology: { class_name: 'Model', config: { layers: [] } },
  weightsManifest: [{ paths: ['group1-shard1of1'], weights: [{ name: 'w', shape: [1], dtype: 'float32' }] }],
});

async function failure(options: DataOptions): Promise<string> {
  const outcome = await courseData(options).then(
    (report: DataReport) => report,
    (error: unknown) => error,
  );
  expect(outcome).to.be.instanceOf(DataError);
  const { message } = outcome as DataError;
  expect(message.split('\n'), message).to.have.length(1);
  return message;
}

/** The cache after a download was refused: the (empty) folder models download into, nothing else. */
const LEFT_AFTER_A_REFUSED_DOWNLOAD = ['models'];

/** Every file and folder under `cache`, so leftovers of any kind (staging, partial downloads) show. */
const leftIn = (cache: string): string[] => (existsSync(cache) ? readdirSync(cache, { recursive: true }).map(String).sort() : []);

describe('course data with bad input: one line that says what to do, nothing half-written', function () {
  this.timeout(120_000);
  let cache: string;
  const log: string[] = [];
  const options = (extra: Partial<DataOptions> = {}): DataOptions => ({ check: false, cacheDir: cache, log: (line) => log.push(line), ...extra });
  beforeEach(() => {
    cache = join(tempDir('convlab-course-data-'), 'cache');
    log.length = 0;
  });

  describe('downloading', () => {
    let server: FileServer;
    const mirrors: Record<string, string | undefined> = {};
    before(async () => {
      server = await serveFiles({
        'truncated.zip': PHOTOS_ZIP.subarray(0, PHOTOS_ZIP.length >> 1),
        'model/model.json': Buffer.from(MODEL_JSON),
        'model/group1-shard1of1': Buffer.from('not the published weights'),
      });
      for (const name of [HYMENOPTERA_URL_ENV, BACKBONE_URL_ENV]) mirrors[name] = process.env[name];
    });
    after(async () => {
      for (const [name, value] of Object.entries(mirrors)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await server.close();
    });
    const useMirrors = (photos: string, model: string): void => {
      process.env[HYMENOPTERA_URL_ENV] = `${server.baseUrl}/${photos}`;
      process.env[BACKBONE_URL_ENV] = `${server.baseUrl}/${model}`;
    };

    it('names both missing archives (HTTP 404) and the mirror variable of each', async () => {
      useMirrors('gone.zip', 'gone/model.json');
      const message = await failure(options());
      expect(message).to.equal(
        `Download of ${server.baseUrl}/gone.zip failed: HTTP 404 Not Found. If this host is out of reach, set ${HYMENOPTERA_URL_ENV} to a mirror, or import a copy: npm run data -- --from <folder|zip>. `
        + `Download of ${server.baseUrl}/gone/model.json failed: HTTP 404 Not Found. If this host is out of reach, set ${BACKBONE_URL_ENV} to a mirror, or import a copy: npm run data -- --from <folder|zip>.`,
      );
      expect(leftIn(cache)).to.deep.equal(LEFT_AFTER_A_REFUSED_DOWNLOAD);
    });

    it('refuses a truncated photo archive and a model whose weights are not the published ones', async () => {
      useMirrors('truncated.zip', 'model/model.json');
      const message = await failure(options());
      expect(message).to.match(new RegExp(`^${server.baseUrl}/truncated\\.zip is not a readable zip archive \\(.+\\)\\. Nothing was installed; get a fresh copy and run npm run data again\\. `));
      expect(message).to.match(/The MobileNet backbone from .*\/model\/model\.json is not the published data: 1 changed \(group1-shard1of1\), 51 missing \(group10-shard1of1, .+ and 48 more\)\. Nothing was installed; get a fresh copy and run npm run data again\.$/);
      expect(leftIn(cache)).to.deep.equal(LEFT_AFTER_A_REFUSED_DOWNLOAD);
    });
  });

  describe('importing with --from', () => {
    it('refuses a zip cut short, and leaves no unpacked files', async () => {
      const zip = join(tempDir(), 'course-data.zip');
      writeFileSync(zip, PHOTOS_ZIP.subarray(0, PHOTOS_ZIP.length - 30));
      expect(await failure(options({ from: zip }))).to.match(/^.*course-data\.zip is not a readable zip archive \(.+\)\. Nothing was installed; get a fresh copy and run npm run data again\.$/);
      expect(leftIn(cache)).to.deep.equal([]);
    });

    describe('the course copy of the backbone', () => {
      before(function () {
        if (!existsSync(join(SHARED_MODELS, MODEL))) {
          console.log(`      (skipped: no course copy of the backbone in ${SHARED_MODELS})`);
          this.skip();
        }
      });

      /** A copy of the course's models folder with one weight file changed, one missing and one extra file. */
      function damagedModels(): string {
        const copy = join(tempDir(), 'models');
        cpSync(SHARED_MODELS, copy, { recursive: true });
        const model = join(copy, MODEL);
        writeFileSync(join(model, 'group3-shard1of1'), Buffer.alloc(readFileSync(join(model, 'group3-shard1of1')).length));
        rmSync(join(model, 'group5-shard1of1'));
        writeFileSync(join(model, 'notes.txt'), 'not part of the model');
        return copy;
      }

      it('refuses a folder with a weight file changed, one missing and an extra file, naming each', async () => {
        const from = damagedModels();
        expect(await failure(options({ from }))).to.equal(
          `The MobileNet backbone from ${from} is not the published data: 1 changed (group3-shard1of1), 1 missing (group5-shard1of1), 1 unexpected (notes.txt). Nothing was installed; get a fresh copy and run npm run data again.`,
        );
        expect(leftIn(cache)).to.deep.equal(['models']);
      });

      it('keeps the verified copy the cache held when a damaged one is refused', async () => {
        await courseData(options({ from: SHARED_MODELS }));
        await failure(options({ from: damagedModels() }));
        const check = await courseData(options({ check: true }));
        expect(check.items.find((item) => item.item === 'backbone')).to.deep.include({ state: 'verified', folder: join(cache, 'models', MODEL) });
        expect(readdirSync(join(cache, 'models'))).to.deep.equal([MODEL]);
      });
    });
  });
});

