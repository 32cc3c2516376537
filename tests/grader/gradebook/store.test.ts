import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { report } from '../../../grader/commands/report';
import { GradebookError } from '../../../grader/errors';
import { readAssignmentSources, readGradebook } from '../../../grader/gradebook/queries';
import { openGradebook } from '../../../grader/gradebook/store';
import type { GradingFingerprint, SubmissionResult } from '../../../grader/model/results';
import { PROJECT_ROOT } from '../../../grader/paths';
import { makeTempDir, type TempDir } from '../../support/gradebook-fixture';

const V1_SQL = readFileSync(join(PROJECT_ROOT, 'tests', 'fixtures', 'gradebook', 'schema-v1.sql'), 'utf8');

const setup = (tests: string): GradingFingerprint => ({
  id: `fingerprint-${tests}`,
  parts: { tests, release: 'release-1', limits: 'limits-1', version: '0.1.0', toolchain: 'toolchain-1' },
});

function result(student: string, passed: number, changes: Partial<SubmissionResult> = {}): SubmissionResult {
  return {
    submission: `${student}_01-conv-arithmetic.ipynb`, student, assignment: '01-conv-arithmetic', status: 'graded',
    tests: [0, 1].map((index) => ({
      name: `t${index + 1}`, status: index < passed ? 'passed' : 'failed', score: index < passed ? 2 : 0, maxScore: 2,
      feedback: index < passed ? 'Passed.' : 'Failed.',
    })),
    restoredCells: [], contentHash: `${student}-bytes`, submittedAt: '2026-09-08T10:00:00.000Z',
    gradedAt: new Date().toISOString(), durationMs: 1200, unchanged: false, ...changes,
  };
}

/** A gradebook as convlab 0.1.0 wrote it: the version-1 schema, ada with two submissions, bob with one. */
function writeV1Gradebook(path: string): void {
  const db = new Database(path);
  db.exec(V1_SQL);
  db.prepare(`INSERT INTO meta (key, value) VALUES ('schema_version', '1')`).run();
  const submission = db.prepare(`INSERT INTO submissions (assignment, student, source, content_hash, status, score, max_score,
    error, submitted_at, graded_at, duration_ms) VALUES (?, ?, ?, ?, 'graded', ?, 4, NULL, ?, ?, 900)`);
  const test = db.prepare(`INSERT INTO test_results (submission_id, position, name, status, score, max_score, message, feedback)
    VALUES (?, ?, ?, ?, ?, 2, NULL, ?)`);
  const rows: [string, string, number, string][] = [
    ['ada', 'ada-1', 2, '2026-09-07T10:00:00.000Z'], ['ada', 'ada-2', 4, '2026-09-09T10:00:00.000Z'],
    ['bob', 'bob-1', 0, '2026-09-08T10:00:00.000Z'],
  ];
  for (const [student, hash, score, at] of rows) {
    const id = submission.run('01-conv-arithmetic', student, `${student}.ipynb`, hash, score, at, at).lastInsertRowid;
    test.run(id, 0, 't1', score >= 2 ? 'passed' : 'failed', Math.min(score, 2), 'first');
    test.run(id, 1, 't2', score >= 4 ? 'passed' : 'failed', score - Math.min(score, 2), 'second');
  }
  db.close();
}

const schemaVersion = (path: string): string => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as { value: string }).value;
  } finally {
    db.close();
  }
};

describe('gradebook store', () => {
  let dir: TempDir;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => dir.remove());

  describe('a version-1 gradebook', () => {
    it('reports read-only as it is, without changing the file', async () => {
      const path = dir.file('v1.sqlite');
      writeV1Gradebook(path);
      const before = readFileSync(path);
      const snapshot = readGradebook(path);
      expect(snapshot.attempts.map((attempt) => [attempt.student, attempt.rawScore, attempt.penalty, attempt.score, attempt.attempts]))
        .to.deep.equal([['ada', 4, 0, 4, 2], ['bob', 0, 0, 0, 1]]);
      expect(snapshot.tests.map((test) => test.feedback)).to.deep.equal(['first', 'second', 'first', 'second']);
      const summary = await report({ db: path, out: dir.file('report.html'), csv: dir.file('scores.csv') });
      expect(summary).to.include({ learners: 2, assignments: 1, submissions: 2 });
      expect(readFileSync(dir.file('scores.csv'), 'utf8')).to.equal('id,name,email,01-conv-arithmetic,total\r\nada,,,4,4\r\nbob,,,0,0\r\n');
      expect(readFileSync(path).equals(before)).to.equal(true);
      expect(schemaVersion(path)).to.equal('1');
    });

    it('is migrated to version 6 when opened for grading, keeping every attempt and test row', () => {
      const path = dir.file('v1.sqlite');
      writeV1Gradebook(path);
      const gradebook = openGradebook(path);
      try {
        // Attempts from before fingerprints cannot be reused, and the regrade says why.
        expect(gradebook.find('01-conv-arithmetic', 'ada', 'ada-2', setup('a').id)).to.equal(undefined);
        expect(gradebook.lastGrading('01-conv-arithmetic', 'ada', 'ada-2')).to.deep.equal({});
        gradebook.record(result('ada', 1, { contentHash: 'ada-2', submittedAt: '2026-09-09T10:00:00.000Z' }), setup('a'));
      } finally {
        gradebook.close();
      }
      expect(schemaVersion(path)).to.equal('6');
      const db = new Database(path, { readonly: true });
      try {
        expect(db.prepare('SELECT id, student, content_hash, fingerprint, raw_score, penalty, score, outside_failures FROM submissions ORDER BY id').all())
          .to.deep.equal([
            { id: 1, student: 'ada', content_hash: 'ada-1', fingerprint: '', raw_score: 2, penalty: 0, score: 2, outside_failures: 0 },
            { id: 2, student: 'ada', content_hash: 'ada-2', fingerprint: '', raw_score: 4, penalty: 0, score: 4, outside_failures: 0 },
            { id: 3, student: 'bob', content_hash: 'bob-1', fingerprint: '', raw_score: 0, penalty: 0, score: 0, outside_failures: 0 },
            { id: 4, student: 'ada', content_hash: 'ada-2', fingerprint: 'fingerprint-a', raw_score: 2, penalty: 0, score: 2, outside_failures: 0 },
          ]);
        expect(db.prepare('SELECT submission_id, COUNT(*) AS n FROM test_results GROUP BY submission_id').all())
          .to.deep.equal([1, 2, 3, 4].map((id) => ({ submission_id: id, n: 2 })));
      } finally {
        db.close();
      }
      // The regrade of ada's latest submission is her current attempt; it is still one submission.
      expect(readGradebook(path).attempts.find((attempt) => attempt.student === 'ada')).to.include({ score: 2, attempts: 2 });
    });
  });

  it('keeps every grading of the same bytes, reuses only under the same fingerprint, and replaces a forced regrade', () => {
    const path = dir.file('g.sqlite');
    const gradebook = openGradebook(path);
    try {
      gradebook.record(result('ada', 1), setup('a'));
      gradebook.record(result('ada', 2), setup('b'));
      expect(gradebook.find('01-conv-arithmetic', 'ada', 'ada-bytes', setup('a').id)?.tests.map((test) => test.status))
        .to.deep.equal(['passed', 'failed']);
      expect(gradebook.find('01-conv-arithmetic', 'ada', 'ada-bytes', setup('b').id)).to.include({ unchanged: true });
      expect(gradebook.find('01-conv-arithmetic', 'ada', 'ada-bytes', setup('c').id)).to.equal(undefined);
      expect(gradebook.lastGrading('01-conv-arithmetic', 'ada', 'ada-bytes')).to.deep.equal({ parts: setup('b').parts });
      expect(gradebook.lastGrading('01-conv-arithmetic', 'ada', 'other-bytes')).to.equal(undefined);
      gradebook.record(result('ada', 2), setup('b'));
    } finally {
      gradebook.close();
    }
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare('SELECT fingerprint, score FROM submissions ORDER BY id').all())
        .to.deep.equal([{ fingerprint: 'fingerprint-a', score: 2 }, { fingerprint: 'fingerprint-b', score: 4 }]);
    } finally {
      db.close();
    }
    expect(readGradebook(path).attempts).to.have.length(1);
    expect(readGradebook(path).attempts[0]).to.include({ score: 4, attempts: 1 });
  });

  it('stores raw score, penalty, final score and lateness, and gives them back', () => {
    const path = dir.file('g.sqlite');
    const lateness = { dueAt: '2026-09-07T23:59:00.000Z', daysLate: 2, penaltyPercent: 25, lmsLate: true };
    const gradebook = openGradebook(path);
    try {
      gradebook.record(result('ada', 2, { lateness }), setup('a'));
      expect(gradebook.find('01-conv-arithmetic', 'ada', 'ada-bytes', setup('a').id)?.lateness).to.deep.equal(lateness);
    } finally {
      gradebook.close();
    }
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare('SELECT raw_score, penalty, score, due_at, late_days, lms_late FROM submissions').get()).to.deep.equal({
        raw_score: 4, penalty: 1, score: 3, due_at: lateness.dueAt, late_days: 2, lms_late: 1,
      });
    } finally {
      db.close();
    }
  });

  it('keeps what was repaired before grading, and gives it back with a reused result', () => {
    const path = dir.file('g.sqlite');
    const repaired = {
      restoredCells: ['imports', 'check-double'], reinsertedCells: ['double'],
      repairs: ['Your notebook was saved in an older format (nbformat 3); it was converted before grading.'],
    };
    const gradebook = openGradebook(path);
    try {
      gradebook.record(result('ada', 2, repaired), setup('a'));
      gradebook.record(result('bob', 2), setup('a'));
      expect(gradebook.find('01-conv-arithmetic', 'ada', 'ada-bytes', setup('a').id)).to.deep.include(repaired);
      const bob = gradebook.find('01-conv-arithmetic', 'bob', 'bob-bytes', setup('a').id)!;
      expect([bob.restoredCells, bob.reinsertedCells, bob.repairs]).to.deep.equal([[], undefined, undefined]);
    } finally {
      gradebook.close();
    }
  });

  it('refuses a file that is not SQLite, and a read-only gradebook, naming the file', () => {
    writeFileSync(dir.file('notes.sqlite'), 'these are notes, not a database; long enough to have a header '.repeat(4));
    expect(() => openGradebook(dir.file('notes.sqlite'))).to.throw(GradebookError, `Gradebook "${dir.file('notes.sqlite')}" is not an SQLite database`);
    openGradebook(dir.file('locked.sqlite')).close();
    chmodSync(dir.file('locked.sqlite'), 0o444);
    expect(() => openGradebook(dir.file('locked.sqlite'))).to.throw(GradebookError, `Gradebook "${dir.file('locked.sqlite')}" is read-only`);
  });

  it('adds the count of failures outside the submission and the repairs to a version-3 gradebook, and gives them back', () => {
    const path = dir.file('g.sqlite');
    let gradebook = openGradebook(path);
    gradebook.record(result('ada', 2), setup('a'));
    gradebook.close();
    // the same file as version 3 wrote it: without the column
    const db = new Database(path);
    db.exec(`ALTER TABLE submissions DROP COLUMN outside_failures; ALTER TABLE submissions DROP COLUMN toolchain_hash;
      DROP TABLE repairs; UPDATE meta SET value = '3' WHERE key = 'schema_version'`);
    db.close();
    gradebook = openGradebook(path);
    try {
      expect(schemaVersion(path)).to.equal('6');
      expect(gradebook.find('01-conv-arithmetic', 'ada', 'ada-bytes', setup('a').id)).to.not.have.property('outsideFailures');
      gradebook.record(result('bob', 0, { status: 'error', error: 'killed', outsideFailures: 2, restoredCells: ['imports'] }), setup('a'));
      expect(gradebook.find('01-conv-arithmetic', 'bob', 'bob-bytes', setup('a').id)).to.deep.include({ status: 'error', outsideFailures: 2, restoredCells: ['imports'] });
    } finally {
      gradebook.close();
    }
    expect(readGradebook(path).attempts.map((attempt) => [attempt.student, attempt.score])).to.deep.equal([['ada', 4], ['bob', 0]]);
  });

  it('keeps the exercise cells of each attempt and the starter code, and adds their tables to a version-2 gradebook', () => {
    const path = dir.file('g.sqlite');
    const cells = { exercises: [{ gradeId: 'conv', source: 'const mine = 1;' }], released: [{ gradeId: 'conv', source: 'throw 1;' }] };
    let gradebook = openGradebook(path);
    gradebook.record(result('ada', 2), setup('a'), cells);
    gradebook.close();
    expect(readAssignmentSources(path, '01-conv-arithmetic')).to.deep.equal({
      starters: new Map([['conv', 'throw 1;']]), cells: [{ student: 'ada', gradeId: 'conv', source: 'const mine = 1;' }],
    });
    // the same file as version 2 wrote it: without the two tables
    const db = new Database(path);
    db.exec(`DROP TABLE exercise_sources; DROP TABLE released_cells; UPDATE meta SET value = '2' WHERE key = 'schema_version'`);
    db.close();
    expect(() => readAssignmentSources(path, '01-conv-arithmetic')).to.throw(GradebookError, 'keeps no exercise cells');
    gradebook = openGradebook(path);
    gradebook.record(result('bob', 1), setup('a'), cells);
    gradebook.close();
    expect(readGradebook(path).attempts.map((attempt) => attempt.student)).to.deep.equal(['ada', 'bob']);
    expect(readAssignmentSources(path, '01-conv-arithmetic').cells.map((cell) => cell.student)).to.deep.equal(['bob']);
  });
});
