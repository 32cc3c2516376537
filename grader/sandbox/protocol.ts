import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

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

/** Messages from child to parent, in the order they are sent. */
export type ChildMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'cell-start'; readonly index: number }
  | { readonly type: 'cell-end'; readonly cell: CellReport }
  | { readonly type: 'executed' }
  | { readonly type: 'test'; readonly test: TestReport }
  | { readonly type: 'done' }
  | { readonly type: 'fatal'; readonly message: string };

// Taken when the child loads, before submission code runs, which could otherwise replace JSON.stringify.
const stringify = JSON.stringify;

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
