/**
 * Finding 8: a failure the submission did not cause must not become its grade. The test kills a notebook's sandbox
 * child from outside (SIGKILL, as the OOM killer or an operator would) while its cell runs: that run records an error,
 * and the same command run again grades the submission again — up to 3 attempts in all. What the submission causes
 * itself (here process.reallyExit) stays its grade.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cell, Notebook } from '../../../grader/notebook/types';
import { CHILD_ENTRY, PROJECT_ROOT } from '../../../grader/paths';
import { COURSE, tempDir, TINY, tinySolution, writeFile, type CliResult } from '../../support/helpers';
import type { ResultJson } from '../../support/security-folder';

/** The file the notebook's first cell writes in its scratch folder: tells the test which child to kill, and when. */
const MARKER = `retry-marker-${randomBytes(6).toString('hex')}`;

const codeCell = (id: string, source: string): Cell => ({ id, cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null });

/** The correct solution (5 of 5) with a first cell that marks its scratch folder, then waits long enough to be killed. */
const markedNotebook = (): Notebook => {
  const solution = tinySolution();
  const cell = codeCell('mark', `require('fs').writeFileSync('${MARKER}', '');\nawait new Promise((resolve) => setTimeout(resolve, 1500));`);
  return { ...solution, cells: [solution.cells[0]!, cell, ...solution.cells.slice(1)] };
};

const reallyExits = (): Notebook => {
  const solution = tinySolution();
  return { ...solution, cells: [...solution.cells, codeCell('exit', '(process as any).reallyExit(0);')] };
};

/** The sandbox child of `grader` whose scratch folder holds the marker, once its cell has written it. */
function markedChild(grader: number): number | undefined {
  const scratch = readdirSync(tmpdir()).filter((name) => name.startsWith('convlab-sandbox-'))
    .map((name) => join(tmpdir(), name)).find((dir) => existsSync(join(dir, 'notebooks', MARKER)));
  if (scratch === undefined) return undefined;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const parent = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (parent === grader && args.includes(CHILD_ENTRY) && args.some((arg) => arg.startsWith(`--allow-fs-read=${scratch}/`))) return Number(pid);
    } catch {
      // the process ended while being read
    }
  }
  return undefined;
}

/** `convlab grade` of `dir/submissions`; with `kill`, the marked notebook's child is killed from outside mid-cell. */
async function grade(dir: string, options: { kill: boolean; json: boolean }): Promise<CliResult> {
  const grader = spawn(process.execPath, [
    join(PROJECT_ROOT, 'dist', 'grader', 'cli.js'), 'grade', join(dir, 'submissions'), '--assignment', TINY, '--root', COURSE,
    '--db', join(dir, 'gradebook.sqlite'), ...(options.json ? ['--json'] : []),
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  grader.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  grader.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<number>((resolve) => grader.on('close', (code) => resolve(code ?? -1)));
  if (options.kill) {
    let child: number | undefined;
    for (const started = Date.now(); child === undefined && Date.now() - started < 120_000;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      child = markedChild(grader.pid!);
    }
    expect(child, 'the marked child never showed up').to.be.a('number');
    process.kill(child!, 'SIGKILL');
  }
  return { exitCode: await exited, stdout, stderr };
}

const resultsOf = (run: CliResult): Map<string, ResultJson & { regraded?: string[] }> =>
  new Map((JSON.parse(run.stdout) as { results: (ResultJson & { regraded?: string[] })[] }).results.map((result) => [result.student, result]));

/** The score table's row of one student. */
const rowOf = (run: CliResult, student: string): string => run.stdout.split('\n').find((line) => line.startsWith(`${student} `)) ?? '';

describe('errors retried (finding 8): a child killed from outside is graded again by the next run', function () {
  this.timeout(600_000);

  it('records the kill as an error, then the same command grades it again and it scores honestly; reallyExit stays', async () => {
    const dir = tempDir('convlab-retry-');
    writeFile(join(dir, 'submissions', `killed_${TINY}.ipynb`), markedNotebook());
    writeFile(join(dir, 'submissions', `exits_${TINY}.ipynb`), reallyExits());
    const first = await grade(dir, { kill: true, json: true });
    expect(first.exitCode, first.stderr).to.equal(0);
    const killed = resultsOf(first).get('killed')!;
    expect([killed.status, killed.score]).to.deep.equal(['error', 0]);
    expect(killed.error).to.match(/signal SIGKILL/);
    expect(resultsOf(first).get('exits')).to.include({ status: 'error', score: 0 });

    const second = await grade(dir, { kill: false, json: false });
    expect(second.exitCode, second.stderr).to.equal(0);
    expect(second.stdout).to.include('1 regraded: earlier attempt failed outside the submission (attempt 2 of 3)');
    expect(rowOf(second, 'killed')).to.match(/^killed\s+graded\s+5 \/ 5/);
    expect(rowOf(second, 'exits')).to.match(/^exits\s+error\s+0 \/ 5\s.*unchanged, not regraded/);
  });

  it('after 3 attempts that failed outside the submission, the error stays', async () => {
    const dir = tempDir('convlab-retry-');
    writeFile(join(dir, 'submissions', `killed_${TINY}.ipynb`), markedNotebook());
    for (const attempt of [1, 2, 3]) {
      const run = await grade(dir, { kill: true, json: true });
      const killed = resultsOf(run).get('killed')!;
      expect([killed.status, killed.score], `attempt ${attempt}`).to.deep.equal(['error', 0]);
      expect(killed.regraded ?? [], `attempt ${attempt}`).to.deep.equal(attempt === 1 ? []
        : [`earlier attempt failed outside the submission (attempt ${attempt} of 3)`]);
    }
    const after = await grade(dir, { kill: false, json: false });
    expect(rowOf(after, 'killed')).to.match(/^killed\s+error\s+0 \/ 5\s.*unchanged, not regraded/);
    expect(rowOf(after, 'killed')).to.match(/3 times/);
  });
});
