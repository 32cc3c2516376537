import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { readGradebook } from '../../grader/gradebook/queries';
import { projectPath } from '../../grader/paths';
import { convlab, tempDir } from '../support/helpers';

const ASSIGNMENT = '00-warmup';

/**
 * The instructor's weekly loop on the bundled example course, graded for real: grade, grade again (reused), add a
 * hidden test, fix a hidden test, change a limit. Every run after a setup change regrades unchanged notebooks and the
 * printed summary says why; the gradebook keeps every grading.
 */
describe('convlab grade regrades when the grading setup changes (real grading, real SQLite)', function () {
  this.timeout(600_000);
  const dir = tempDir();
  const root = join(dir, 'course');
  const submissions = join(dir, 'submissions');
  const extra = join(dir, 'extra');
  mkdirSync(extra);
  const db = join(dir, 'gradebook.sqlite');
  cpSync(projectPath('examples'), root, { recursive: true });
  for (const learner of ['ada', 'ben']) cpSync(join(root, 'submissions', learner), join(submissions, learner), { recursive: true });
  const spec = join(root, 'grader', 'tests', ASSIGNMENT, 'warmup.spec.ts');

  const grade = async (...args: string[]): Promise<string> => {
    const result = await convlab(['grade', submissions, '--assignment', ASSIGNMENT, '--root', root, '--db', db, '--jobs', '2', ...args]);
    expect(result.exitCode, result.stderr).to.equal(0);
    return result.stdout;
  };
  const rows = (): { student: string; fingerprint: string; max_score: number }[] => {
    const sqlite = new Database(db, { readonly: true });
    try {
      return sqlite.prepare('SELECT student, fingerprint, max_score FROM submissions ORDER BY id').all() as never;
    } finally {
      sqlite.close();
    }
  };

  it('grades, then reuses the stored results while nothing changed', async () => {
    const first = await grade();
    expect(first).to.include(`${ASSIGNMENT}: 2 submissions, 2 graded, max 10 pts`);
    expect(first).to.not.include('regraded');
    const second = await grade();
    expect(second.match(/unchanged, not regraded/g)).to.have.length(2);
    expect(second).to.not.match(/^\d+ regraded/m);
    expect(rows()).to.have.length(2);
  });

  it('regrades unchanged notebooks when a hidden test is added with --tests, and says why', async () => {
    writeFileSync(join(extra, 'extra.spec.ts'), [
      "declare const submission: { convOutputSize(size: number, kernel: number, stride?: number, padding?: number): number };",
      "describe('convOutputSize, more', () => {",
      "  it('shrinks by kernel - 1 without padding', () => { expect(submission.convOutputSize(28, 5)).to.equal(24); });",
      '});', '',
    ].join('\n'));
    const output = await grade('--tests', extra);
    expect(output).to.include(`${ASSIGNMENT}: 2 submissions, 2 graded, max 11 pts`);
    expect(output).to.match(/^2 regraded: hidden tests changed$/m);
    expect(output).to.not.include('unchanged, not regraded');
  });

  it('regrades when a hidden test is fixed, and then reuses again', async () => {
    writeFileSync(spec, readFileSync(spec, 'utf8').replace("it('keeps the size with a 1×1 kernel',", "it('keeps the size with a 1×1 kernel [2 pts]',"));
    const fixed = await grade('--tests', extra);
    expect(fixed).to.include('max 12 pts');
    expect(fixed).to.match(/^2 regraded: hidden tests changed$/m);
    expect((await grade('--tests', extra)).match(/unchanged, not regraded/g)).to.have.length(2);
  });

  it('regrades when a limit changes, and says so', async () => {
    const output = await grade('--tests', extra, '--test-timeout', '20');
    expect(output).to.match(/^2 regraded: limits changed$/m);
  });

  it('keeps every grading, and reports the latest one of each submission', () => {
    const stored = rows();
    expect(stored).to.have.length(8);
    expect(new Set(stored.map((row) => row.fingerprint)).size).to.equal(4);
    expect(stored.map((row) => row.max_score)).to.deep.equal([10, 10, 11, 11, 12, 12, 12, 12]);
    const { attempts } = readGradebook(db);
    expect(attempts.map((attempt) => [attempt.student, attempt.maxScore, attempt.attempts]))
      .to.deep.equal([['ada', 12, 1], ['ben', 12, 1]]);
  });

  it('regrades a stored error that failed outside the submission, and says which attempt it is', async () => {
    // ada's latest grading as a child killed from outside would have left it (tests/grader/security/retry.test.ts kills one for real)
    const sqlite = new Database(db);
    sqlite.prepare(`UPDATE submissions SET status = 'error', score = 0, outside_failures = 1
      WHERE id = (SELECT MAX(id) FROM submissions WHERE student = 'ada')`).run();
    sqlite.close();
    const output = await grade('--tests', extra, '--test-timeout', '20');
    expect(output).to.match(/^1 regraded: earlier attempt failed outside the submission \(attempt 2 of 3\)$/m);
    expect(output).to.match(/^ada\s+graded\s/m);
    expect(output).to.match(/^ben\s+graded\s.*unchanged, not regraded/m);
  });
});

describe('a result reused from the gradebook keeps what was repaired before grading (real grading, real SQLite)', function () {
  this.timeout(600_000);
  const dir = tempDir();
  const root = join(dir, 'course');
  const submissions = join(dir, 'submissions');
  const feedback = join(dir, 'feedback');
  cpSync(projectPath('examples'), root, { recursive: true });
  // cleo edited the locked check-pixels cell; she also deleted demo-flip and her editor dropped pixels-text's metadata.
  const notebook = JSON.parse(readFileSync(join(root, 'submissions', `cleo_${ASSIGNMENT}.ipynb`), 'utf8')) as
    { cells: { metadata: { nbgrader?: { grade_id?: string } } }[] };
  notebook.cells = notebook.cells.filter((cell) => cell.metadata.nbgrader?.grade_id !== 'demo-flip');
  delete notebook.cells.find((cell) => cell.metadata.nbgrader?.grade_id === 'pixels-text')!.metadata.nbgrader;
  mkdirSync(submissions);
  writeFileSync(join(submissions, `cleo_${ASSIGNMENT}.ipynb`), JSON.stringify(notebook));
  const grade = async (): Promise<string> => {
    const result = await convlab(['grade', submissions, '--assignment', ASSIGNMENT, '--root', root, '--db', join(dir, 'gradebook.sqlite'), '--feedback', feedback]);
    expect(result.exitCode, result.stderr).to.equal(0);
    return result.stdout;
  };

  it('names the restored, re-inserted and recognised cells in the feedback and the table of an unchanged rerun', async () => {
    const first = await grade();
    const graded = readFileSync(join(feedback, 'cleo.md'), 'utf8');
    for (const repair of [
      'These locked cells had been edited and were restored before grading: check-pixels.',
      'These cells were missing and were put back from the released notebook before grading: demo-flip.',
      '1 cell had lost their grading information and were recognised by their id or content: pixels-text.',
    ]) expect(graded).to.include(repair);
    const repairedCells = 'restored locked cells: check-pixels; re-inserted deleted cells: demo-flip';
    expect(first.split('\n').find((line) => line.startsWith('cleo ')), first).to.include(repairedCells);
    const rerun = await grade();
    expect(rerun.split('\n').find((line) => line.startsWith('cleo ')), rerun).to.include('unchanged, not regraded').and.include(repairedCells);
    expect(readFileSync(join(feedback, 'cleo.md'), 'utf8')).to.equal(graded);
  });
});
