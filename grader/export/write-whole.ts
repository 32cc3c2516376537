import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { messageOf, UsageError } from '../errors';

const WHY: Readonly<Record<string, string>> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'its folder does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

/** Writes an output file whole or not at all (a temporary file beside it, renamed into place); a UsageError says why not. */
export function writeWhole(path: string, content: string | Buffer): void {
  const temporary = join(dirname(path), `.${basename(path)}.partial`);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot write "${path}": ${(code !== undefined ? WHY[code] : undefined) ?? messageOf(error)}`);
  }
}
