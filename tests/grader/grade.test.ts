import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { COURSE, convlab, EXTRA_TESTS, readJson, tempDir, TINY, TINY_SUBMISSIONS, writeFile } from '../support/helpers';

interface GradeJson {
  assignment: string;
  results: { submission: string; student: string; status: string; score: number; maxScore: number; error?: string;
    tests: { name: string; status: string; score: number; maxScore: number; message?: string }[] }[];
}

const NAMES = [
  'does not run demonstration cells',
  'double › doubles a small number',
  'double › doubles a negative number',
  'sumTensor › sums a tensor made by the grader',
  'extra › sums an empty-valued tensor to zero',
] as const;
const MAX = [1, 1, 2, 1, 0.5] as const;

/** The expected test list: status and message per test, in NAMES order. */
function tests(...outcomes: ReadonlyArray<[status: string, message?: string]>) {
  return outcomes.map(([status, message], i) => ({
    name: NAMES[i], status, score: status === 'passed' ? MAX[i] : 0, maxScore: MAX[i], ...(message !== undefined ? { message } : {}),
  }));
}

describe('convlab grade (end to end: real children, tslab, mocha, SQLite)', function () {
  this.timeout(600_000);
  const dir = tempDir();
  const db = join(dir, 'gradebook.sqlite');
  const feedback = join(dir, 'feedback');
  const submissions = join(dir, 'submissions');
  const paths = {
    alice: writeFile(join(submissions, 'alice', `${TINY}.ipynb`), TINY_SUBMISSIONS.correct()),
    bob: writeFile(join(submissions, `bob_${TINY}.ipynb`), TINY_SUBMISSIONS.wrong()),
    carol: writeFile(join(submissions, `carol_${TINY}.ipynb`), TINY_SUBMISSIONS.stub()),
    dave: writeFile(join(submissions, `dave_${TINY}.ipynb`), '{"cells": ['),
  };
  const grade = (...args: string[]) =>
    convlab(['grade', ...args, '--assignment', TINY, '--root', COURSE, '--tests', EXTRA_TESTS, '--db', db, '--json']);
  let first: GradeJson;

  before(async () => {
    const result = await grade(submissions, '--jobs', '2', '--feedback', feedback);
    expect(result.exitCode, result.stderr).to.equal(0);
    first = JSON.parse(result.stdout) as GradeJson;
  });

  it('prints one JSON document with every submission scored exactly', () => {
    expect(first).to.deep.equal({
      assignment: TINY,
      results: [
        { submission: paths.alice, student: 'alice', status: 'graded', score: 5.5, maxScore: 5.5,
          tests: tests(['passed'], ['passed'], ['passed'], ['passed'], ['passed']) },
        { submission: paths.bob, student: 'bob', status: 'graded', score: 2.5, maxScore: 5.5,
          tests: tests(['passed'], ['failed', 'expected 5 to equal 6'], ['failed', 'expected -19 to equal -42'], ['passed'], ['passed']) },
        { submission: paths.carol, student: 'carol', status: 'graded', score: 1, maxScore: 5.5,
          tests: tests(['passed'], ['error', 'Error: Not implemented: double'], ['error', 'Error: Not implemented: double'],
            ['error', 'Error: Not implemented: sum-tensor'], ['error', 'Error: Not implemented: sum-tensor']) },
        { submission: paths.dave, student: 'dave', status: 'invalid', score: 0, maxScore: 5.5,
          error: 'not valid JSON (Unexpected end of JSON input)',
          tests: tests(...NAMES.map(() => ['error', 'not valid JSON (Unexpected end of JSON input)'] as [string, string])) },
      ],
    });
  });

  it('records one attempt per submission and one row per test in the gradebook', () => {
    const sqlite = new Database(db, { readonly: true });
    try {
      const rows = sqlite.prepare('SELECT student, status, score, max_score FROM submissions ORDER BY student').all();
      expect(rows).to.deep.equal([
        { student: 'alice', status: 'graded', score: 5.5, max_score: 5.5 },
        { student: 'bob', status: 'graded', score: 2.5, max_score: 5.5 },
        { student: 'carol', status: 'graded', score: 1, max_score: 5.5 },
        { student: 'dave', status: 'invalid', score: 0, max_score: 5.5 },
      ]);
      const perSubmission = sqlite.prepare('SELECT COUNT(*) AS n FROM test_results GROUP BY submission_id').all();
      expect(perSubmission).to.deep.equal([{ n: 5 }, { n: 5 }, { n: 5 }, { n: 5 }]);
      expect(sqlite.pragma('journal_mode', { simple: true })).to.equal('wal');
    } finally {
      sqlite.close();
    }
  });

  it('writes learner feedback that shows the learner\'s own errors but never a hidden expected value', () => {
    expect(readdirSync(feedback).sort()).to.deep.equal(['alice.html', 'alice.md', 'bob.html', 'bob.md', 'carol.html', 'carol.md', 'dave.html', 'dave.md']);
    const bob = readFileSync(join(feedback, 'bob.md'), 'utf8');
    expect(bob).to.include('- ✗ doubles a negative number (0 / 2 pts): Failed: your result is not what this test expects.');
    expect(bob).to.not.include('42');
    expect(readFileSync(join(feedback, 'bob.html'), 'utf8')).to.not.include('42');
    expect(readFileSync(join(feedback, 'carol.md'), 'utf8')).to.include('| double | not attempted | 0 / 2 | 0 / 3 pts |');
  });

  it('skips unchanged submissions on a second run, and regrades them with --force', async () => {
    const again = await grade(submissions);
    expect(JSON.parse(again.stdout)).to.deep.equal(first);
    const countRows = () => {
      const sqlite = new Database(db, { readonly: true });
      try {
        return sqlite.prepare('SELECT student, graded_at FROM submissions ORDER BY student').all() as { student: string; graded_at: string }[];
      } finally {
        sqlite.close();
      }
    };
    const before = countRows();
    const forced = await grade(paths.alice, '--force', '--gradescope', join(dir, 'results.json'));
    expect(JSON.parse(forced.stdout).results).to.deep.equal([{ ...first.results[0], regraded: ['forced'] }]);
    const after = countRows();
    expect(after.map((row) => row.student)).to.deep.equal(['alice', 'bob', 'carol', 'dave']);
    expect(after[0]!.graded_at > before[0]!.graded_at).to.equal(true);
    expect(after.slice(1)).to.deep.equal(before.slice(1));
  });

  it('writes Gradescope results.json as run_autograder does: visibility, self-checks and the grading fingerprint', () => {
    const { execution_time: seconds, output, extra_data: extra, ...results } =
      readJson<{ score: number; execution_time: number; output: string; extra_data: { fingerprint: string }; tests: object[] }>(join(dir, 'results.json'));
    expect(seconds).to.be.a('number').and.at.least(0);
    expect(extra.fingerprint).to.match(/^[0-9a-f]{64}$/);
    // The top-level output is the learner's feedback, summary first.
    expect(output).to.match(/^00-tiny — alice: 5\.5 \/ 5\.5\n\n {2}whole notebook: passed/).and.to.include('✓ double › doubles a negative number (2 pts)');
    expect(results).to.deep.equal({
      score: 5.5,
      tests: [
        ...NAMES.map((name, i) => ({ name, score: MAX[i], max_score: MAX[i], status: 'passed', output: 'Passed.', visibility: 'after_published' })),
        { name: 'Self-check check-double', score: 0, max_score: 0, status: 'passed', output: '✓ double(2) is 4\n✓ double(0) is 0', visibility: 'visible' },
      ],
    });
  });
});
