/**
 * The gradebook's SQLite schema: the contract between `convlab grade` (which writes it) and `convlab report`
 * (which reads it). One row per graded attempt in `submissions` — every grading of every submission is kept, each
 * with the grading fingerprint it was graded under — and one row per test of that attempt in `test_results`.
 * Timestamps are ISO-8601 UTC strings. A submission row and its test rows are written in one transaction.
 * Since version 3, `exercise_sources` keeps each attempt's exercise cells as graded, and `released_cells` the starter
 * code of each exercise cell, for the similarity signal. Version 2 → 3 only adds these tables.
 * Since version 4, `submissions.outside_failures` counts the gradings in a row that failed outside the submission, so
 * that the next run grades such a submission again (up to MAX_OUTSIDE_ATTEMPTS) instead of reusing the failure.
 * Since version 5, `submissions.toolchain_hash` keeps the fingerprint's toolchain part (kit build, packages, Node).
 * Since version 6, `repairs` keeps what was repaired in each attempt's notebook before grading, so that a result
 * reused on a rerun tells the learner the same. Version 5 → 6 only adds this table; older attempts have no rows.
 */
export const SCHEMA_VERSION = 6;

const submissionsTable = (name: string): string => `
CREATE TABLE ${name} (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  assignment       TEXT NOT NULL,
  student          TEXT NOT NULL,
  source           TEXT NOT NULL,       -- the path (or zip entry) the submission was read from
  content_hash     TEXT NOT NULL,       -- sha256 of the submitted file's bytes
  fingerprint      TEXT NOT NULL,       -- grading fingerprint (grader/fingerprint.ts); '' when graded before version 2
  tests_hash       TEXT,                -- the fingerprint's parts, so a regrade can say what changed; NULL before v2
  release_hash     TEXT,
  limits_hash      TEXT,
  convlab_version  TEXT,
  toolchain_hash   TEXT,                -- the built kit and sandbox, lockfile and Node major; NULL before version 5
  status           TEXT NOT NULL CHECK (status IN ('graded', 'error', 'timeout', 'invalid')),
  raw_score        REAL NOT NULL,       -- sum of the test points
  penalty          REAL NOT NULL DEFAULT 0 CHECK (penalty >= 0), -- points deducted for lateness
  score            REAL NOT NULL,       -- the score that counts: raw_score - penalty
  max_score        REAL NOT NULL,
  error            TEXT,
  due_at           TEXT,                -- the due date after extensions; NULL when the assignment has none
  late_days        REAL,                -- days late as the late policy counts them; NULL without a due date
  lms_late         INTEGER CHECK (lms_late IN (0, 1)), -- the LMS's own late flag, when known
  submitted_at     TEXT NOT NULL,       -- file modification time (or archive entry time)
  graded_at        TEXT NOT NULL,
  duration_ms      INTEGER NOT NULL,
  outside_failures INTEGER NOT NULL DEFAULT 0 CHECK (outside_failures >= 0), -- gradings in a row of these bytes under
                                        -- this fingerprint that failed outside the submission (its child killed
                                        -- from outside); 0 when the result is the submission's own
  UNIQUE (assignment, student, content_hash, fingerprint)
)`;

const SUBMISSIONS_INDEX = 'CREATE INDEX IF NOT EXISTS submissions_by_student ON submissions (student, assignment)';

const META_TABLE = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
)`;

export const SCHEMA_SQL = `
${META_TABLE};
${submissionsTable('IF NOT EXISTS submissions')};
${SUBMISSIONS_INDEX};
CREATE TABLE IF NOT EXISTS test_results (
  submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  name          TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'error', 'timeout')),
  score         REAL NOT NULL,
  max_score     REAL NOT NULL,
  message       TEXT,                   -- full message, for instructors
  feedback      TEXT,                   -- what the learner sees: never hidden inputs or expected values
  PRIMARY KEY (submission_id, position)
);
CREATE TABLE IF NOT EXISTS exercise_sources (
  submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
  grade_id      TEXT NOT NULL,          -- the exercise cell's nbgrader grade_id
  source        TEXT NOT NULL,          -- the cell's code as graded (locked cells restored)
  PRIMARY KEY (submission_id, grade_id)
);
CREATE TABLE IF NOT EXISTS repairs (
  submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('restored', 'reinserted', 'note')),
  detail        TEXT NOT NULL,          -- the grade_id of a restored or re-inserted cell, or a note in the learner's words
  PRIMARY KEY (submission_id, position)
);
CREATE TABLE IF NOT EXISTS released_cells (
  assignment TEXT NOT NULL,
  grade_id   TEXT NOT NULL,
  source     TEXT NOT NULL,             -- the starter code learners got: subtracted before comparing them
  PRIMARY KEY (assignment, grade_id)
);
`;

/**
 * Version 1 → 2: SQLite cannot drop the old UNIQUE (assignment, student, content_hash) that made a regrade overwrite,
 * so the table is rebuilt (ids kept, so test_results still point at their attempts). Version-1 attempts have no
 * recorded fingerprint and no penalty. Run with foreign keys off, inside one transaction.
 */
export const MIGRATE_V1_TO_V2_SQL = `
${META_TABLE};
${submissionsTable('submissions_v2')};
INSERT INTO submissions_v2 (id, assignment, student, source, content_hash, fingerprint, status, raw_score, penalty, score,
                            max_score, error, submitted_at, graded_at, duration_ms)
  SELECT id, assignment, student, source, content_hash, '', status, score, 0, score,
         max_score, error, submitted_at, graded_at, duration_ms FROM submissions;
DROP TABLE submissions;
ALTER TABLE submissions_v2 RENAME TO submissions;
${SUBMISSIONS_INDEX};
INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', '2');
`;

/**
 * Versions 2 and 3 → 4: the count of failures outside the submission; attempts graded before it count none. Run in
 * one transaction, so the column and the version change together. (A version-1 gradebook gets it from the rebuild.)
 */
export const MIGRATE_TO_V4_SQL = `
ALTER TABLE submissions ADD COLUMN outside_failures INTEGER NOT NULL DEFAULT 0 CHECK (outside_failures >= 0);
INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', '4');
`;

/** Versions 2 to 4 → 5: the fingerprint's toolchain part; attempts graded before it have none (NULL). */
export const MIGRATE_TO_V5_SQL = `
ALTER TABLE submissions ADD COLUMN toolchain_hash TEXT;
INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', '5');
`;

/**
 * The attempts as version-2 rows, for readers that must not write (a version-1 gradebook opened read-only reads as
 * version 2 without fingerprints or penalties).
 */
const V2_ATTEMPT_COLUMNS = `SELECT id, assignment, student, content_hash, status, raw_score, penalty, score, max_score, error,
             due_at, late_days, lms_late, submitted_at FROM submissions`;

export const ATTEMPT_COLUMNS_BY_VERSION: Readonly<Record<number, string>> = {
  1: `SELECT id, assignment, student, content_hash, status, score AS raw_score, 0 AS penalty, score, max_score, error,
             NULL AS due_at, NULL AS late_days, NULL AS lms_late, submitted_at FROM submissions`,
  2: V2_ATTEMPT_COLUMNS,
  // versions 3 to 6 only added tables and columns reports do not read
  3: V2_ATTEMPT_COLUMNS,
  4: V2_ATTEMPT_COLUMNS,
  5: V2_ATTEMPT_COLUMNS,
  6: V2_ATTEMPT_COLUMNS,
};
