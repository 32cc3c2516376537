/**
 * Finding 3: one notebook must not stall the cohort or escape `--timeout` through the compile service. A submission's
 * type-checking counts against its own run time (the release's leading cells, compiled once for the cohort, excepted),
 * the time its timers run between cells counts too, and another learner's notebook waits for its own cells only.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Cell, Notebook } from '../../../grader/notebook/types';
import { CHILD_ENTRY, PROJECT_ROOT, projectPath } from '../../../grader/paths';
import { COURSE, runProgram, tempDir, TINY, tinySolution, writeFile } from '../../support/helpers';

const codeCell = (id: string, source: string): Cell => ({ cell_type: 'code', id, metadata: {}, source, outputs: [], execution_count: null });

/**
 * A cell whose types take the compiler seconds (a mapped type over the cube of a 10-member union, each member a
 * template over that cube again: a million string literal types; 4 s on an idle core) and whose code does nothing.
 */
export function slowTypeCell(n: number): string {
  const letters = Array.from({ length: 10 }, (_, k) => `'${String.fromCharCode(97 + k)}${n}'`).join(' | ');
  return `type D${n} = ${letters};\ntype P${n} = \`\${D${n}}\${D${n}}\${D${n}}\`;\n`
    + `type R${n} = { [K in P${n}]: \`\${K}\${P${n}}\` }[P${n}];\nconst r${n}: R${n} = 'x' as any;\n`;
}

const withCells = (notebook: Notebook, sources: readonly string[]): Notebook =>
  ({ ...notebook, cells: [...notebook.cells, ...sources.map((source, index) => codeCell(`extra-${index + 1}`, source))] });

interface Graded { status: string; error?: string; seconds: number }

/** `convlab grade` of the given notebooks (student → notebook) in a fresh folder and compile cache: status and time. */
async function gradeNotebooks(notebooks: Readonly<Record<string, Notebook>>, args: readonly string[]): Promise<Map<string, Graded>> {
  const dir = tempDir('convlab-stall-');
  for (const [student, notebook] of Object.entries(notebooks)) writeFile(join(dir, 'submissions', `${student}_${TINY}.ipynb`), notebook);
  mkdirSync(join(dir, 'cache'));
  const db = join(dir, 'gradebook.sqlite');
  const result = await runProgram(process.execPath, [join(PROJECT_ROOT, 'dist', 'grader', 'cli.js'), 'grade', join(dir, 'submissions'),
    '--assignment', TINY, '--root', COURSE, '--db', db, '--json', ...args], { env: { CONVLAB_CACHE: join(dir, 'cache') } });
  expect(result.exitCode, result.stderr).to.equal(0);
  const sqlite = new Database(db, { readonly: true });
  try {
    const rows = sqlite.prepare('SELECT student, status, error, duration_ms FROM submissions').all() as { student: string; status: string; error: string | null; duration_ms: number }[];
    return new Map(rows.map((row) => [row.student, { status: row.status, ...(row.error !== null ? { error: row.error } : {}), seconds: row.duration_ms / 1000 }]));
  } finally {
    sqlite.close();
  }
}

/**
 * Runs in a plain `node` (as in tests/grader/sandbox/compile-service.test.ts): a child is given compiled cells that arrive late, as
 * from a busy compile service, and the run's outcome is printed as JSON.
 */
const DRIVER = `
const dist = (name) => require(${JSON.stringify(projectPath('dist', 'grader', 'sandbox'))} + '/' + name);
const { CompileService } = dist('compile-service.js');
const { Sandbox } = dist('session.js');
const [sources, delayMs, released, timeoutMs] = JSON.parse(process.argv[1]);
const limits = { timeoutMs, cellTimeoutMs: 60000, testTimeoutMs: 10000, maxOldSpaceMb: 2048 };
const job = { cells: sources.map((source, index) => ({ index, source, skip: false })), specs: [],
  cellTimeoutMs: limits.cellTimeoutMs, testTimeoutMs: limits.testTimeoutMs, outputLimit: 20000 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
(async () => {
  const service = new CompileService(limits);
  const compiled = [];
  for await (const cell of service.compileCells(job)) compiled.push(cell);
  service.dispose();
  async function* late() { for (const cell of compiled) { if (cell.index > 0) await sleep(delayMs); yield cell; } }
  const sandbox = new Sandbox(limits);
  await sandbox.warm;
  const outcome = await sandbox.run(job, late(), released);
  process.stdout.write(JSON.stringify({ termination: outcome.termination ?? null, seconds: outcome.durationMs / 1000,
    cells: outcome.cells.map((cell) => cell.status) }));
})();
`;

function runLate(sources: readonly string[], delayMs: number, released: number, timeoutMs: number): { termination: string | null; seconds: number; cells: string[] } {
  return JSON.parse(execFileSync(process.execPath, ['-e', DRIVER, JSON.stringify([sources, delayMs, released, timeoutMs])], { encoding: 'utf8' })) as never;
}

describe('a submission pays for its own compiling (finding 3)', function () {
  this.timeout(1_200_000);
  before(function () {
    if (!existsSync(CHILD_ENTRY)) throw new Error('the grader is not built: run npm run build');
  });

  describe('the run timer while the child waits for compiled cells', () => {
    const TIMEOUT_MS = 8000;
    const DELAY_MS = 5000;

    it('counts the time a timer loop runs between cells against --timeout', () => {
      const spin = 'let ticks = 0;\nconst spin = (): void => { ticks += 1; setImmediate(spin); };\nspin();';
      const outcome = runLate([spin, 'const a = 1;', 'const b = 2;', 'console.log(ticks > 0);'], DELAY_MS, 0, TIMEOUT_MS);
      console.log(`      timer loop with 3 × ${DELAY_MS / 1000} s waits, --timeout ${TIMEOUT_MS / 1000}: ${outcome.termination ?? 'finished'} after ${outcome.seconds} s`);
      expect(outcome.termination).to.equal('timeout');
      expect(outcome.seconds).to.be.below(TIMEOUT_MS / 1000 + DELAY_MS / 1000);
    });

    it('does not charge the waits for the release\'s leading cells, which no learner code has run before', () => {
      // two waits of 8 s, longer together than the 12 s budget, which is left to the cells' own work (slow when busy)
      const outcome = runLate(['const a = 1;', 'const b = 2;', 'const c = a + b;'], 8000, 3, 12_000);
      expect(outcome.termination).to.equal(null);
      expect(outcome.cells).to.deep.equal(['ok', 'ok', 'ok']);
      expect(outcome.seconds).to.be.above(16);
    });
  });

  describe('a notebook of slow-type cells beside an honest one (--jobs 2)', () => {
    const TIMEOUT_S = 20;
    // long enough that no slow cell reaches it even on a busy machine: each one is compiled to the end
    const CELL_TIMEOUT_S = 30;
    const ARGS = ['--jobs', '2', '--timeout', String(TIMEOUT_S), '--cell-timeout', String(CELL_TIMEOUT_S)];
    const SLOW_CELLS = 40;
    // An honest notebook of 34 compiled cells: behind one queue it would wait for a slow cell before each of its own.
    const honest = (): Notebook => withCells(tinySolution(), Array.from({ length: 30 }, (_, n) => `const extra${n} = ${n};`));
    let beside: Map<string, Graded>;
    let alone: Map<string, Graded>;

    before(async () => {
      const slow = withCells(tinySolution(), Array.from({ length: SLOW_CELLS }, (_, n) => slowTypeCell(n)));
      beside = await gradeNotebooks({ slow, honest: honest() }, ARGS);
      alone = await gradeNotebooks({ honest: honest() }, ARGS);
      console.log(`      slow-type notebook: ${beside.get('slow')?.status} after ${beside.get('slow')?.seconds} s (${beside.get('slow')?.error ?? ''}); `
        + `honest beside it ${beside.get('honest')?.seconds} s, alone ${alone.get('honest')?.seconds} s`);
    });

    it('stops the slow-type notebook as timeout near its --timeout', () => {
      const slow = beside.get('slow')!;
      expect(slow.status).to.equal('timeout');
      // the run's budget, the child's warm-up and one compile in flight, with room for a busy machine
      expect(slow.seconds).to.be.below(2 * TIMEOUT_S + CELL_TIMEOUT_S);
    });

    it('grades the honest notebook beside it as alone, delayed by about one --cell-timeout at most', () => {
      expect(beside.get('honest')!.status).to.equal('graded');
      // a busy shared machine makes the same run vary by seconds: room for that on top of the one cell-timeout
      expect(beside.get('honest')!.seconds).to.be.below(alone.get('honest')!.seconds + CELL_TIMEOUT_S + 10);
    });
  });
});
