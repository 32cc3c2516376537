import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import type { ConvertResult } from 'tslab/dist/converter';

/** The file descriptor of the extra pipe the child reports on; stdout and stderr belong to the submission. */
export const REPORT_FD = 3;

/**
 * The child's first line, unsigned: it is written before the child has read its key or any submission code, so
 * nothing but the child itself can have written it. It tells the parent the warm-up is over.
 */
export const WARM_LINE = 'warm';

export type TestStatus = 'passed' | 'failed' | 'error' | 'timeout';

/** One notebook cell as the child runs it. */
export interface CellJob {
  readonly index: number;
  readonly gradeId?: string;
  readonly source: string;
  readonly skip: boolean;
}

/** Everything a child needs, sent on stdin (after the key line) so it needs no read access to instructor files. */
export interface ChildJob {
  readonly cells: readonly CellJob[];
  readonly specs: readonly { readonly file: string; readonly code: string }[];
  readonly cellTimeoutMs: number;
  readonly testTimeoutMs: number;
  /** the most characters of output kept per cell */
  readonly outputLimit: number;
}

/**
 * What the compile service made of one cell, sent to the child after the job (one line per cell that runs, in order,
 * as each is ready). `result` is what tslab's converter returns for the cell after the previous cells' declarations,
 * assuming every earlier cell ran; null when the service has no result for it (the child then compiles it itself).
 */
export interface CompiledCell {
  readonly index: number;
  readonly result: ConvertResult | null;
}

export interface CellReport {
  readonly index: number;
  readonly status: 'ok' | 'failed' | 'skipped' | 'timeout';
  /** compile diagnostics or the exception, as tslab printed them */
  readonly error?: string;
  /** what the cell printed (stdout and stderr), bounded */
  readonly output: string;
  /** rich outputs from tslab.display, mime type → data */
  readonly displays: readonly Readonly<Record<string, unknown>>[];
}

export interface TestReport {
  readonly position: number;
  readonly status: TestStatus;
  readonly message?: string;
  /** true when the error was thrown by the notebook's code (safe to show the learner) */
  readonly fromSubmission?: boolean;
}

/**
 * The usual imports, compiled (not run) by a fresh converter so that TensorFlow.js's and the kit's type declarations
 * load before the first cell rather than during it.
 */
export const CONVERTER_WARM_UP = 'import * as tf from "@tensorflow/tfjs";\nimport * as kit from "../dist/src";\ntf.tensor([kit.isGrading() ? 1 : 0]);\n';

/** Messages from child to parent, in the order they are sent. */
export type ChildMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'cell-start'; readonly index: number }
  | { readonly type: 'cell-end'; readonly cell: CellReport }
  | { readonly type: 'executed' }
  | { readonly type: 'test'; readonly test: TestReport }
  | { readonly type: 'done' }
  | { readonly type: 'fatal'; readonly message: string };

// Taken when the child loads, before submission code runs, which could otherwise replace JSON.stringify or fs.writeSync.
const stringify = JSON.stringify;
const writeSync = fs.writeSync;

/**
 * Writes all of `text` to `fd` before returning (pipes the parent created are non-blocking: a full pipe answers
 * EAGAIN), so the parent sees a line even if the writer then blocks its event loop or exits.
 */
export function writeAllSync(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length;) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

export const newKey = (): string => randomBytes(32).toString('hex');

const mac = (key: string, body: string): string => createHmac('sha256', key).update(body).digest('hex');

/** One report line: the message with its sequence number, and an HMAC over both so the submission cannot forge it. */
export function signMessage(key: string, seq: number, message: ChildMessage): string {
  const body = stringify({ seq, message });
  return `${stringify({ body, mac: mac(key, body) })}\n`;
}

/**
 * Checks one report line: returns the message when its HMAC is right and its sequence number is the one expected,
 * undefined otherwise (forged, replayed, reordered or garbled).
 */
export function verifyMessage(key: string, expectedSeq: number, line: string): ChildMessage | undefined {
  try {
    const { body, mac: given } = JSON.parse(line) as { body: unknown; mac: unknown };
    if (typeof body !== 'string' || typeof given !== 'string') return undefined;
    const expected = Buffer.from(mac(key, body), 'hex');
    const actual = Buffer.from(given, 'hex');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
    const { seq, message } = JSON.parse(body) as { seq: number; message: ChildMessage };
    return seq === expectedSeq ? message : undefined;
  } catch {
    return undefined;
  }
}
