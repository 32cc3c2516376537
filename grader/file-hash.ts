import type { Hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Feeds `hash` every file ending in `suffix` under each folder of `dirs` (paths of parts below `root`), by its path
 * from `root` and its bytes, in a stable order; a missing folder adds nothing. What the grading fingerprint and the
 * compile cache's key read of a build.
 */
export function hashFilesUnder(hash: Hash, root: string, dirs: readonly (readonly string[])[], suffix: string): Hash {
  for (const parts of dirs) {
    const dir = join(root, ...parts);
    if (!existsSync(dir)) continue;
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith(suffix)).sort();
    for (const file of files) hash.update(join(...parts, file)).update('\0').update(readFileSync(join(dir, file))).update('\0');
  }
  return hash;
}
