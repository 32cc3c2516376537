/**
 * The gradebook's SQLite schema: the contract between `convlab grade` (which writes it) and `convlab report`
 * (which reads it). One row per graded attempt in `submissions`, one row per test of that attempt in `test_results`.
 * Timestamps are ISO-8601 UTC strings. A submission row and its test rows are written in one transaction.
 */
export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  assignment    TEXT NOT NULL,
  student       TEXT NOT NULL,
  source        TEXT NOT NULL,          -- the path (or zip entry) the submission was read from
  content_hash  TEXT NOT NULL,          -- sha256 of the submitted file's bytes
  status        TEXT NOT NULL CHECK (status IN ('graded', 'error', 'timeout', 'invalid')),
  score         REAL NOT NULL,
  max_score     REAL NOT NULL,
  error         TEXT,
  submitted_at  TEXT NOT NULL,          -- file modification time (or zip entry time)
  graded_at     TEXT NOT NULL,
  duration_ms   INTEGER NOT NULL,
  UNIQUE (assignment, student, content_hash)
);
CREATE INDEX IF NOT EXISTS submissions_by_student ON submissions (student, assignment);
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
`;
