import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PROJECT_ROOT } from '../../grader/paths';
import { COURSE, convlab, tempDir, TINY, TINY_SUBMISSIONS, withSource, writeFile } from '../support/helpers';

interface Result { student: string; status: string; score: number; error?: string; tests: { status: string; message?: string }[] }
const gradeArgs = (db: string) => ['--assignment', TINY, '--root', COURSE, '--db', db, '--json'];

describe('convlab grade: hangs, memory, crashes', function () {
  this.timeout(600_000);

  it('stops a submission whose cell blocks the event loop, names the cell, and grades the others', async () => {
    const dir = tempDir();
    writeFile(join(dir, 'alice', `${TINY}.ipynb`), TINY_SUBMISSIONS.correct());
    writeFile(join(dir, 'hal', `${TINY}.ipynb`), TINY_SUBMISSIONS.hang());
    const result = await convlab(['grade', dir, ...gradeArgs(join(dir, 'gb.sqlite')), '--jobs', '2', '--cell-timeout', '20']);
    expect(result.exitCode, result.stderr).to.equal(0);
    const [alice, hal] = (JSON.parse(result.stdout) as { results: Result[] }).results;
    expect(alice).to.deep.include({ student: 'alice', status: 'graded', score: 5 });
    expect(hal).to.deep.include({ student: 'hal', status: 'timeout', score: 0, error: 'a cell ran longer than 20 s while running cell 3 (double)' });
    expect(hal!.tests.map((test) => [test.status, test.message])).to.deep.equal(
      Array(4).fill(['timeout', 'not run: the submission stopped before this test']));
  });

  it('stops a submission that exhausts its memory cap and reports it as an error', async () => {
    const dir = tempDir();
    const hog = 'function double(n: number): number { return 2 * n; }\nconst hog: number[][] = [];\nwhile (true) hog.push(new Array(1_000_000).fill(1));';
    writeFile(join(dir, `hog_${TINY}.ipynb`), withSource(TINY_SUBMISSIONS.correct(), 'double', hog));
    const result = await convlab(['grade', dir, ...gradeArgs(join(dir, 'gb.sqlite')), '--memory', '768']);
    const [hogResult] = (JSON.parse(result.stdout) as { results: Result[] }).results;
    expect(hogResult).to.deep.include({ status: 'error', score: 0, error: 'ran out of memory (limit 768 MiB) while running cell 3 (double)' });
  });

  it('leaves only complete attempts when killed mid-run, and a re-run finishes the rest without duplicates', async () => {
    const dir = tempDir();
    const db = join(dir, 'gb.sqlite');
    for (const student of ['ann', 'ben', 'cat']) writeFile(join(dir, student, `${TINY}.ipynb`), TINY_SUBMISSIONS.correct());
    const run = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', 'grader', 'cli.js'), 'grade', dir, ...gradeArgs(db), '--jobs', '1'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => run.on('exit', resolve));
    const count = (sql: string): number => {
      const sqlite = new Database(db, { readonly: true });
      try {
        return (sqlite.prepare(sql).get() as { n: number }).n;
      } finally {
        sqlite.close();
      }
    };
    // Wait (polling, not timing) until the first attempt is committed, then kill the grader outright.
    while (!existsSync(db) || count('SELECT COUNT(*) AS n FROM submissions') === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    run.kill('SIGKILL');
    await exited;
    const committed = count('SELECT COUNT(*) AS n FROM submissions');
    expect(committed).to.be.within(1, 2);
    expect(count('SELECT COUNT(*) AS n FROM test_results')).to.equal(committed * 4);

    const rerun = await convlab(['grade', dir, ...gradeArgs(db)]);
    expect((JSON.parse(rerun.stdout) as { results: Result[] }).results.map((r) => [r.student, r.status, r.score]))
      .to.deep.equal([['ann', 'graded', 5], ['ben', 'graded', 5], ['cat', 'graded', 5]]);
    expect(count('SELECT COUNT(DISTINCT student) AS n FROM submissions')).to.equal(3);
    expect(count('SELECT COUNT(*) AS n FROM submissions')).to.equal(3);
    expect(count('SELECT COUNT(*) AS n FROM test_results')).to.equal(12);
  });
});

describe('convlab: usage errors quote the bad value', () => {
  const cases: ReadonlyArray<[name: string, args: string[], message: string]> = [
    ['an unknown assignment', ['grade', COURSE, '--assignment', '42-nope', '--root', COURSE],
      `convlab: unknown assignment "42-nope": there is no ${join(COURSE, 'solutions', '42-nope.ipynb')} (assignments: 00-tiny)`],
    ['a malformed assignment name', ['grade', COURSE, '--assignment', 'tiny'], 'convlab: --assignment must look like "NN-name" (e.g. 01-conv-arithmetic), got "tiny"'],
    ['a zero --jobs', ['grade', COURSE, '--assignment', TINY, '--jobs', '0'], 'convlab: --jobs must be a positive integer, got "0"'],
    ['a --timeout that is not a number', ['grade', COURSE, '--assignment', TINY, '--timeout', 'soon'], 'convlab: --timeout must be a positive number, got "soon"'],
    ['no submissions', ['grade', '--assignment', TINY], 'convlab: no submissions given: pass notebooks, folders or zip archives'],
    ['a missing submission path', ['grade', '/nowhere', '--assignment', TINY, '--root', COURSE], 'convlab: no such file or folder: "/nowhere"'],
    ['an unknown option', ['grade', COURSE, '--assignment', TINY, '--frobnicate'], "convlab: Unknown option '--frobnicate'"],
    ['an unknown command', ['frobnicate'], 'convlab: unknown command "frobnicate"'],
  ];
  for (const [name, args, message] of cases) {
    it(`exits 2 on ${name}`, async () => {
      const result = await convlab(args);
      expect(result.exitCode).to.equal(2);
      expect(result.stderr.split('\n')[0]).to.equal(message.split('\n')[0]);
      expect(result.stdout).to.equal('');
    });
  }
});
