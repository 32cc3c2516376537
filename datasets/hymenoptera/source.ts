/** Where the ants-vs-bees data of the PyTorch transfer-learning tutorial comes from, and how it is laid out. */

export const HYMENOPTERA_URL = 'https://download.pytorch.org/tutorial/hymenoptera_data.zip';

/**
 * SHA-256 of the official zip, checked after every download. No published hash of this file could be found, and
 * this project's machines cannot reach download.pytorch.org, so it is not pinned yet: until a maintainer downloads
 * the zip from a trusted network, hashes it (`sha256sum hymenoptera_data.zip`) and writes the hex digest here,
 * downloads stop with an error that shows the computed hash (pass `sha256` to loadHymenoptera to accept one).
 */
export const HYMENOPTERA_SHA256: string | undefined = undefined;

/** The folder the zip unpacks to, and the name convlab looks for in data and cache folders. */
export const HYMENOPTERA_FOLDER = 'hymenoptera_data';
export const HYMENOPTERA_CLASSES = ['ants', 'bees'] as const;
export const HYMENOPTERA_SPLITS = ['train', 'val'] as const;
