/**
 * Compiled cells kept between grading runs, as ccache keeps object files: a re-grade after a hidden test changed, a
 * late submission, or a single notebook graded cold finds the cells every learner shares, and every cell graded
 * before, already compiled. Keyed on what decides the compiler's output: the cell's source, the declarations before it,
 * and the toolchain (tslab's TypeScript, the installed packages, the kit's declarations), so a rebuilt kit or an
 * upgraded package starts a fresh folder. Bounded in size: the least recently used entries go first.
 *
 * Only the grader reads and writes it; children and the compile service never see it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ConvertResult } from 'tslab/dist/converter';
import { cacheDirectory } from '../../src/core/cache';
import { projectPath } from '../paths';

/** Disk space the cache may use before a run trims it (least recently used entries first) to four fifths. */
export const COMPILE_CACHE_BYTES = 256 * 1024 * 1024;

/** The default place: `compiled/` in the course cache (`$CONVLAB_CACHE`, else `~/.cache/convlab`). */
export function compileCacheRoot(): string {
  return join(cacheDirectory(), 'compiled');
}

/** Every `.d.ts` under `dir`, as relative paths in a stable order. */
function declarationFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.d.ts')).sort();
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
  for (const dir of [projectPath('dist', 'src'), projectPath('dist', 'datasets')]) {
    for (const file of declarationFiles(dir)) hash.update(relative(projectPath(), join(dir, file))).update('\0').update(readFileSync(join(dir, file))).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

export class CompileCache {
  private toolchainDir?: string;
  private written = false;

  /**
   * Entries live in `<root>/<toolchain fingerprint>/`; folders of other toolchains are removed when the cache is
   * trimmed. The fingerprint is taken at first use, not at construction, which is on a cold run's way to its warm-up.
   */
  constructor(private readonly root: string = compileCacheRoot(), private readonly toolchain: () => string = toolchainFingerprint,
    private readonly maxBytes = COMPILE_CACHE_BYTES) {}

  /** The stored result for `key`, or undefined (absent or unreadable: then it is compiled again). */
  get(key: string): ConvertResult | undefined {
    const file = this.fileOf(key);
    try {
      const result = JSON.parse(readFileSync(file, 'utf8')) as ConvertResult;
      const now = new Date();
      utimesSync(file, now, now); // used: last to go when the cache is trimmed
      return result;
    } catch {
      return undefined;
    }
  }

  /** Stores a result; a cache that cannot be written only costs compiling again, so failures are ignored. */
  put(key: string, result: ConvertResult): void {
    const file = this.fileOf(key);
    try {
      mkdirSync(join(this.dir, key.slice(0, 2)), { recursive: true });
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, JSON.stringify(result));
      renameSync(partial, file); // whole entries only, also when two graders share the cache
      this.written = true;
    } catch {
      // read-only or full disk: grading goes on without the cache
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
      const entries = readdirSync(this.dir, { recursive: true, encoding: 'utf8' }).flatMap((name) => {
        const file = join(this.dir, name);
        const stat = statSync(file, { throwIfNoEntry: false });
        return stat?.isFile() ? [{ file, size: stat.size, used: stat.mtimeMs }] : [];
      });
      let total = entries.reduce((sum, entry) => sum + entry.size, 0);
      if (total <= this.maxBytes) return;
      for (const entry of entries.sort((a, b) => a.used - b.used)) {
        if (total <= this.maxBytes * 0.8) break;
        rmSync(entry.file, { force: true });
        total -= entry.size;
      }
    } catch {
      // another grader trimming at the same time: the next run trims again
    }
  }

  private get dir(): string {
    this.toolchainDir ??= join(this.root, this.toolchain());
    return this.toolchainDir;
  }

  private fileOf(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }
}
