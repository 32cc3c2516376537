/**
 * Issue 6, crash safety: the grader killed outright (SIGKILL) in the middle of a 50-submission run leaves a gradebook
 * that opens cleanly and holds only complete attempts; running the same command again grades only the rest.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PROJECT_ROOT } from '../../../grader/paths';
import { COURSE, convlab, tempDir, TINY, tinySolution, writeFile } from '../../support/helpers';
import type { ResultJson } from '../../support/security-folder';

const SUBMISSIONS = 50;
/** Attempts committed before the kill: enough to check, few enough that the kill lands mid-run. */
const KILL_AFTER = 4;

interface AttemptRow { student: string; status: string; score: number; graded_at: string }

function query<T>(db: string, sql: string): T[] {
  const sqlite = new Database(db);
  try {
    return sqlite.prepare(sql).all() as T[];
  } finally {
    sqlite.close();
  }
}

const countOf = (db: string, sql: string): number => query<{ n: number }>(db, sql)[0]!.n;

describe('crash safety (issue 6): SIGKILL mid-run of 50 submissions', function () {
  this.timeout(1_800_000);
  const dir = tempDir('convlab-crash-');
  const submissions = join(dir, 'submissions');
  const db = join(dir, 'gradebook.sqlite');
  const students = Array.from({ length: SUBMISSIONS }, (_, index) => `s${String(index + 1).padStart(2, '0')}`);
  const args = ['grade', submissions, '--assignment', TINY, '--root', COURSE, '--db', db, '--json', '--jobs', '2'];
  let beforeKill: AttemptRow[];

  before(async () => {
    for (const student of students) writeFile(join(submissions, `${student}_${TINY}.ipynb`), tinySolution());
    const grader = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', 'grader', 'cli.js'), ...args], { stdio: 'ignore' });
    const exited = new Promise((resolve) => grader.on('exit', resolve));
    // Polls the gradebook (not a clock) until enough attempts are committed, then kills the grader outright.
    while (!existsSync(db) || countOf(db, 'SELECT COUNT(*) AS n FROM submissions') < KILL_AFTER) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    grader.kill('SIGKILL');
    await exited;
    beforeKill = query<AttemptRow>(db, 'SELECT student, status, score, graded_at FROM submissions ORDER BY student');
  });

  it('leaves a gradebook that opens cleanly and passes SQLite\'s integrity check', () => {
    expect(query<{ integrity_check: string }>(db, 'PRAGMA integrity_check')).to.deep.equal([{ integrity_check: 'ok' }]);
  });

  it('holds only complete attempts: each fully graded, with all four of its test rows', () => {
    expect(beforeKill.length).to.be.within(KILL_AFTER, SUBMISSIONS - 1);
    expect(beforeKill.map((row) => [row.status, row.score])).to.deep.equal(beforeKill.map(() => ['graded', 5]));
    expect(countOf(db, 'SELECT COUNT(*) AS n FROM test_results')).to.equal(4 * beforeKill.length);
  });

  it('finishes the rest when the same command runs again, without regrading or duplicating', async () => {
    const rerun = await convlab(args);
    expect(rerun.exitCode, rerun.stderr).to.equal(0);
    const results = (JSON.parse(rerun.stdout) as { results: ResultJson[] }).results;
    expect(results.map((result) => [result.student, result.status, result.score])).to.deep.equal(students.map((student) => [student, 'graded', 5]));
    const after = query<AttemptRow>(db, 'SELECT student, status, score, graded_at FROM submissions ORDER BY student');
    expect(after.map((row) => row.student)).to.deep.equal(students);
    expect(countOf(db, 'SELECT COUNT(*) AS n FROM test_results')).to.equal(4 * SUBMISSIONS);
    // The attempts committed before the kill are the same rows, not graded a second time.
    const gradedAt = new Map(after.map((row) => [row.student, row.graded_at]));
    expect(beforeKill.map((row) => [row.student, gradedAt.get(row.student)])).to.deep.equal(beforeKill.map((row) => [row.student, row.graded_at]));
  });
});
