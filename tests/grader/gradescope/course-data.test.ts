import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HYMENOPTERA_FOLDER } from '../../../datasets/hymenoptera/source';
import { MOBILENET_V1_FOLDERS } from '../../../src/models/download';
import { UsageError } from '../../../grader/errors';
import { courseDataEntries, PUBLISHED_DATA } from '../../../grader/gradescope/course-data';
import { PROJECT_ROOT } from '../../../grader/paths';
import { fakeDataCache } from './fake-data';

describe('the course data carried by the autograder zip (gradescope/course-data)', () => {
  let fake: ReturnType<typeof fakeDataCache>;
  beforeEach(() => { fake = fakeDataCache(); });
  afterEach(() => rmSync(fake.cacheDir, { recursive: true, force: true }));

  it('carries the photos and the backbone as the data cache holds them, once each file matches its published hash', () => {
    const names = courseDataEntries(fake.cacheDir, fake.published).map((entry) => entry.name);
    expect(names).to.deep.equal([
      'data/hymenoptera_data/train/ants/ants-1.jpg', 'data/hymenoptera_data/train/bees/bees-1.jpg',
      'data/hymenoptera_data/val/ants/ants-1.jpg', 'data/hymenoptera_data/val/bees/bees-1.jpg',
      `data/models/${MOBILENET_V1_FOLDERS[0]}/model.json`,
    ]);
  });

  it('refuses a changed photo or a missing backbone in one line that says what to run', () => {
    writeFileSync(join(fake.cacheDir, HYMENOPTERA_FOLDER, 'val', 'bees', 'bees-1.jpg'), 'another photo');
    expect(() => courseDataEntries(fake.cacheDir, fake.published)).to.throw(UsageError, /^[^\n]*photos: [^\n]*val\/bees\/bees-1\.jpg[^\n]*run "convlab data"[^\n]*$/);
    rmSync(join(fake.cacheDir, 'models'), { recursive: true });
    expect(() => courseDataEntries(fake.cacheDir, fake.published)).to.throw(UsageError, /backbone: missing/);
  });

  it('refuses the fake data against the published hashes', () => {
    expect(() => courseDataEntries(fake.cacheDir)).to.throw(UsageError, /not complete \(photos: .*; backbone: /);
  });

  const shared = join(PROJECT_ROOT, '..', 'shared');
  it('takes the course\'s real copy (../shared), which matches the published hashes', function () {
    this.timeout(120_000);
    if (!existsSync(join(shared, 'datasets', HYMENOPTERA_FOLDER))) this.skip(); // the copy is not on every machine
    const cacheDir = mkdtempSync(join(tmpdir(), 'convlab-shared-data-'));
    try {
      symlinkSync(join(shared, 'datasets', HYMENOPTERA_FOLDER), join(cacheDir, HYMENOPTERA_FOLDER));
      mkdirSync(join(cacheDir, 'models'));
      symlinkSync(join(shared, 'models', MOBILENET_V1_FOLDERS[1]), join(cacheDir, 'models', MOBILENET_V1_FOLDERS[1]));
      const names = courseDataEntries(cacheDir).map((entry) => entry.name);
      const backbone = PUBLISHED_DATA.backbones.find((candidate) => candidate.name === MOBILENET_V1_FOLDERS[1])!;
      expect(names).to.have.length(PUBLISHED_DATA.photos.files.length + backbone.manifest.files.length);
      expect(names).to.include(`data/models/${MOBILENET_V1_FOLDERS[1]}/model.json`);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
