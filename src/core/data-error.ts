/**
 * Course data is missing, damaged or cannot be fetched: something the learner fixes (network, disk, a bad copy),
 * not a bug. The message is one line that says what to do; `convlab data` prints it and exits with 2.
 */
export class DataError extends Error {
  override readonly name = 'DataError';
}

/** fetch says only "fetch failed" and keeps the reason (refused, no DNS, reset) in `cause`. */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

/** What to do about a copy or download refused before anything reached the cache. */
export const NOTHING_INSTALLED = 'Nothing was installed; get a fresh copy and run npm run data again.';
