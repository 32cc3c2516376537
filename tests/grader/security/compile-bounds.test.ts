/**
 * Findings 4 and 10 (compile part): what one notebook can make the compiler produce is bounded in memory and on disk,
 * and the compile cache keeps learners' compiled code private, follows no planted link and hands a child nothing it
 * did not write itself. Also the cap on a notebook's code cells.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConvertResult } from 'tslab/dist/converter';
import type { GradingContext } from '../../../grader/pipeline/context';
import { boundCells } from '../../../grader/pipeline/bound-cells';
import { CompileCache } from '../../../grader/sandbox/compile-cache';
import type { Cell } from '../../../grader/notebook/types';
import { COMPILE_PROCESS_ENTRY, projectPath } from '../../../grader/paths';
import { tempDir, tinyReleased, tinySolution } from '../../support/helpers';

const result = (output: string): ConvertResult => ({ output, declOutput: 'declare const x: number;\n', diagnostics: [] });
const key = (n: number): string => n.toString(16).padStart(64, '0');
const entryPath = (root: string, n: number): string => join(root, 'v1', key(n).slice(0, 2), `${key(n)}.json`);
const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);
const filesUnder = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => join(dir, name));
const bytesUnder = (dir: string): number => filesUnder(dir).filter((file) => lstatSync(file).isFile()).reduce((sum, file) => sum + statSync(file).size, 0);

/** A cell whose declarations double at each line: 14 lines give a declaration file of megabytes from 500 characters. */
const EXPONENTIAL = Array.from({ length: 14 }, (_, i) => `const f${i + 1} = { a: f${i}, b: f${i} };`).join('\n');
const EXPONENTIAL_CELL = `const f0 = { a: 1, b: "x" };\n${EXPONENTIAL}`;

const DRIVER = `
const dist = (name) => require(${JSON.stringify(projectPath('dist', 'grader', 'sandbox'))} + '/' + name);
const { CompileService } = dist('compile-service.js');
const { CompileCache } = dist('compile-cache.js');
const fs = require('node:fs');
const bytesUnder = (dir) => fs.readdirSync(dir, { recursive: true }).map((name) => fs.lstatSync(dir + '/' + name))
  .filter((stat) => stat.isFile()).reduce((sum, stat) => sum + stat.size, 0);
const [root, maxBytes, sources] = JSON.parse(process.argv[1]);
const limits = { timeoutMs: 240000, cellTimeoutMs: 120000, testTimeoutMs: 10000, maxOldSpaceMb: 2048 };
const job = { cells: sources.map((source, index) => ({ index, source, skip: false })), specs: [],
  cellTimeoutMs: limits.cellTimeoutMs, testTimeoutMs: limits.testTimeoutMs, outputLimit: 20000 };
(async () => {
  const service = new CompileService(limits, new CompileCache(root, () => 'v1', maxBytes));
  const sizes = [];
  for await (const cell of service.compileCells(job)) sizes.push(cell.result === null ? null : JSON.stringify(cell.result).length);
  const kept = [...service.results.values()];
  process.stdout.write(JSON.stringify({ sizes, heldBytes: JSON.stringify(kept).length, cacheBytes: bytesUnder(root) }));
  service.dispose();
})();
`;

describe('compiled cells are bounded and private (findings 4 and 10)', function () {
  this.timeout(600_000);
  let root: string;
  beforeEach(() => { root = tempDir('convlab-compile-bounds-'); });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('keeps no huge result of an exponential-type cell, in memory or in the cache, and the cache within its budget', () => {
    if (!existsSync(COMPILE_PROCESS_ENTRY)) throw new Error('the grader is not built: run npm run build');
    const budget = 1024 * 1024;
    const cells = ['const small = 1;', EXPONENTIAL_CELL, 'const after = 2;'];
    const found = JSON.parse(execFileSync(process.execPath, ['-e', DRIVER, JSON.stringify([root, budget, cells])], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as
      { sizes: (number | null)[]; heldBytes: number; cacheBytes: number };
    console.log(`      compiled sizes ${JSON.stringify(found.sizes)}, held in memory ${found.heldBytes} B, cache ${found.cacheBytes} B before the run ends`);
    expect(found.sizes[0]).to.be.a('number');
    expect(found.sizes[1], 'the exponential cell gets no result (the child compiles it within its own limits)').to.equal(null);
    expect(found.heldBytes).to.be.below(budget);
    expect(found.cacheBytes, 'before the run ends (and trims)').to.be.at.most(budget);
  });

  it('keeps the cache within its size on every write, least recently used first', () => {
    new CompileCache(root, () => 'v1').put(key(99), result('probe'));
    const size = statSync(entryPath(root, 99)).size;
    rmSync(join(root, 'v1'), { recursive: true });
    const cache = new CompileCache(root, () => 'v1', size * 5);
    for (let n = 0; n < 12; n += 1) cache.put(key(n), result(`entry ${String(n).padStart(5)}`));
    expect(bytesUnder(join(root, 'v1')), 'no trim() call: the limit holds as it is written').to.be.at.most(size * 5);
    expect(existsSync(entryPath(root, 11)), 'the newest entry stays').to.equal(true);
  });

  it('writes folders 0700 and files 0600: learners\' compiled code is not for other local users', () => {
    new CompileCache(root, () => 'v1').put(key(1), result('one'));
    expect([mode(root), mode(join(root, 'v1')), mode(join(root, 'v1', key(1).slice(0, 2))), mode(entryPath(root, 1))])
      .to.deep.equal(['700', '700', '700', '600']);
  });

  it('writes through no planted symbolic link, at a temporary name or at the entry itself', () => {
    const cache = new CompileCache(root, () => 'v1');
    cache.put(key(2), result('make the folders'));
    const victim = join(root, 'victim.txt');
    writeFileSync(victim, 'not the cache\'s');
    for (const suffix of [`${process.pid}.tmp`, 'tmp', `${process.pid}`]) symlinkSync(victim, `${entryPath(root, 1)}.${suffix}`);
    symlinkSync(victim, entryPath(root, 3));
    cache.put(key(1), result('one'));
    cache.put(key(3), result('three'));
    expect(readFileSync(victim, 'utf8')).to.equal('not the cache\'s');
    expect(cache.get(key(1))).to.deep.equal(result('one'));
    expect(lstatSync(entryPath(root, 3)).isSymbolicLink()).to.equal(false);
  });

  it('hands out no entry that is a planted link, tampered with or cut short, and removes it', () => {
    const cache = new CompileCache(root, () => 'v1');
    cache.put(key(1), result('one'));
    cache.put(key(2), result('two'));
    const tampered = readFileSync(entryPath(root, 1), 'utf8').replace('one', 'evil');
    writeFileSync(entryPath(root, 1), tampered);
    writeFileSync(entryPath(root, 2), readFileSync(entryPath(root, 2), 'utf8').slice(0, -10));
    const elsewhere = join(root, 'elsewhere.json');
    writeFileSync(elsewhere, readFileSync(entryPath(root, 2), 'utf8'));
    symlinkSync(elsewhere, entryPath(root, 3));
    expect([cache.get(key(1)), cache.get(key(2)), cache.get(key(3))]).to.deep.equal([undefined, undefined, undefined]);
    expect([1, 2, 3].map((n) => existsSync(entryPath(root, n)) || lstatSync(entryPath(root, n), { throwIfNoEntry: false }) !== undefined))
      .to.deep.equal([false, false, false]);
  });
});

describe('the number of code cells a notebook may have (finding 3)', () => {
  const code = (notebook: { cells: readonly Cell[] }): number => notebook.cells.filter((cell) => cell.cell_type === 'code').length;
  const contextWith = (extra: number): GradingContext => {
    const solution = tinySolution();
    const cells = [...solution.cells, ...Array.from({ length: extra }, (_, i): Cell => ({ cell_type: 'code', id: `x${i}`, metadata: {}, source: `const x${i} = ${i};`, outputs: [], execution_count: null }))];
    return { run: { assignment: { released: tinyReleased() } }, notebook: { ...solution, cells } } as unknown as GradingContext;
  };

  it('accepts the release\'s code cells and 50 more', async () => {
    expect((await boundCells.run(contextWith(50))).invalid).to.equal(undefined);
  });

  it('makes a notebook with more invalid, in one line', async () => {
    const released = code(tinyReleased());
    const invalid = (await boundCells.run(contextWith(51))).invalid;
    expect(invalid).to.equal(`the notebook has ${released + 51} code cells; the assignment has ${released}, and at most ${released + 50} are graded: remove the cells you added that you do not need`);
  });
});
