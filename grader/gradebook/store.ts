import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { maxScoreOf, scoreOf, type SubmissionResult, type SubmissionStatus, type TestResult, type TestStatus } from '../model/results';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema';

/** What the grader needs from the gradebook; the only code that touches SQLite. */
export interface Gradebook {
  /** the stored attempt for this exact content, if any */
  find(assignment: string, student: string, contentHash: string): SubmissionResult | undefined;
  /** stores one attempt and its tests atomically, replacing a stored attempt of the same content */
  record(result: SubmissionResult): void;
  close(): void;
}

interface SubmissionRow {
  id: number; assignment: string; student: string; source: string; content_hash: string; status: SubmissionStatus;
  error: string | null; submitted_at: string; graded_at: string; duration_ms: number;
}
interface TestRow {
  name: string; status: TestStatus; score: number; max_score: number; message: string | null; feedback: string | null;
}

/** Opens (creating if needed) a gradebook in WAL mode, so a killed run leaves only committed attempts. */
export function openGradebook(path: string): Gradebook {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  db.exec(SCHEMA_SQL);
  db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('schema_version', String(SCHEMA_VERSION));

  const findSubmission = db.prepare<[string, string, string], SubmissionRow>(
    'SELECT * FROM submissions WHERE assignment = ? AND student = ? AND content_hash = ?');
  const findTests = db.prepare<[number], TestRow>('SELECT * FROM test_results WHERE submission_id = ? ORDER BY position');
  const deleteSubmission = db.prepare('DELETE FROM submissions WHERE assignment = ? AND student = ? AND content_hash = ?');
  const insertSubmission = db.prepare(`INSERT INTO submissions
    (assignment, student, source, content_hash, status, score, max_score, error, submitted_at, graded_at, duration_ms)
    VALUES (@assignment, @student, @source, @contentHash, @status, @score, @maxScore, @error, @submittedAt, @gradedAt, @durationMs)`);
  const insertTest = db.prepare(`INSERT INTO test_results (submission_id, position, name, status, score, max_score, message, feedback)
    VALUES (@submissionId, @position, @name, @status, @score, @maxScore, @message, @feedback)`);

  const record = db.transaction((result: SubmissionResult) => {
    deleteSubmission.run(result.assignment, result.student, result.contentHash);
    const { lastInsertRowid } = insertSubmission.run({
      assignment: result.assignment, student: result.student, source: result.submission, contentHash: result.contentHash,
      status: result.status, score: scoreOf(result), maxScore: maxScoreOf(result), error: result.error ?? null,
      submittedAt: result.submittedAt, gradedAt: result.gradedAt, durationMs: Math.round(result.durationMs),
    });
    result.tests.forEach((test, position) => insertTest.run({
      submissionId: lastInsertRowid, position, name: test.name, status: test.status, score: test.score,
      maxScore: test.maxScore, message: test.message ?? null, feedback: test.feedback,
    }));
  });

  return {
    find(assignment, student, contentHash) {
      const row = findSubmission.get(assignment, student, contentHash);
      if (!row) return undefined;
      const tests: TestResult[] = findTests.all(row.id).map((test) => ({
        name: test.name, status: test.status, score: test.score, maxScore: test.max_score,
        ...(test.message !== null ? { message: test.message } : {}), feedback: test.feedback ?? '',
      }));
      return {
        submission: row.source, student: row.student, assignment: row.assignment, status: row.status,
        ...(row.error !== null ? { error: row.error } : {}), tests, restoredCells: [], contentHash: row.content_hash,
        submittedAt: row.submitted_at, gradedAt: row.graded_at, durationMs: row.duration_ms, unchanged: true,
      };
    },
    record: (result) => record(result),
    close: () => db.close(),
  };
}
