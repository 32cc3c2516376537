/**
 * Compiled cells kept between grading runs, as ccache keeps object files: a re-grade after a hidden test changed, a
 * late submission, or a single notebook graded cold finds the cells every learner shares, and every cell graded
 * before, already compiled. Keyed on what decides the compiler's output: the cell's source, the declarations before it,
 * and the toolchain (tslab's TypeScript, the installed packages, the kit's declarations), so a rebuilt kit or an
 * upgraded package starts a fresh folder. Bounded in size: the least recently used entries go first.
 *
 * Every part of an entry's identity is a hash of content, never of where or on which machine it was made (a cell's
 * compiled form does not depend on the folder it was compiled in), so entries made on the instructor's machine are
 * valid on Gradescope's: the autograder zip ships a read-only one (`gradescope/shipped-cache.ts`).
 *
 * Only the grader reads and writes it; children and the compile service never see it.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync, closeSync, constants, existsSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { ConvertResult } from 'tslab/dist/converter';
import { cacheDirectory } from '../../src/core/cache';
import { hashFilesUnder } from '../file-hash';
import { projectPath } from '../paths';

/** Disk space the cache may use: a write that takes it past this trims it (least recently used entries first) to four fifths. */
export const COMPILE_CACHE_BYTES = 256 * 1024 * 1024;

/**
 * The largest compiled cell (characters of JSON) the compile service sends back and the grader keeps or stores. A
 * course notebook's cells compile to a few kilobytes each (declarations included); types that grow exponentially can
 * make megabytes out of a line. Such a cell gets no compiled form: the child compiles it itself, within its own limits.
 */
export const MAX_COMPILED_CHARS = 1024 * 1024;

/**
 * An entry's first line: this, over the toolchain, the key and the entry's JSON, so that a cut or altered entry, or one
 * moved under another cell's key or into another toolchain's folder, is not used.
 */
const digestOf = (toolchain: string, key: string, body: string): string =>
  createHash('sha256').update(toolchain).update('\0').update(key).update('\0').update(body).digest('hex');

/** Enough of a converter result's shape to hand it to a child (a cell with diagnostics has no output). */
function isConvertResult(value: unknown): value is ConvertResult {
  const result = value as Partial<ConvertResult> | null;
  const text = (field: unknown): boolean => field === undefined || typeof field === 'string';
  return Array.isArray(result?.diagnostics) && text(result.output) && text(result.declOutput);
}

/** A folder only this user may read, created if needed; refuses anything else found there (a planted link, a file). */
function privateFolder(path: string): void {
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stat = lstatSync(path);
  if (!stat.isDirectory()) throw new Error(`${path} is not a folder`);
  if ((stat.mode & 0o777) !== 0o700) chmodSync(path, 0o700); // made by an older grader with the default mode
}

/** The text of a regular file at `path` (never through a link), or undefined when absent; throws when it is something else. */
function readRegularFile(path: string, maxBytes: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > maxBytes) throw new Error(`${path} is not a cache entry`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** The default place: `compiled/` in the course cache (`$CONVLAB_CACHE`, else `~/.cache/convlab`). */
export function compileCacheRoot(): string {
  return join(cacheDirectory(), 'compiled');
}

/**
 * What the compiler's output depends on besides the cell: tslab's own TypeScript, the installed packages (the
 * lockfile) and the kit's declarations that notebooks import.
 */
export function toolchainFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of [projectPath('node_modules', '@tslab', 'typescript-for-tslab', 'package.json'), projectPath('node_modules', 'tslab', 'package.json'), projectPath('package-lock.json')]) {
    hash.update(existsSync(file) ? readFileSync(file) : '').update('\0');
  }
  return hashFilesUnder(hash, projectPath(), [['dist', 'src'], ['dist', 'datasets']], '.d.ts').digest('hex').slice(0, 16);
}

/** The largest entry file read: a result of the largest size kept, its digest line, and room for escaped characters. */
const MAX_ENTRY_BYTES = 4 * MAX_COMPILED_CHARS;

export class CompileCache {
  private toolchainName?: string;
  private written = false;
  /** bytes this toolchain's entries use, counted at the first write, then kept up to date by this cache's writes */
  private usedBytes?: number;
  /** how many cells this cache was asked for, and how many it had (for the run's log) */
  hits = 0;
  lookups = 0;

  /**
   * Entries live in `<root>/<toolchain fingerprint>/`; folders of other toolchains are removed when the cache is
   * trimmed. The fingerprint is taken at first use, not at construction, which is on a cold run's way to its warm-up.
   * Folders are 0700 and files 0600: the entries hold learners' compiled code.
   */
  constructor(private readonly root: string = compileCacheRoot(), private readonly toolchain: () => string = toolchainFingerprint,
    private readonly maxBytes = COMPILE_CACHE_BYTES, private readonly writable = true) {}

  /** Entries someone else made (the autograder zip's): read, never written, touched, trimmed or removed. */
  static readOnly(root: string, toolchain: () => string = toolchainFingerprint): CompileCache {
    return new CompileCache(root, toolchain, 0, false);
  }

  /**
   * The stored result for `key`, or undefined: absent, or not an entry this cache wrote for this toolchain (a link, cut
   * short, altered, moved), which is then removed (when writable) and compiled again.
   */
  get(key: string): ConvertResult | undefined {
    const file = this.fileOf(key);
    this.lookups += 1;
    let result: ConvertResult;
    try {
      const text = readRegularFile(file, MAX_ENTRY_BYTES);
      if (text === undefined) return undefined;
      result = parseEntry(this.toolchainId, key, text);
    } catch {
      if (this.writable) removeQuietly(file);
      return undefined;
    }
    this.hits += 1;
    if (this.writable) {
      const now = new Date();
      utimesSync(file, now, now); // used: last to go when the cache is trimmed
    }
    return result;
  }

  /**
   * Stores a result (written under a fresh name, created exclusively, then renamed into place: whole entries only, also
   * when two graders share the cache, and never through a planted link), then trims the cache if this took it past its
   * size. A cache that cannot be written only costs compiling again, so failures are ignored.
   */
  put(key: string, result: ConvertResult): void {
    const body = JSON.stringify(result);
    if (!this.writable || body.length > MAX_COMPILED_CHARS) return;
    const file = this.fileOf(key);
    const partial = `${file}.${randomBytes(8).toString('hex')}.tmp`;
    try {
      this.prepareFolders(dirname(file));
      const text = `${digestOf(this.toolchainId, key, body)}\n${body}`;
      writeFileSync(partial, text, { flag: 'wx', mode: 0o600 });
      renameSync(partial, file);
      this.written = true;
      this.usedBytes = this.usedBytes === undefined ? this.entries().reduce((sum, entry) => sum + entry.size, 0) : this.usedBytes + Buffer.byteLength(text);
      if (this.usedBytes > this.maxBytes) this.trimEntries(file);
    } catch {
      removeQuietly(partial); // read-only or full disk: grading goes on without the cache
    }
  }

  /**
   * Once a run has written entries: removes other toolchains' folders and, past the size limit, the least recently
   * used entries until four fifths of it is used.
   */
  trim(): void {
    if (!this.written) return;
    try {
      for (const other of readdirSync(this.root)) if (join(this.root, other) !== this.dir) rmSync(join(this.root, other), { recursive: true, force: true });
      this.trimEntries();
    } catch {
      // another grader trimming at the same time: the next run trims again
    }
  }

  /** Past the size limit, removes the least recently used entries (never `keep`, just written) to four fifths of it. */
  private trimEntries(keep?: string): void {
    const entries = this.entries();
    let total = entries.reduce((sum, entry) => sum + entry.size, 0);
    if (total > this.maxBytes) {
      for (const entry of entries.sort((a, b) => a.used - b.used)) {
        if (total <= this.maxBytes * 0.8) break;
        if (entry.file === keep) continue;
        rmSync(entry.file, { force: true });
        total -= entry.size;
      }
    }
    this.usedBytes = total;
  }

  private entries(): { file: string; size: number; used: number }[] {
    return readdirSync(this.dir, { recursive: true, encoding: 'utf8' }).flatMap((name) => {
      const file = join(this.dir, name);
      const stat = lstatSync(file, { throwIfNoEntry: false });
      return stat?.isFile() ? [{ file, size: stat.size, used: stat.mtimeMs }] : [];
    });
  }

  /** The root, this toolchain's folder and the entry's: private, and real folders (a link there is refused). */
  private prepareFolders(shard: string): void {
    mkdirSync(dirname(this.root), { recursive: true });
    for (const folder of [this.root, this.dir, shard]) privateFolder(folder);
  }

  private get toolchainId(): string {
    this.toolchainName ??= this.toolchain();
    return this.toolchainName;
  }

  private get dir(): string {
    return join(this.root, this.toolchainId);
  }

  private fileOf(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // not there, or not ours to remove (the cache's root is not a folder)
  }
}

/** The result an entry holds, checked against its digest and shape; throws for anything else. */
function parseEntry(toolchain: string, key: string, text: string): ConvertResult {
  const newline = text.indexOf('\n');
  const body = text.slice(newline + 1);
  if (newline < 0 || text.slice(0, newline) !== digestOf(toolchain, key, body)) throw new Error('not a whole entry of this cache');
  const result: unknown = JSON.parse(body);
  if (!isConvertResult(result)) throw new Error('not a compiled cell');
  return result;
}
