/**
 * Data layer: reads a gradebook (schema in `grader/gradebook/schema.ts`) read-only and returns plain records of the
 * current attempt per learner × assignment and that attempt's test results. No computation beyond SQL selection.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../gradebook/schema';
import { ReportInputError } from './errors';

export type SubmissionStatus = 'graded' | 'error' | 'timeout' | 'invalid';
export type TestStatus = 'passed' | 'failed' | 'error' | 'timeout';

/** The current (latest) attempt of one learner at one assignment. */
export interface CurrentAttempt {
  readonly submissionId: number;
  readonly assignment: string;
  readonly student: string;
  readonly status: SubmissionStatus;
  readonly score: number;
  readonly maxScore: number;
  readonly error: string | null;
  readonly submittedAt: string;
  /** When this learner first submitted this assignment: the moment it counts as completed over time. */
  readonly firstSubmittedAt: string;
  readonly attempts: number;
}

/** One test of a current attempt. */
export interface TestResult {
  readonly submissionId: number;
  readonly position: number;
  readonly name: string;
  readonly status: TestStatus;
  readonly score: number;
  readonly maxScore: number;
  readonly feedback: string | null;
}

export interface GradebookSnapshot {
  readonly attempts: readonly CurrentAttempt[];
  readonly tests: readonly TestResult[];
}

/** A gradebook that cannot be read, with its path in the message. */
export class GradebookError extends ReportInputError {}

// Latest attempt by submission time; the row id breaks ties (a regrade of the same moment is the newer row).
const RANKED_ATTEMPTS_SQL = `
  SELECT id, assignment, student, status, score, max_score, error, submitted_at,
         ROW_NUMBER() OVER (PARTITION BY assignment, student ORDER BY julianday(submitted_at) DESC, id DESC) AS rank,
         MIN(submitted_at) OVER (PARTITION BY assignment, student) AS first_submitted_at,
         COUNT(*) OVER (PARTITION BY assignment, student) AS attempts
  FROM submissions
  WHERE @since IS NULL OR julianday(submitted_at) >= julianday(@since)`;

const CURRENT_ATTEMPTS_SQL = `
  SELECT * FROM (${RANKED_ATTEMPTS_SQL}) WHERE rank = 1 ORDER BY assignment, student`;

const CURRENT_TESTS_SQL = `
  SELECT t.submission_id, t.position, t.name, t.status, t.score, t.max_score, t.feedback
  FROM test_results t JOIN (${RANKED_ATTEMPTS_SQL}) a ON a.id = t.submission_id AND a.rank = 1
  ORDER BY t.submission_id, t.position`;

interface AttemptRow {
  id: number;
  assignment: string;
  student: string;
  status: SubmissionStatus;
  score: number;
  max_score: number;
  error: string | null;
  submitted_at: string;
  first_submitted_at: string;
  attempts: number;
}

interface TestRow {
  submission_id: number;
  position: number;
  name: string;
  status: TestStatus;
  score: number;
  max_score: number;
  feedback: string | null;
}

/**
 * Reads the current attempts (and their tests) from the gradebook at `path`; with `since` (an ISO-8601 instant),
 * attempts submitted before it are ignored, as if the gradebook started then.
 */
export function readGradebook(path: string, since: string | null = null): GradebookSnapshot {
  if (!existsSync(path)) throw new GradebookError(`Gradebook not found: "${path}"`);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new GradebookError(`Gradebook "${path}" cannot be opened: ${(error as Error).message}`);
  }
  try {
    checkSchema(db, path);
    const attempts = db
      .prepare<{ since: string | null }, AttemptRow>(CURRENT_ATTEMPTS_SQL)
      .all({ since })
      .map(toAttempt);
    const tests = db.prepare<{ since: string | null }, TestRow>(CURRENT_TESTS_SQL).all({ since }).map(toTestResult);
    return { attempts, tests };
  } finally {
    db.close();
  }
}

function checkSchema(db: Database.Database, path: string): void {
  let tables: Set<string>;
  try {
    tables = new Set(
      db
        .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
        .all()
        .map((row) => row.name),
    );
  } catch (error) {
    throw new GradebookError(`Gradebook "${path}" is not an SQLite database: ${(error as Error).message}`);
  }
  for (const table of ['submissions', 'test_results']) {
    if (!tables.has(table))
      throw new GradebookError(`Gradebook "${path}" has no "${table}" table: is it a convlab gradebook?`);
  }
  if (!tables.has('meta')) return;
  const version = db.prepare<[], { value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`).get();
  if (version !== undefined && Number(version.value) !== SCHEMA_VERSION) {
    throw new GradebookError(
      `Gradebook "${path}" has schema version ${JSON.stringify(version.value)}; this convlab reads version ${SCHEMA_VERSION}`,
    );
  }
}

function toAttempt(row: AttemptRow): CurrentAttempt {
  return {
    submissionId: row.id,
    assignment: row.assignment,
    student: row.student,
    status: row.status,
    score: row.score,
    maxScore: row.max_score,
    error: row.error,
    submittedAt: row.submitted_at,
    firstSubmittedAt: row.first_submitted_at,
    attempts: row.attempts,
  };
}

function toTestResult(row: TestRow): TestResult {
  return {
    submissionId: row.submission_id,
    position: row.position,
    name: row.name,
    status: row.status,
    score: row.score,
    maxScore: row.max_score,
    feedback: row.feedback,
  };
}
