import * as fs from 'node:fs';
import { DataError, reasonOf } from './data-error';

export interface DownloadProgress {
  url: string;
  /** Bytes on disk so far, a resumed part included. */
  receivedBytes: number;
  /** From Content-Length (plus the resumed part); undefined when the server does not say. */
  totalBytes: number | undefined;
  /** 0–100, undefined when the total is unknown. */
  percent: number | undefined;
}

export type ProgressListener = (progress: DownloadProgress) => void;

export interface DownloadOptions {
  onProgress?: ProgressListener;
  /** Tries per file; each retry resumes where the last one stopped when the server honours Range (default 4). */
  attempts?: number;
  /** A connection that sends nothing for this long is dropped and retried (default 30 s). */
  idleTimeoutMs?: number;
  /** Pause before retry n is n times this (default 1 s). */
  retryDelayMs?: number;
}

/** The suffix of a file still being downloaded; a later run resumes it. */
export const PARTIAL_SUFFIX = '.partial';

class HttpStatusError extends Error {}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Where a download failed because the host is out of reach, the variable that points the kit at a mirror. */
export function mirrorHint(variable: string): string {
  return ` If this host is out of reach, set ${variable} to a mirror, or import a copy: npm run data -- --from <folder|zip>.`;
}

/** One request: appends to `partial` when the server resumes (206), starts it over otherwise. */
async function transfer(url: string, partial: string, onProgress: ProgressListener, idleTimeoutMs: number): Promise<void> {
  const offset = sizeOf(partial);
  const abort = new AbortController();
  let idle = setTimeout(() => abort.abort(new Error(`no data for ${idleTimeoutMs / 1000} s`)), idleTimeoutMs);
  const stillAlive = () => {
    clearTimeout(idle);
    idle = setTimeout(() => abort.abort(new Error(`no data for ${idleTimeoutMs / 1000} s`)), idleTimeoutMs);
  };
  try {
    const response = await fetch(url, { signal: abort.signal, headers: offset > 0 ? { range: `bytes=${offset}-` } : {} });
    if (response.status === 416) {
      // The partial file is longer than what the server has now: start over.
      fs.rmSync(partial, { force: true });
      throw new Error('the server no longer has the part already downloaded');
    }
    if (!response.ok || response.body === null) {
      throw new HttpStatusError(`HTTP ${response.status} ${response.statusText}`.trimEnd());
    }
    const resumed = response.status === 206 ? offset : 0;
    const length = Number(response.headers.get('content-length')) || undefined;
    const totalBytes = length === undefined ? undefined : resumed + length;
    let receivedBytes = resumed;
    // Each chunk goes to disk as it arrives (no write buffer to lose when the connection drops): the next try resumes
    // exactly after the last byte written.
    const fd = fs.openSync(partial, resumed > 0 ? 'a' : 'w');
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        stillAlive();
        fs.writeSync(fd, chunk);
        receivedBytes += chunk.length;
        const percent = totalBytes === undefined ? undefined : (100 * receivedBytes) / totalBytes;
        onProgress({ url, receivedBytes, totalBytes, percent });
      }
    } finally {
      fs.closeSync(fd);
    }
    if (totalBytes !== undefined && receivedBytes !== totalBytes) {
      throw new Error(`the connection closed after ${receivedBytes} of ${totalBytes} bytes`);
    }
  } catch (error) {
    throw abort.signal.aborted ? (abort.signal.reason as Error) : error;
  } finally {
    clearTimeout(idle);
  }
}

/**
 * Downloads `url` to `destination`, through `destination.partial`, which is renamed into place only when complete:
 * a file at `destination` is always whole. A dropped or stalled connection is retried, resuming with a Range request;
 * a `.partial` left by an earlier run is resumed the same way. HTTP errors (404…) are not retried.
 */
export async function downloadFile(url: string, destination: string, options: DownloadOptions = {}): Promise<void> {
  const { onProgress = () => {}, attempts = 4, idleTimeoutMs = 30_000, retryDelayMs = 1_000 } = options;
  const partial = destination + PARTIAL_SUFFIX;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await transfer(url, partial, onProgress, idleTimeoutMs);
      fs.renameSync(partial, destination);
      return;
    } catch (error) {
      if (error instanceof HttpStatusError) {
        fs.rmSync(partial, { force: true });
        throw new DataError(`Download of ${url} failed: ${error.message}.`);
      }
      lastError = error;
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, retryDelayMs * attempt));
    }
  }
  const kept = sizeOf(partial) > 0 ? ' The part already downloaded is kept: run npm run data again to resume.' : '';
  throw new DataError(`Download of ${url} failed after ${attempts} tries: ${reasonOf(lastError)}.${kept}`);
}

const MEGABYTE = 1024 * 1024;

/** A progress listener that logs one plain line per 10% (or per 10 MB when the size is unknown). */
export function printProgressInSteps(log: (line: string) => void = console.log): ProgressListener {
  let lastStep = 0;
  return ({ url, receivedBytes, totalBytes, percent }) => {
    const step = Math.floor(percent === undefined ? receivedBytes / (10 * MEGABYTE) : percent / 10);
    if (step <= lastStep) return;
    lastStep = step;
    const received = (receivedBytes / MEGABYTE).toFixed(1);
    log(
      totalBytes === undefined
        ? `Downloading ${url}: ${received} MB`
        : `Downloading ${url}: ${percent!.toFixed(0)}% (${received} of ${(totalBytes / MEGABYTE).toFixed(1)} MB)`,
    );
  };
}
