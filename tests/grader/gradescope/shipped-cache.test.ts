import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ConvertResult } from 'tslab/dist/converter';
import { compiledCellsLine } from '../../../grader/gradescope/shipped-cache';
import { CompileCache } from '../../../grader/sandbox/compile-cache';

const result = (output: string): ConvertResult => ({ output, declOutput: 'declare function double(n: number): number;\n', diagnostics: [] });
const key = (n: number): string => n.toString(16).padStart(64, '0');
const entryFile = (root: string, toolchain: string, n: number): string => join(root, toolchain, key(n).slice(0, 2), `${key(n)}.json`);
const files = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

describe('the compile cache shipped in the autograder zip (gradescope/shipped-cache)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'convlab-shipped-cache-'));
    const packing = new CompileCache(root, () => 'toolchain-a');
    packing.put(key(1), result('function double(n) { return 2 * n; }'));
    packing.put(key(2), result('console.log(double(2));'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const shipped = (toolchain = 'toolchain-a'): CompileCache => CompileCache.readOnly(root, () => toolchain);

  it('gives back what was packed, for the same toolchain, and counts the cells it gave', () => {
    const cache = shipped();
    expect(cache.get(key(1))).to.deep.equal(result('function double(n) { return 2 * n; }'));
    expect(cache.get(key(3)), 'a cell the packing never saw').to.equal(undefined);
    expect([cache.hits, cache.lookups]).to.deep.equal([1, 2]);
    expect(compiledCellsLine(cache)).to.equal('compiled cells: 1 of 2 from the shipped cache');
    expect(shipped('toolchain-b').get(key(1)), 'another toolchain (another lockfile or kit build)').to.equal(undefined);
  });

  it('ignores an entry whose compiled output was changed', () => {
    const file = entryFile(root, 'toolchain-a', 1);
    writeFileSync(file, readFileSync(file, 'utf8').replace('2 * n', '100'));
    expect(shipped().get(key(1))).to.equal(undefined);
  });

  it('ignores an entry whose output was changed and its hash recomputed without the key and toolchain', () => {
    const file = entryFile(root, 'toolchain-a', 1);
    const body = JSON.stringify(result('function double(n) { return 100; }'));
    writeFileSync(file, `${createHash('sha256').update(body).digest('hex')}\n${body}`);
    expect(shipped().get(key(1))).to.equal(undefined);
  });

  it('ignores an entry put under another cell\'s key', () => {
    writeFileSync(entryFile(root, 'toolchain-a', 2), readFileSync(entryFile(root, 'toolchain-a', 1)));
    expect(shipped().get(key(2))).to.equal(undefined);
  });

  it('ignores entries moved into the folder of the toolchain the grader has', () => {
    cpSync(join(root, 'toolchain-a'), join(root, 'toolchain-b'), { recursive: true });
    const cache = shipped('toolchain-b');
    expect(cache.get(key(1))).to.equal(undefined);
    expect(cache.get(key(2))).to.equal(undefined);
    expect(compiledCellsLine(cache)).to.equal('compiled cells: 0 of 2 from the shipped cache');
  });

  it('ignores a planted link in place of an entry', () => {
    const elsewhere = join(root, 'elsewhere.json');
    writeFileSync(elsewhere, readFileSync(entryFile(root, 'toolchain-a', 1)));
    rmSync(entryFile(root, 'toolchain-a', 1));
    symlinkSync(elsewhere, entryFile(root, 'toolchain-a', 1));
    expect(shipped().get(key(1))).to.equal(undefined);
  });

  it('never writes, trims or removes anything in the shipped folder', () => {
    const before = files(root);
    const tampered = entryFile(root, 'toolchain-a', 1);
    writeFileSync(tampered, 'not an entry');
    mkdirSync(dirname(entryFile(root, 'other', 9)), { recursive: true });
    const cache = shipped();
    cache.get(key(1));
    cache.put(key(4), result('new'));
    cache.trim();
    expect(files(root)).to.deep.equal([...before, 'other', join('other', key(9).slice(0, 2))].sort());
    expect(readFileSync(tampered, 'utf8')).to.equal('not an entry');
  });
});
