import * as os from 'node:os';
import * as path from 'node:path';

/** Overrides the cache root; `convlab data` fills it and every loader of the kit looks there. */
export const CACHE_ENV = 'CONVLAB_CACHE';

/** `$CONVLAB_CACHE`, else `~/.cache/convlab`. */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env[CACHE_ENV] || path.join(os.homedir(), '.cache', 'convlab'));
}

/** The one sentence every "data is missing" message ends with. */
export const GET_DATA_HINT =
  'Run `npm run data` in a terminal in the course folder (or `npm run data -- --from <folder>` with a copy your teacher gives you), then run this cell again.';
