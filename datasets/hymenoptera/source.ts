/** Where the ants-vs-bees data of the PyTorch transfer-learning tutorial comes from, and how it is laid out. */
import type { Manifest } from '../../src/core/manifest';
import publishedFiles from './manifest.json';

export const HYMENOPTERA_URL = 'https://download.pytorch.org/tutorial/hymenoptera_data.zip';
/** A mirror of the zip, for where the official host is slow or blocked. */
export const HYMENOPTERA_URL_ENV = 'CONVLAB_HYMENOPTERA_URL';

/**
 * Every file of the published data (path, size, SHA-256), written from a faithful copy of the official zip's content
 * by datasets/write-manifest.ts. Downloads and imports are checked file by file against it: no published hash of the
 * zip itself exists, and its content is what the course depends on.
 */
export const HYMENOPTERA_MANIFEST: Manifest = publishedFiles;

export function hymenopteraUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env[HYMENOPTERA_URL_ENV] || HYMENOPTERA_URL;
}

/** The folder the zip unpacks to, and the name convlab looks for in data and cache folders. */
export const HYMENOPTERA_FOLDER = 'hymenoptera_data';
export const HYMENOPTERA_CLASSES = ['ants', 'bees'] as const;
export const HYMENOPTERA_SPLITS = ['train', 'val'] as const;
