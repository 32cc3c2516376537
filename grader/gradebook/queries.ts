/**
 * Reads a gradebook read-only for reports: the current attempt per learner × assignment — the latest submission, in
 * its latest grading — and that attempt's test results. No computation beyond SQL selection.
 */
import type { SubmissionStatus, TestStatus } from '../model/results';
import { GradebookError } from '../errors';
import type Database from 'better-sqlite3';
import { openForReading } from './database';
import { ATTEMPT_COLUMNS_BY_VERSION } from './schema';

/** The current (latest) attempt of one learner at one assignment. */
export interface CurrentAttempt {
  readonly submissionId: number;
  readonly assignment: string;
  readonly student: string;
  readonly status: SubmissionStatus;
  /** points of the tests */
  readonly rawScore: number;
  /** points deducted for lateness */
  readonly penalty: number;
  /** the score that counts: raw score minus penalty */
  readonly score: number;
  readonly maxScore: number;
  readonly error: string | null;
  readonly submittedAt: string;
  /** the due date after extensions; null when the assignment has none */
  readonly dueAt: string | null;
  readonly lateDays: number | null;
  /** When this learner first submitted this assignment: the moment it counts as completed over time. */
  readonly firstSubmittedAt: string;
  /** distinct submissions (notebook contents); regrades of the same submission do not count */
  readonly attempts: number;
}

/** One test of a current attempt. */
export interface CurrentTest {
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
  readonly tests: readonly CurrentTest[];
}

// Latest submission by submission time; the row id breaks ties, so a regrade of a submission is newer than its
// earlier gradings.
const rankedAttempts = (version: number): string => `
  WITH attempts AS (${ATTEMPT_COLUMNS_BY_VERSION[version]})
  SELECT a.*,
         ROW_NUMBER() OVER (PARTITION BY a.assignment, a.student ORDER BY julianday(a.submitted_at) DESC, a.id DESC) AS rank,
         s.first_submitted_at, s.attempts
  FROM attempts a JOIN (
    SELECT assignment, student, MIN(submitted_at) AS first_submitted_at, COUNT(DISTINCT content_hash) AS attempts
    FROM attempts WHERE @since IS NULL OR julianday(submitted_at) >= julianday(@since)
    GROUP BY assignment, student
  ) s ON s.assignment = a.assignment AND s.student = a.student
  WHERE @since IS NULL OR julianday(a.submitted_at) >= julianday(@since)`;

const currentAttemptsSql = (version: number): string => `
  SELECT * FROM (${rankedAttempts(version)}) WHERE rank = 1 ORDER BY assignment, student`;

const currentTestsSql = (version: number): string => `
  SELECT t.submission_id, t.position, t.name, t.status, t.score, t.max_score, t.feedback
  FROM test_results t JOIN (${rankedAttempts(version)}) a ON a.id = t.submission_id AND a.rank = 1
  ORDER BY t.submission_id, t.position`;

interface AttemptRow {
  id: number;
  assignment: string;
  student: string;
  status: SubmissionStatus;
  raw_score: number;
  penalty: number;
  score: number;
  max_score: number;
  error: string | null;
  submitted_at: string;
  due_at: string | null;
  late_days: number | null;
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
 * Reads the current attempts (and their tests) from the gradebook at `path`, version 1 or 2; with `since` (an
 * ISO-8601 instant), attempts submitted before it are ignored, as if the gradebook started then.
 */
export function readGradebook(path: string, since: string | null = null): GradebookSnapshot {
  const { db, version } = openForReading(path);
  try {
    const attempts = db.prepare<{ since: string | null }, AttemptRow>(currentAttemptsSql(version)).all({ since }).map(toAttempt);
    const tests = db.prepare<{ since: string | null }, TestRow>(currentTestsSql(version)).all({ since }).map(toTest);
    return { attempts, tests };
  } finally {
    db.close();
  }
}

function toAttempt(row: AttemptRow): CurrentAttempt {
  return {
    submissionId: row.id,
    assignment: row.assignment,
    student: row.student,
    status: row.status,
    rawScore: row.raw_score,
    penalty: row.penalty,
    score: row.score,
    maxScore: row.max_score,
    error: row.error,
    submittedAt: row.submitted_at,
    dueAt: row.due_at,
    lateDays: row.late_days,
    firstSubmittedAt: row.first_submitted_at,
    attempts: row.attempts,
  };
}

function toTest(row: TestRow): CurrentTest {
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

/** The exercise cells of one assignment's current attempts, with their released starter code (schema version 3). */
export interface AssignmentSources {
  /** grade_id → released starter code */
  readonly starters: ReadonlyMap<string, string>;
  /** one row per current, valid attempt × exercise cell, by student then grade_id */
  readonly cells: readonly { readonly student: string; readonly gradeId: string; readonly source: string }[];
}

const currentSourcesSql = (version: number): string => `
  SELECT a.assignment, a.student, e.grade_id, e.source
  FROM exercise_sources e JOIN (${rankedAttempts(version)}) a ON a.id = e.submission_id AND a.rank = 1
  WHERE a.status != 'invalid'
  ORDER BY a.assignment, a.student, e.grade_id`;

const NO_SOURCES: AssignmentSources = { starters: new Map(), cells: [] };

function sourcesByAssignment(db: Database.Database, version: number, since: string | null): Map<string, AssignmentSources> {
  const byAssignment = new Map<string, { starters: Map<string, string>; cells: AssignmentSources['cells'][number][] }>();
  const entry = (assignment: string) => byAssignment.get(assignment)
    ?? byAssignment.set(assignment, { starters: new Map(), cells: [] }).get(assignment)!;
  if (version < 3) return byAssignment;
  for (const row of db.prepare<[], { assignment: string; grade_id: string; source: string }>(
    'SELECT assignment, grade_id, source FROM released_cells').all()) entry(row.assignment).starters.set(row.grade_id, row.source);
  for (const row of db.prepare<{ since: string | null }, { assignment: string; student: string; grade_id: string; source: string }>(
    currentSourcesSql(version)).all({ since })) entry(row.assignment).cells.push({ student: row.student, gradeId: row.grade_id, source: row.source });
  return byAssignment;
}

/**
 * Every assignment's exercise cells (current, valid attempts) and starter code, for the report's similarity section;
 * empty for gradebooks from before version 3, which kept no cells.
 */
export function readCohortSources(path: string, since: string | null = null): ReadonlyMap<string, AssignmentSources> {
  const { db, version } = openForReading(path);
  try {
    return sourcesByAssignment(db, version, since);
  } finally {
    db.close();
  }
}

/** What `convlab similarity` compares for one assignment; an older gradebook kept no exercise cells. */
export function readAssignmentSources(path: string, assignment: string): AssignmentSources {
  const { db, version } = openForReading(path);
  try {
    if (version < 3) {
      throw new GradebookError(`Gradebook "${path}" keeps no exercise cells (it was written by an older convlab): `
        + 'grade the submissions again to compare them');
    }
    return sourcesByAssignment(db, version, null).get(assignment) ?? NO_SOURCES;
  } finally {
    db.close();
  }
}
