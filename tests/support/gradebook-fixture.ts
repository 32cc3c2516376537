/** Temporary gradebooks for the report and gradebook tests, written through the gradebook store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openGradebook } from '../../grader/gradebook/store';
import { insertAttempts, type Attempt, type AttemptTest } from '../../bench/synthetic/gradebook';

export interface TempDir {
  readonly path: string;
  file(name: string): string;
  remove(): void;
}

export function makeTempDir(): TempDir {
  const path = mkdtempSync(join(tmpdir(), 'convlab-report-'));
  return { path, file: (name) => join(path, name), remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function writeGradebook(path: string, attempts: readonly Attempt[]): string {
  const gradebook = openGradebook(path);
  try {
    insertAttempts(gradebook, attempts);
  } finally {
    gradebook.close();
  }
  return path;
}

/** Tests named t1…tN, the first `passed` of them passing, each worth one point. */
export function tests(
  count: number,
  passed: number,
  feedback = 'the output differs from the reference',
): AttemptTest[] {
  return Array.from({ length: count }, (_, index) =>
    index < passed
      ? { name: `t${index + 1}`, status: 'passed', score: 1, maxScore: 1 }
      : { name: `t${index + 1}`, status: 'failed', score: 0, maxScore: 1, feedback },
  );
}

export function graded(student: string, assignment: string, submittedAt: string, passed: number, count = 4): Attempt {
  return { student, assignment, submittedAt, status: 'graded', tests: tests(count, passed) };
}
