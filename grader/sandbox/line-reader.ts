import type { Readable } from 'node:stream';

/** The longest line read (a report line carries a cell's output, bounded by the child): a longer one is dropped. */
const MAX_REPORT_LINE = 16 * 1024 * 1024;

/** Calls `onLine` for each '\n'-terminated line; a line longer than the cap is dropped (counted as a bad line). */
export function readLines(stream: Readable, onLine: (line: string) => void): void {
  let pending = '';
  let overflow = false;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) {
      if (overflow) overflow = false;
      else onLine(part);
    }
    if (pending.length > MAX_REPORT_LINE) {
      pending = '';
      overflow = true;
      onLine('');
    }
  });
}
