import { createHash } from 'node:crypto';
import { cellSource, type Cell } from './types';

/**
 * A locked cell's source, normalized so that editors' harmless rewrites (CRLF, trailing spaces, a final newline)
 * do not count as tampering.
 */
export function normalizeSource(source: string): string {
  return source
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

/** sha256 (hex) of the cell's normalized source: what `metadata.nbgrader.checksum` holds on locked cells. */
export function cellChecksum(cell: Cell): string {
  return createHash('sha256').update(normalizeSource(cellSource(cell))).digest('hex');
}

/** sha256 (hex) of raw bytes: the gradebook's content hash. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
