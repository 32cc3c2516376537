import { inspect } from 'node:util';

/** The format of what a display helper showed: SVG source, PNG bytes or an HTML fragment. */
export type ShownKind = 'svg' | 'png' | 'html';

interface ContentOf {
  svg: string;
  png: Uint8Array;
  html: string;
}

const BYTES_PER_KB = 1000;

function formatSize(bytes: number): string {
  return bytes < BYTES_PER_KB ? `${bytes} B` : `${(bytes / BYTES_PER_KB).toFixed(1)} kB`;
}

/**
 * What a display helper returns: the artifact it sent to the cell, for tests and for saving, in a record that
 * prints as one line. tslab prints a cell's last value with `console.log`, so returning the bare SVG or HTML string
 * would dump its source under the chart when a learner ends a cell with `await plotCurves(...)`; this prints
 * `line chart shown (SVG, 12.3 kB)` instead.
 */
export class Shown<K extends ShownKind = ShownKind> {
  constructor(
    /** What was drawn, in words: "line chart", "image grid", "table", ... */
    readonly what: string,
    readonly kind: K,
    readonly content: ContentOf[K],
  ) {
    Object.freeze(this);
  }

  /** Size of `content` in bytes (UTF-8 for text). */
  get bytes(): number {
    return typeof this.content === 'string' ? Buffer.byteLength(this.content) : this.content.byteLength;
  }

  toString(): string {
    return `${this.what} shown (${this.kind.toUpperCase()}, ${formatSize(this.bytes)})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
