import yauzl from 'yauzl';

/** Refuse entries beyond these: a notebook is kilobytes to a few megabytes; zip bombs are gigabytes. */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
export const MAX_ARCHIVE_ENTRIES = 10_000;
/** All entries together: many entries just under the per-entry cap must not add up to gigabytes in memory. */
export const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;

export interface ArchiveEntry {
  readonly name: string;
  readonly modifiedAt: Date;
  /** the bytes, or why the entry was refused */
  readonly content: Buffer | Error;
}

/** Why an entry name is unsafe to use as a path, or undefined when it is fine. */
export function unsafeEntryName(name: string): string | undefined {
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return 'absolute path';
  if (name.includes('\\')) return 'backslash in path';
  if (name.split('/').includes('..')) return 'path leaves the archive ("..")';
  return undefined;
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // decodeStrings: false so that an unsafe name becomes a refused entry instead of failing the whole archive.
    yauzl.open(path, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (error, zip) => {
      if (error) reject(new Error(`cannot read zip archive ${path}: ${error.message}`));
      else resolve(zip);
    });
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

/** The files in a zip archive (folders skipped) with their bytes, or the reason each one was refused. */
export async function readArchive(path: string, wanted: (name: string) => boolean): Promise<ArchiveEntry[]> {
  const zip = await openZip(path);
  const entries: ArchiveEntry[] = [];
  let totalBytes = 0;
  return new Promise((resolve, reject) => {
    zip.on('error', (error: Error) => reject(new Error(`cannot read zip archive ${path}: ${error.message}`)));
    zip.on('end', () => resolve(entries));
    zip.on('entry', (entry: yauzl.Entry) => {
      void (async () => {
        const name = (entry.fileName as unknown as Buffer).toString('utf8');
        if (!name.endsWith('/') && wanted(name)) {
          const unsafe = unsafeEntryName(name);
          const modifiedAt = entry.getLastModDate();
          const content = unsafe !== undefined ? new Error(`refused archive entry "${name}": ${unsafe}`)
            : entry.uncompressedSize > MAX_ENTRY_BYTES
              ? new Error(`refused archive entry "${name}": ${entry.uncompressedSize} bytes uncompressed (limit ${MAX_ENTRY_BYTES})`)
              : (totalBytes += entry.uncompressedSize) > MAX_ARCHIVE_BYTES
                ? new Error(`refused archive entry "${name}": the archive's entries exceed ${MAX_ARCHIVE_BYTES} bytes uncompressed in all`)
                : await readEntry(zip, entry).catch((error: Error) => new Error(`cannot read archive entry "${name}": ${error.message}`));
          entries.push({ name, modifiedAt, content });
        }
        if (entries.length > MAX_ARCHIVE_ENTRIES) {
          zip.close();
          reject(new Error(`zip archive ${path} has more than ${MAX_ARCHIVE_ENTRIES} entries`));
        } else {
          zip.readEntry();
        }
      })();
    });
    zip.readEntry();
  });
}
