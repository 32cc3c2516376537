import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

export interface DownloadProgress {
  url: string;
  receivedBytes: number;
  /** From the Content-Length header; undefined when the server does not send one. */
  totalBytes: number | undefined;
  /** 0–100, undefined when the total is unknown. */
  percent: number | undefined;
}

export type ProgressListener = (progress: DownloadProgress) => void;

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch reports network failures as "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND…) in `cause`.
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}

/** Streams `url` into `destination`, reporting progress; resolves to the file's SHA-256 (hex). */
export async function downloadFile(url: string, destination: string, onProgress: ProgressListener): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`Download of ${url} failed: ${describeFailure(error)}`, { cause: error });
  }
  if (!response.ok || response.body === null) {
    throw new Error(`Download of ${url} failed: HTTP ${response.status} ${response.statusText}`.trimEnd());
  }
  const totalBytes = Number(response.headers.get('content-length')) || undefined;
  const hash = createHash('sha256');
  let receivedBytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      receivedBytes += chunk.length;
      const percent = totalBytes === undefined ? undefined : (100 * receivedBytes) / totalBytes;
      onProgress({ url, receivedBytes, totalBytes, percent });
      callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as NodeReadableStream), meter, fs.createWriteStream(destination));
  } catch (error) {
    throw new Error(`Download of ${url} failed after ${receivedBytes} bytes: ${describeFailure(error)}`, { cause: error });
  }
  return hash.digest('hex');
}

/** Throws unless `actual` is the pinned hash; the message says what to do in either failure. */
export function verifySha256(url: string, actual: string, expected: string | undefined): void {
  if (expected === undefined) {
    throw new Error(
      `Downloaded ${url} but cannot verify it: no SHA-256 is pinned for it (HYMENOPTERA_SHA256 in datasets/hymenoptera/source.ts). ` +
        `Its SHA-256 is ${actual}; compare it with a trusted copy, then pin it there or pass { sha256 }.`,
    );
  }
  if (actual !== expected.toLowerCase()) {
    throw new Error(
      `SHA-256 mismatch for ${url}: expected ${expected}, got ${actual}. The file is corrupt or not the published one, so it was deleted.`,
    );
  }
}

const MEGABYTE = 1024 * 1024;

/** The default listener: one plain line per 10% (or per 10 MB when the size is unknown). */
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
