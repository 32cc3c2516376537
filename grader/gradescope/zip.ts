import { ZipFile } from 'yazl';

/** One file to put in a zip archive; `mode` is its Unix permission bits (0o755 for a script Gradescope runs). */
export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
  readonly mode: number;
}

/** A fixed entry time, so that the same kit gives the same archive bytes. */
const ENTRY_TIME = new Date(1980, 0, 1);

/** A zip archive (deflated entries, Unix permissions kept for unzip) in memory, written by yazl. */
export function zipArchive(entries: readonly ZipEntry[]): Promise<Buffer> {
  const zip = new ZipFile();
  for (const entry of entries) zip.addBuffer(entry.data, entry.name, { mode: 0o100000 | entry.mode, mtime: ENTRY_TIME });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
