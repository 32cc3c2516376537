import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HYMENOPTERA_FOLDER } from '../../../datasets/hymenoptera/source';
import type { PublishedData } from '../../../grader/gradescope/course-data';
import { manifestOf } from '../../../src/core/manifest';
import { MOBILENET_V1_FOLDERS } from '../../../src/models/download';

/** A small data cache laid out as `convlab data` leaves it, with manifests of what it holds. */
export function fakeDataCache(): { cacheDir: string; published: PublishedData } {
  const cacheDir = mkdtempSync(join(tmpdir(), 'convlab-fake-data-'));
  const photos = join(cacheDir, HYMENOPTERA_FOLDER);
  for (const [split, kind] of [['train', 'ants'], ['train', 'bees'], ['val', 'ants'], ['val', 'bees']] as const) {
    mkdirSync(join(photos, split, kind), { recursive: true });
    writeFileSync(join(photos, split, kind, `${kind}-1.jpg`), `a photo of ${kind} (${split})`);
  }
  const model = join(cacheDir, 'models', MOBILENET_V1_FOLDERS[0]);
  mkdirSync(model, { recursive: true });
  writeFileSync(join(model, 'model.json'), '{"modelTopology": {}}');
  return { cacheDir, published: { photos: manifestOf(photos), backbones: [{ name: MOBILENET_V1_FOLDERS[0], manifest: manifestOf(model) }] } };
}

