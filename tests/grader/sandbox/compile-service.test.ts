import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { CHILD_ENTRY, COMPILE_PROCESS_ENTRY, projectPath } from '../../../grader/paths';
import type { CompiledCell } from '../../../grader/sandbox/protocol';

/** Cells that take every path a cell can take: declarations, a compile error, output, a runtime error, a skipped
 * cell, an import of a file outside the sandbox, and a cell after all of them. */
const SOURCES = [
  'const base: number = 20;\nfunction twice(x: number): number { return 2 * x; }',
  'const wrong: string = base;',
  'console.log(twice(base));',
  'throw new Error("boom");',
  'const after = twice(base) + 2;\nafter',
  'import * as secret from "/etc/hostname";\nconsole.log(secret);',
  'let total = 0;\nfor (const value of [1, 2, 3]) total += value;\nconsole.log(`total ${total}`, twice(base));',
];
const SKIPPED = 4;

interface CellSeen { index: number; status: string; output: string; error?: string }
interface Findings {
  withService: CellSeen[];
  compiledByChild: CellSeen[];
  firstRound: CompiledCell[];
  secondRoundSameObjects: boolean[];
  impatientResults: (object | null)[];
  impatientCells: CellSeen[];
  /** a second service over the disk cache the first one filled */
  fromDisk: { cells: CellSeen[]; results: CompiledCell[]; startedProcess: boolean };
  /** files the impatient service (no result for any cell) left in its disk cache */
  impatientStored: number;
}

/**
 * Runs in a plain `node` (the built grader, as `convlab grade` runs it: execa, an ES module, does not load through the
 * tests' TypeScript hook) and prints what it found as JSON.
 */
const DRIVER = `
const dist = (name) => require(${JSON.stringify(projectPath('dist', 'grader', 'sandbox'))} + '/' + name);
const { CompileService } = dist('compile-service.js');
const { Sandbox } = dist('session.js');
const { CompileCache } = dist('compile-cache.js');
const fs = require('node:fs');
const diskCache = () => new CompileCache(fs.mkdtempSync(require('node:os').tmpdir() + '/convlab-compiled-'), () => 'toolchain');
const filesUnder = (dir) => fs.readdirSync(dir, { recursive: true }).filter((name) => name.endsWith('.json')).length;
const limits = { timeoutMs: 240000, cellTimeoutMs: 60000, testTimeoutMs: 10000, maxOldSpaceMb: 2048 };
const sources = ${JSON.stringify(SOURCES)};
const job = (skipped) => ({ cells: sources.map((source, index) => ({ index, source, skip: index === skipped })),
  specs: [], cellTimeoutMs: limits.cellTimeoutMs, testTimeoutMs: limits.testTimeoutMs, outputLimit: 20000 });
const cellsOf = (outcome) => outcome.cells.map(({ index, status, output, error }) => ({ index, status, output, error }));
const collect = async (cells) => { const all = []; for await (const cell of cells) all.push(cell); return all; };
(async () => {
  const cache = diskCache();
  const service = new CompileService(limits, cache);
  const impatientCache = diskCache();
  const impatient = new CompileService({ ...limits, cellTimeoutMs: 1 }, impatientCache);
  service.start();
  try {
    const withService = cellsOf(await new Sandbox(limits).run(job(${SKIPPED}), service.compileCells(job(${SKIPPED}))));
    const compiledByChild = cellsOf(await new Sandbox(limits).run(job(${SKIPPED})));
    const firstRound = await collect(service.compileCells(job(-1)));
    const secondRound = await collect(service.compileCells(job(-1)));
    const impatientResults = (await collect(impatient.compileCells(job(-1)))).map((cell) => cell.result);
    const impatientCells = cellsOf(await new Sandbox(limits).run(job(-1), impatient.compileCells(job(-1))));
    const later = new CompileService(limits, new CompileCache(cache.root, () => 'toolchain'));
    const fromDisk = {
      cells: cellsOf(await new Sandbox(limits).run(job(${SKIPPED}), later.compileCells(job(${SKIPPED})))),
      results: await collect(later.compileCells(job(-1))),
      startedProcess: later.processes > 0,
    };
    later.dispose();
    process.stdout.write(JSON.stringify({ withService, compiledByChild, firstRound, impatientResults, impatientCells, fromDisk,
      impatientStored: filesUnder(impatientCache.root),
      secondRoundSameObjects: secondRound.map((cell, i) => cell.result !== null && cell.result === firstRound[i].result) }));
  } finally {
    service.dispose();
    impatient.dispose();
  }
})();
`;

describe('compile service (sandbox/compile-service)', function () {
  this.timeout(900_000);
  let found: Findings;

  before(function () {
    if (!existsSync(CHILD_ENTRY) || !existsSync(COMPILE_PROCESS_ENTRY)) throw new Error('the grader is not built: run npm run build');
    found = JSON.parse(execFileSync(process.execPath, ['-e', DRIVER], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as Findings;
  });

  it('gives the learner the same cell results as a child that compiles its own cells', () => {
    expect(found.withService).to.deep.equal(found.compiledByChild);
    const [declarations, compileError, printed, thrown, skipped, fileImport, last] = found.withService;
    expect(declarations!.status).to.equal('ok');
    expect(compileError!.status).to.equal('failed');
    expect(compileError!.error).to.match(/1:7 - Type 'number' is not assignable to type 'string'/);
    expect(printed!.output).to.equal('40\n');
    expect(thrown!.status).to.equal('failed');
    expect(skipped!.status).to.equal('skipped');
    expect(fileImport!.error).to.match(/Cannot find module/);
    expect(fileImport!.output).not.to.include(readFileSync('/etc/hostname', 'utf8').trim());
    expect(last!.output).to.equal('total 6 40\n');
  });

  it('compiles each cell once per run for the same declarations and source', () => {
    expect(found.firstRound.map((cell) => cell.index)).to.deep.equal(SOURCES.map((_, index) => index));
    // The very same result objects the second time: a second compile would have parsed a new reply.
    expect(found.secondRoundSameObjects).to.deep.equal(SOURCES.map(() => true));
    // A compile error leaves the declarations as they were, as tslab's executor does.
    expect(found.firstRound[1]!.result!.diagnostics).to.have.length(1);
    expect(found.firstRound[2]!.result!.diagnostics).to.have.length(0);
  });

  it('gives up on a cell over the per-cell limit; the child then compiles it itself, with the same results', () => {
    expect(found.impatientResults).to.deep.equal(SOURCES.map(() => null));
    const besidesSkipped = (cells: CellSeen[]): CellSeen[] => cells.filter((cell) => cell.index !== SKIPPED);
    expect(besidesSkipped(found.impatientCells)).to.deep.equal(besidesSkipped(found.withService));
    expect(found.impatientStored, 'no result is not kept on disk').to.equal(0);
  });

  it('keeps compiled cells on disk: a later run gets the same results without starting a compiler', () => {
    expect(found.fromDisk.startedProcess).to.equal(false);
    expect(found.fromDisk.results).to.deep.equal(found.firstRound);
    expect(found.fromDisk.cells).to.deep.equal(found.withService);
  });
});
