import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as yauzl from 'yauzl';
import { DataError, NOTHING_INSTALLED } from './data-error';

function openZip(zipPath: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // yauzl validates every entry name before handing it over: absolute paths and `..` segments (zip slip) are
    // errors, so nothing can be written outside `destination`.
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true }, (error, zip) =>
      error ? reject(error) : resolve(zip),
    );
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

async function extractEntries(zip: yauzl.ZipFile, destination: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      const target = path.join(destination, entry.fileName);
      const write = entry.fileName.endsWith('/')
        ? fs.promises.mkdir(target, { recursive: true })
        : fs.promises
            .mkdir(path.dirname(target), { recursive: true })
            .then(() => openEntry(zip, entry))
            .then((stream) => pipeline(stream, fs.createWriteStream(target)));
      write.then(() => zip.readEntry(), reject);
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
}

/**
 * Unpacks every entry of `zipPath` under `destination`. A damaged, truncated or hostile archive is a DataError that
 * names it as `name` (the URL or path the learner knows), keeps yauzl's reason and says what to do.
 */
export async function extractZip(zipPath: string, destination: string, name = zipPath): Promise<void> {
  let zip: yauzl.ZipFile | undefined;
  try {
    zip = await openZip(zipPath);
    await extractEntries(zip, destination);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataError(`${name} is not a readable zip archive (${reason}). ${NOTHING_INSTALLED}`);
  } finally {
    zip?.close();
  }
}
