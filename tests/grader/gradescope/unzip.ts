import * as yauzl from 'yauzl';

export interface UnzippedEntry {
  readonly name: string;
  /** Unix permission bits, from the entry's external attributes */
  readonly mode: number;
  readonly data: Buffer;
}

/** Every entry of a zip archive, read with yauzl (an independent reader of what the autograder zip writer wrote). */
export function unzip(path: string): Promise<UnzippedEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, decodeStrings: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error(`cannot open ${path}`));
      const entries: UnzippedEntry[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.push({ name: entry.fileName, mode: (entry.externalFileAttributes >>> 16) & 0o777, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
