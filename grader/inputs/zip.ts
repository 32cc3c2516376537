import yauzl from 'yauzl';

/** Refuse entries beyond these: a notebook is kilobytes to a few megabytes; zip bombs are gigabytes. */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
export const MAX_ARCHIVE_ENTRIES = 10_000;
/**
 * All archives of one run together: an entry is read only when it is graded, so memory stays at the entries being
 * graded, and this bounds the work that entries just under the per-entry cap, in any number of archives, can add up to.
 */
export const MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024;

/** What the archives of one run may still give, in uncompressed bytes. */
export interface ByteBudget {
  readonly limit: number;
  /** true, and `bytes` fewer left, when they fit */
  readonly take: (bytes: number) => boolean;
}

export function byteBudget(limit = MAX_ARCHIVE_BYTES): ByteBudget {
  let left = limit;
  const take = (bytes: number): boolean => {
    if (bytes > left) return false;
    left -= bytes;
    return true;
  };
  return { limit, take };
}

export interface ArchiveEntry {
  readonly name: string;
  readonly modifiedAt: Date;
  /** reads the entry's bytes from the archive, or rejects with the reason it was refused */
  readonly read: () => Promise<Buffer>;
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
    yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (error, zip) => {
      if (error) reject(new Error(`cannot read zip archive ${path}: ${error.message}`));
      else resolve(zip);
    });
  });
}

/**
 * The entry's bytes, from the archive opened again (its listing is not kept open between reads), into one buffer of
 * its declared size (yauzl fails a stream that gives more or fewer), so that reading never holds the bytes twice.
 */
async function readEntry(path: string, entry: yauzl.Entry): Promise<Buffer> {
  const zip = await openZip(path);
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      // The file stays open until the stream ends.
      zip.close();
      if (error) return reject(error);
      const bytes = Buffer.allocUnsafe(entry.uncompressedSize);
      let length = 0;
      stream.on('data', (chunk: Buffer) => { length += chunk.copy(bytes, length); });
      stream.on('error', reject);
      stream.on('end', () => resolve(bytes));
    });
  });
}

/** Why an entry is refused before any of it is read, or undefined. */
function refusal(name: string, entry: yauzl.Entry): Error | undefined {
  const unsafe = unsafeEntryName(name);
  if (unsafe !== undefined) return new Error(`refused archive entry "${name}": ${unsafe}`);
  if (entry.uncompressedSize > MAX_ENTRY_BYTES) {
    return new Error(`refused archive entry "${name}": ${entry.uncompressedSize} bytes uncompressed (limit ${MAX_ENTRY_BYTES})`);
  }
  return undefined;
}

/** Reads the entry when asked, its declared size charged to the run's budget once (yauzl holds it to that size). */
function entryReader(path: string, name: string, entry: yauzl.Entry, budget: ByteBudget): () => Promise<Buffer> {
  const refused = refusal(name, entry);
  if (refused !== undefined) return () => Promise.reject(refused);
  let charged = false;
  return async () => {
    charged ||= budget.take(entry.uncompressedSize);
    if (!charged) throw new Error(`refused archive entry "${name}": this run's archive entries exceed ${budget.limit} bytes uncompressed in all`);
    return readEntry(path, entry).catch((error: Error) => Promise.reject(new Error(`cannot read archive entry "${name}": ${error.message}`)));
  };
}

/** The files in a zip archive (folders skipped), listed without reading them; each reads its bytes when graded. */
export async function listArchive(path: string, wanted: (name: string) => boolean, budget: ByteBudget): Promise<ArchiveEntry[]> {
  const zip = await openZip(path);
  const entries: ArchiveEntry[] = [];
  return new Promise((resolve, reject) => {
    zip.on('error', (error: Error) => {
      zip.close();
      reject(new Error(`cannot read zip archive ${path}: ${error.message}`));
    });
    zip.on('end', () => {
      zip.close();
      resolve(entries);
    });
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = (entry.fileName as unknown as Buffer).toString('utf8');
      if (!name.endsWith('/') && wanted(name)) entries.push({ name, modifiedAt: entry.getLastModDate(), read: entryReader(path, name, entry, budget) });
      if (entries.length > MAX_ARCHIVE_ENTRIES) {
        zip.close();
        reject(new Error(`zip archive ${path} has more than ${MAX_ARCHIVE_ENTRIES} entries`));
      } else {
        zip.readEntry();
      }
    });
    zip.readEntry();
  });
}
