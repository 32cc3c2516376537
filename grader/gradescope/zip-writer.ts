import { deflateRawSync } from 'node:zlib';

/** One file to put in a zip archive; `mode` is its Unix permission bits (0o755 for a script Gradescope runs). */
export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
  readonly mode: number;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, byte) => {
  let value = byte;
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** 1980-01-01 00:00 in MS-DOS time: fixed, so that the same kit gives the same archive bytes. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const VERSION_NEEDED = 20;
/** "made by" Unix (3) so that unzip restores the permission bits kept in the external attributes */
const MADE_BY_UNIX = (3 << 8) | VERSION_NEEDED;
const DEFLATE = 8;
const UTF8_NAMES = 1 << 11;

interface EntryFields { readonly crc: number; readonly compressedSize: number; readonly size: number; readonly nameLength: number }

/** The fields the local header and the central directory record share, in the same order, from `at`. */
function writeEntryFields(record: Buffer, at: number, fields: EntryFields): void {
  record.writeUInt16LE(VERSION_NEEDED, at);
  record.writeUInt16LE(UTF8_NAMES, at + 2);
  record.writeUInt16LE(DEFLATE, at + 4);
  record.writeUInt16LE(0, at + 6); // time: 00:00
  record.writeUInt16LE(DOS_DATE, at + 8);
  record.writeUInt32LE(fields.crc, at + 10);
  record.writeUInt32LE(fields.compressedSize, at + 14);
  record.writeUInt32LE(fields.size, at + 18);
  record.writeUInt16LE(fields.nameLength, at + 22);
  // then: extra field length 0 (and, in the central record, comment length, disk, internal attributes: 0)
}

/**
 * A zip archive (deflated entries, Unix permissions) in memory. Node has no zip writer, and the format's few
 * fixed-size records are simpler to write than a dependency is to vet.
 */
export function zipArchive(entries: readonly ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data);
    const fields = { crc: crc32(entry.data), compressedSize: compressed.length, size: entry.data.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, fields);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(MADE_BY_UNIX, 4);
    writeEntryFields(header, 6, fields);
    // extra field, comment, disk number, internal attributes: none
    header.writeUInt32LE(((0o100000 | entry.mode) << 16) >>> 0, 38);
    header.writeUInt32LE(offset, 42);
    parts.push(local, name, compressed);
    central.push(header, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}
