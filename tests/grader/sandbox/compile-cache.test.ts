import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConvertResult } from 'tslab/dist/converter';
import { CompileCache } from '../../../grader/sandbox/compile-cache';

const result = (output: string): ConvertResult => ({ output, declOutput: 'declare const x: number;\n', diagnostics: [] });
const key = (n: number): string => n.toString(16).padStart(64, '0');
const entries = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.json')).sort();

describe('compiled cells kept between runs (sandbox/compile-cache)', () => {
  let root: string;
  beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'convlab-compile-cache-')); });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('returns what was stored, under its toolchain only', () => {
    new CompileCache(root, () => 'v1').put(key(1), result('one'));
    expect(new CompileCache(root, () => 'v1').get(key(1))).to.deep.equal(result('one'));
    expect(new CompileCache(root, () => 'v2').get(key(1)), 'another toolchain (kit rebuilt, package upgraded)').to.equal(undefined);
  });

  it('treats a damaged entry as absent', () => {
    const cache = new CompileCache(root, () => 'v1');
    cache.put(key(1), result('one'));
    writeFileSync(join(root, 'v1', key(1).slice(0, 2), `${key(1)}.json`), '{"output": "cut sh');
    expect(cache.get(key(1))).to.equal(undefined);
  });

  it('trims the least recently used entries past its size, and removes other toolchains', () => {
    new CompileCache(root, () => 'old').put(key(9), result('stale'));
    const filling = new CompileCache(root, () => 'v1');
    for (let n = 0; n < 8; n += 1) {
      filling.put(key(n), result(`entry ${n}`));
      const time = new Date(Date.UTC(2026, 0, 1, 0, n));
      utimesSync(join(root, 'v1', key(n).slice(0, 2), `${key(n)}.json`), time, time);
    }
    const size = statSync(join(root, 'v1', key(0).slice(0, 2), `${key(0)}.json`)).size;
    const cache = new CompileCache(root, () => 'v1', size * 5);
    cache.get(key(0)); // used now: the newest of all
    cache.put(key(7), result('entry 7')); // a write: the run's trim is due
    cache.trim();
    expect(existsSync(join(root, 'old'))).to.equal(false);
    // 8 entries over a limit of 5: trimmed to four fifths (4), keeping the most recently used.
    expect(entries(join(root, 'v1'))).to.deep.equal([0, 5, 6, 7].map((n) => join(key(n).slice(0, 2), `${key(n)}.json`)));
  });

  it('leaves the cache alone when the run stored nothing', () => {
    mkdirSync(join(root, 'old'));
    const cache = new CompileCache(root, () => 'v1', 0);
    cache.get(key(1));
    cache.trim();
    expect(existsSync(join(root, 'old'))).to.equal(true);
  });

  it('grades on without it when it cannot be written', () => {
    const notAFolder = join(root, 'file');
    writeFileSync(notAFolder, ''); // unwritable for root too, unlike a read-only folder
    const cache = new CompileCache(notAFolder, () => 'v1');
    expect(() => cache.put(key(1), result('one'))).not.to.throw();
    expect(cache.get(key(1))).to.equal(undefined);
  });
});
