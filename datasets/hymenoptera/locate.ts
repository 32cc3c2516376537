import * as fs from 'node:fs';
import * as path from 'node:path';
import { GET_DATA_HINT } from '../../src/core/cache';
import { HYMENOPTERA_FOLDER, HYMENOPTERA_SPLITS } from './source';

export const DATA_ENV = 'CONVLAB_DATA';

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    // Missing, or outside what Node's permission model lets this process read: either way not usable here.
    return false;
  }
}

/** A hymenoptera root holds one folder per split. */
export function isHymenopteraRoot(dir: string): boolean {
  return HYMENOPTERA_SPLITS.every((split) => isDirectory(path.join(dir, split)));
}

/** `dir` itself when it is a root, else its `hymenoptera_data/` when that is one. */
export function rootIn(dir: string): string | undefined {
  return [dir, path.join(dir, HYMENOPTERA_FOLDER)].find(isHymenopteraRoot);
}

export function cachedRoot(cacheDir: string): string {
  return path.join(cacheDir, HYMENOPTERA_FOLDER);
}

export type Located = { found: true; root: string } | { found: false; looked: string[] };

/**
 * Finds the data without downloading: an explicit root (which must hold the data), then CONVLAB_DATA, then the
 * cache. When nothing is there, `looked` lists each place tried, for the error message.
 */
export function locateHymenoptera(root: string | undefined, cacheDir: string, env: NodeJS.ProcessEnv = process.env): Located {
  if (root !== undefined) {
    const found = rootIn(path.resolve(root));
    if (found === undefined) {
      throw new Error(
        `loadHymenoptera: root "${root}" holds no hymenoptera data (expected ${HYMENOPTERA_SPLITS.join('/ and ')}/ folders in it or in its ${HYMENOPTERA_FOLDER}/)`,
      );
    }
    return { found: true, root: found };
  }
  const looked: string[] = [];
  const dataDir = env[DATA_ENV];
  if (dataDir) {
    const found = rootIn(path.resolve(dataDir));
    if (found !== undefined) return { found: true, root: found };
    looked.push(`${DATA_ENV}=${dataDir} (no ${HYMENOPTERA_FOLDER}/ there)`);
  } else {
    looked.push(`${DATA_ENV} (not set)`);
  }
  const cached = cachedRoot(cacheDir);
  if (isHymenopteraRoot(cached)) return { found: true, root: cached };
  looked.push(`${cached} (the cache; nothing readable there)`);
  return { found: false, looked };
}

export function notFoundMessage(looked: string[]): string {
  return [
    `The ants-vs-bees photos are not on this computer yet. ${GET_DATA_HINT}`,
    'Looked in:',
    ...looked.map((place) => `  - ${place}`),
  ].join('\n');
}
