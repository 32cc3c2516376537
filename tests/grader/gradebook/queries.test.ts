import { writeFileSync } from 'node:fs';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { GradebookError } from '../../../grader/errors';
import { readGradebook } from '../../../grader/gradebook/queries';
import { COHORT_ATTEMPTS, DAY1, DAY2, DAY3 } from '../../support/cohort-fixture';
import { graded, makeTempDir, writeGradebook, type TempDir } from '../../support/gradebook-fixture';

describe('gradebook queries (read-only, for reports)', () => {
  let dir: TempDir;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  it('returns the latest submitted attempt per learner and assignment, with the attempt count and first submission', () => {
    const snapshot = readGradebook(writeGradebook(dir.file('g.sqlite'), COHORT_ATTEMPTS));
    const ada = snapshot.attempts.find((attempt) => attempt.student === 'ada' && attempt.assignment === '01-intro');
    expect(ada).to.include({ score: 4, maxScore: 4, attempts: 2, submittedAt: DAY3, firstSubmittedAt: DAY1 });
    expect(snapshot.attempts).to.have.length(7);
  });

  it('breaks a tie in submission time by the newer row', () => {
    // The same instant spelled two ways: two distinct rows (content hashes differ) submitted at the same moment.
    const path = writeGradebook(dir.file('g.sqlite'), [
      graded('ada', '01-intro', DAY1, 1),
      graded('ada', '01-intro', DAY1.replace('Z', '+00:00'), 3),
    ]);
    expect(readGradebook(path).attempts.map((attempt) => attempt.score)).to.deep.equal([3]);
  });

  it('returns the tests of current attempts only', () => {
    const snapshot = readGradebook(writeGradebook(dir.file('g.sqlite'), COHORT_ATTEMPTS));
    const current = new Set(snapshot.attempts.map((attempt) => attempt.submissionId));
    expect(snapshot.tests.every((test) => current.has(test.submissionId))).to.equal(true);
    expect(snapshot.tests).to.have.length(4 * 7);
  });

  it('ignores attempts submitted before --since, as if the gradebook started then', () => {
    const snapshot = readGradebook(writeGradebook(dir.file('g.sqlite'), COHORT_ATTEMPTS), DAY2);
    const ada = snapshot.attempts.find((attempt) => attempt.student === 'ada' && attempt.assignment === '01-intro');
    expect(ada).to.include({ attempts: 1, firstSubmittedAt: DAY3 });
    expect(readGradebook(dir.file('g.sqlite'), '2026-09-09T10:00:00.001Z').attempts).to.have.length(0);
  });

  it('reads an empty gradebook as no attempts', () => {
    expect(readGradebook(writeGradebook(dir.file('g.sqlite'), []))).to.deep.equal({ attempts: [], tests: [] });
  });

  it('names a gradebook that does not exist', () => {
    expect(() => readGradebook(dir.file('none.sqlite'))).to.throw(
      GradebookError,
      `Gradebook not found: "${dir.file('none.sqlite')}" (convlab grade writes it`,
    );
  });

  it('rejects a file that is not an SQLite database', () => {
    writeFileSync(dir.file('notes.txt'), 'not a database, just text that is long enough to have a header '.repeat(4));
    expect(() => readGradebook(dir.file('notes.txt'))).to.throw(
      GradebookError,
      `Gradebook "${dir.file('notes.txt')}" is not an SQLite database: file is not a database`,
    );
  });

  it('rejects an SQLite file without the gradebook tables', () => {
    const db = new Database(dir.file('other.sqlite'));
    db.exec('CREATE TABLE things (id INTEGER)');
    db.close();
    expect(() => readGradebook(dir.file('other.sqlite'))).to.throw(
      GradebookError,
      `Gradebook "${dir.file('other.sqlite')}" has no "submissions" table: is it a convlab gradebook?`,
    );
  });

  it('rejects a gradebook of a newer schema version', () => {
    const path = writeGradebook(dir.file('g.sqlite'), []);
    const db = new Database(path);
    db.prepare(`UPDATE meta SET value = '7' WHERE key = 'schema_version'`).run();
    db.close();
    expect(() => readGradebook(path)).to.throw(
      GradebookError,
      `Gradebook "${path}" has schema version "7"; this convlab reads versions 1 to 6`,
    );
  });

  it('reports raw score, penalty and final score of a late attempt', () => {
    const path = writeGradebook(dir.file('g.sqlite'), [{ ...graded('ada', '01-intro', DAY1, 4), penalty: 1 }]);
    expect(readGradebook(path).attempts[0]).to.include({ rawScore: 4, penalty: 1, score: 3, maxScore: 4 });
  });
});
