/** Writes to the gradebook: the grader's attempts (and the synthetic cohort's), and the reuse lookup before grading. */
import {
  finalScoreOf, maxScoreOf, penaltyOf, scoreOf, type FingerprintParts, type GradingFingerprint, type Lateness, type SubmissionResult, type SubmissionStatus, type TestResult,
  type TestStatus,
} from '../model/results';
import { openForWriting } from './database';

/** One graded attempt as stored: a submissions row and its tests. */
export interface AttemptRecord {
  readonly assignment: string;
  readonly student: string;
  readonly source: string;
  readonly contentHash: string;
  readonly fingerprint: GradingFingerprint;
  readonly status: SubmissionStatus;
  readonly rawScore: number;
  readonly penalty: number;
  readonly score: number;
  readonly maxScore: number;
  readonly error: string | null;
  readonly lateness: Lateness | null;
  readonly submittedAt: string;
  readonly gradedAt: string;
  readonly durationMs: number;
  /** gradings in a row that failed outside the submission, this one included (0 or absent: its own result) */
  readonly outsideFailures?: number;
  readonly tests: readonly TestResult[];
  /** what was repaired in the notebook before grading (restored and re-inserted cells by grade_id, notes) */
  readonly repairs?: Repairs;
  /** the attempt's exercise cells as graded, for the similarity signal */
  readonly exerciseSources?: readonly CellSource[];
  /** the released starter code of the assignment's exercise cells */
  readonly releasedCells?: readonly CellSource[];
}

/** What was repaired in a notebook before grading, as a result carries it. */
export type Repairs = Pick<SubmissionResult, 'restoredCells' | 'reinsertedCells' | 'repairs'>;

/** One notebook cell's code, by grade_id. */
export interface CellSource {
  readonly gradeId: string;
  readonly source: string;
}

/** What the grader needs from the gradebook. */
export interface Gradebook {
  /** the attempt stored for these exact bytes under this grading fingerprint, if any */
  find(assignment: string, student: string, contentHash: string, fingerprint: string): SubmissionResult | undefined;
  /** the setup these exact bytes were last graded under (parts absent for attempts from before fingerprints) */
  lastGrading(assignment: string, student: string, contentHash: string): { readonly parts?: FingerprintParts } | undefined;
  /**
   * stores one grading of a submission, its tests and its exercise cells atomically; a forced regrade under the same
   * setup replaces it
   */
  record(result: SubmissionResult, fingerprint: GradingFingerprint, cells?: { exercises: readonly CellSource[]; released: readonly CellSource[] }): void;
  /** stores attempts as given, all in one transaction */
  add(attempts: readonly AttemptRecord[]): void;
  close(): void;
}

/** The stored row for a grader result. */
export function attemptOf(result: SubmissionResult, fingerprint: GradingFingerprint): AttemptRecord {
  return {
    assignment: result.assignment, student: result.student, source: result.submission, contentHash: result.contentHash,
    fingerprint, status: result.status, rawScore: scoreOf(result), penalty: penaltyOf(result), score: finalScoreOf(result),
    maxScore: maxScoreOf(result), error: result.error ?? null, lateness: result.lateness ?? null,
    submittedAt: result.submittedAt, gradedAt: result.gradedAt, durationMs: Math.round(result.durationMs),
    outsideFailures: result.outsideFailures ?? 0, tests: result.tests,
    repairs: { restoredCells: result.restoredCells, reinsertedCells: result.reinsertedCells, repairs: result.repairs },
  };
}

interface SubmissionRow {
  id: number; assignment: string; student: string; source: string; content_hash: string; status: SubmissionStatus;
  raw_score: number; penalty: number; error: string | null; due_at: string | null; late_days: number | null;
  lms_late: 0 | 1 | null; submitted_at: string; graded_at: string; duration_ms: number; outside_failures: number;
}
interface PartsRow {
  tests_hash: string | null; release_hash: string | null; limits_hash: string | null; convlab_version: string | null; toolchain_hash: string | null;
}
interface RepairRow {
  kind: RepairKind; detail: string;
}
type RepairKind = 'restored' | 'reinserted' | 'note';

/** The repairs as rows, in the order feedback lists them. */
function repairRows({ restoredCells, reinsertedCells = [], repairs = [] }: Repairs): RepairRow[] {
  return [
    ...restoredCells.map((detail) => ({ kind: 'restored' as const, detail })),
    ...reinsertedCells.map((detail) => ({ kind: 'reinserted' as const, detail })),
    ...repairs.map((detail) => ({ kind: 'note' as const, detail })),
  ];
}

/** The rows back as a result carries them: absent lists stay absent, as the grader leaves them when nothing was done. */
function repairsOf(rows: readonly RepairRow[]): Repairs {
  const of = (kind: RepairKind): string[] => rows.filter((row) => row.kind === kind).map((row) => row.detail);
  const [reinserted, notes] = [of('reinserted'), of('note')];
  return {
    restoredCells: of('restored'),
    ...(reinserted.length > 0 ? { reinsertedCells: reinserted } : {}), ...(notes.length > 0 ? { repairs: notes } : {}),
  };
}

interface TestRow {
  name: string; status: TestStatus; score: number; max_score: number; message: string | null; feedback: string | null;
}

function latenessOf(row: SubmissionRow): Lateness | undefined {
  if (row.due_at === null) return undefined;
  return {
    dueAt: row.due_at, daysLate: row.late_days ?? 0,
    penaltyPercent: row.raw_score > 0 ? (100 * row.penalty) / row.raw_score : 0,
    ...(row.lms_late !== null ? { lmsLate: row.lms_late === 1 } : {}),
  };
}

/** Opens (creating or migrating if needed) the gradebook at `path` for grading. */
export function openGradebook(path: string): Gradebook {
  const db = openForWriting(path);
  const findSubmission = db.prepare<[string, string, string, string], SubmissionRow>(
    'SELECT * FROM submissions WHERE assignment = ? AND student = ? AND content_hash = ? AND fingerprint = ?');
  const findLastGrading = db.prepare<[string, string, string], PartsRow>(`SELECT tests_hash, release_hash, limits_hash, convlab_version, toolchain_hash
    FROM submissions WHERE assignment = ? AND student = ? AND content_hash = ? ORDER BY id DESC LIMIT 1`);
  const findTests = db.prepare<[number], TestRow>('SELECT * FROM test_results WHERE submission_id = ? ORDER BY position');
  const deleteSameGrading = db.prepare(
    'DELETE FROM submissions WHERE assignment = ? AND student = ? AND content_hash = ? AND fingerprint = ?');
  const insertSubmission = db.prepare(`INSERT INTO submissions
    (assignment, student, source, content_hash, fingerprint, tests_hash, release_hash, limits_hash, convlab_version, toolchain_hash, status,
     raw_score, penalty, score, max_score, error, due_at, late_days, lms_late, submitted_at, graded_at, duration_ms, outside_failures)
    VALUES (@assignment, @student, @source, @contentHash, @fingerprint, @testsHash, @releaseHash, @limitsHash, @version, @toolchain, @status,
     @rawScore, @penalty, @score, @maxScore, @error, @dueAt, @lateDays, @lmsLate, @submittedAt, @gradedAt, @durationMs, @outsideFailures)`);
  const findRepairs = db.prepare<[number], RepairRow>('SELECT kind, detail FROM repairs WHERE submission_id = ? ORDER BY position');
  const insertRepair = db.prepare('INSERT INTO repairs (submission_id, position, kind, detail) VALUES (?, ?, ?, ?)');
  const insertSource = db.prepare('INSERT INTO exercise_sources (submission_id, grade_id, source) VALUES (?, ?, ?)');
  const upsertReleased = db.prepare('INSERT OR REPLACE INTO released_cells (assignment, grade_id, source) VALUES (?, ?, ?)');
  const insertTest = db.prepare(`INSERT INTO test_results (submission_id, position, name, status, score, max_score, message, feedback)
    VALUES (@submissionId, @position, @name, @status, @score, @maxScore, @message, @feedback)`);

  const insert = (attempt: AttemptRecord): void => {
    const { parts } = attempt.fingerprint;
    const lmsLate = attempt.lateness?.lmsLate;
    const { lastInsertRowid } = insertSubmission.run({
      assignment: attempt.assignment, student: attempt.student, source: attempt.source, contentHash: attempt.contentHash,
      fingerprint: attempt.fingerprint.id, testsHash: parts.tests, releaseHash: parts.release, limitsHash: parts.limits,
      version: parts.version, toolchain: parts.toolchain, status: attempt.status, rawScore: attempt.rawScore, penalty: attempt.penalty, score: attempt.score,
      maxScore: attempt.maxScore, error: attempt.error, dueAt: attempt.lateness?.dueAt ?? null,
      lateDays: attempt.lateness?.daysLate ?? null, lmsLate: lmsLate === undefined ? null : Number(lmsLate),
      submittedAt: attempt.submittedAt, gradedAt: attempt.gradedAt, durationMs: attempt.durationMs,
      outsideFailures: attempt.outsideFailures ?? 0,
    });
    attempt.tests.forEach((test, position) => insertTest.run({
      submissionId: lastInsertRowid, position, name: test.name, status: test.status, score: test.score,
      maxScore: test.maxScore, message: test.message ?? null, feedback: test.feedback,
    }));
    if (attempt.repairs) repairRows(attempt.repairs).forEach((row, position) => insertRepair.run(lastInsertRowid, position, row.kind, row.detail));
    for (const cell of attempt.exerciseSources ?? []) insertSource.run(lastInsertRowid, cell.gradeId, cell.source);
    for (const cell of attempt.releasedCells ?? []) upsertReleased.run(attempt.assignment, cell.gradeId, cell.source);
  };
  const record = db.transaction((attempt: AttemptRecord) => {
    deleteSameGrading.run(attempt.assignment, attempt.student, attempt.contentHash, attempt.fingerprint.id);
    insert(attempt);
  });
  const add = db.transaction((attempts: readonly AttemptRecord[]) => attempts.forEach(insert));

  return {
    find(assignment, student, contentHash, fingerprint) {
      const row = findSubmission.get(assignment, student, contentHash, fingerprint);
      if (!row) return undefined;
      const tests: TestResult[] = findTests.all(row.id).map((test) => ({
        name: test.name, status: test.status, score: test.score, maxScore: test.max_score,
        ...(test.message !== null ? { message: test.message } : {}), feedback: test.feedback ?? '',
      }));
      const lateness = latenessOf(row);
      return {
        submission: row.source, student: row.student, assignment: row.assignment, status: row.status,
        ...(row.error !== null ? { error: row.error } : {}), tests, ...repairsOf(findRepairs.all(row.id)), contentHash: row.content_hash,
        submittedAt: row.submitted_at, gradedAt: row.graded_at, durationMs: row.duration_ms, unchanged: true,
        ...(lateness !== undefined ? { lateness } : {}), ...(row.outside_failures > 0 ? { outsideFailures: row.outside_failures } : {}),
      };
    },
    lastGrading(assignment, student, contentHash) {
      const row = findLastGrading.get(assignment, student, contentHash);
      if (!row) return undefined;
      if (row.tests_hash === null || row.release_hash === null || row.limits_hash === null || row.convlab_version === null) return {};
      // Graded before version 5: the toolchain it ran on is unknown, so it counts as another one.
      return { parts: { tests: row.tests_hash, release: row.release_hash, limits: row.limits_hash, version: row.convlab_version,
        toolchain: row.toolchain_hash ?? '' } };
    },
    record: (result, fingerprint, cells) => record({
      ...attemptOf(result, fingerprint), ...(cells ? { exerciseSources: cells.exercises, releasedCells: cells.released } : {}),
    }),
    add: (attempts) => add(attempts),
    close: () => db.close(),
  };
}
