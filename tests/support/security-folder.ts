/** What the security suites share: a grading run in a folder the attack notebooks know, and file snapshots. */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { PROJECT_ROOT } from '../../grader/paths';
import { attackPath } from '../fixtures/attacks/make-attacks';
import { COURSE, runProgram, TINY, tinySolution, withSource, writeFile } from './helpers';

/** The attack notebooks aim at this folder (they cannot list the temp folder), so each suite grades inside it. */
export const SECURITY_DIR = join(PROJECT_ROOT, '.convlab', 'security');

const LOCK = join(PROJECT_ROOT, '.convlab', 'security.lock');

/** True when the run holding the lock has ended without releasing it (killed); false while it may still be writing. */
function lockIsStale(): boolean {
  try {
    process.kill(Number(readFileSync(join(LOCK, 'pid'), 'utf8')), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Several test runs may share this checkout, and the attack notebooks aim at one fixed folder, so the suites take
 * turns: waits for (or takes over a stale) lock and returns the function that releases it.
 */
export async function lockSecurityFolder(): Promise<() => void> {
  mkdirSync(join(LOCK, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (lockIsStale()) rmSync(LOCK, { recursive: true, force: true });
    else await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export interface TestJson { name: string; status: string; score: number; maxScore: number; message?: string }
export interface ResultJson { submission: string; student: string; status: string; score: number; maxScore: number; error?: string; tests: TestJson[] }
export interface GradeRun { exitCode: number; stderr: string; results: Map<string, ResultJson> }

/** The wrong `double` every attack notebook starts from: what its honest code earns, test by test. */
export const HONEST_WRONG_TESTS: readonly [status: string, message?: string][] = [
  ['passed'], ['failed', 'expected 5 to equal 6'], ['failed', 'expected -19 to equal -42'], ['passed'],
];
export const HONEST_WRONG_SCORE = 2;

export const HONEST = {
  'honest-correct': () => tinySolution(),
  'honest-wrong': () => withSource(tinySolution(), 'double', 'function double(n: number): number {\n  return n + 2;\n}'),
};

/** Empties the security folder and puts the named attack notebooks and both honest submissions in `submissions/`. */
export function prepareSubmissions(attacks: readonly string[]): string {
  rmSync(SECURITY_DIR, { recursive: true, force: true });
  const submissions = join(SECURITY_DIR, 'submissions');
  mkdirSync(submissions, { recursive: true });
  for (const attack of attacks) cpSync(attackPath(attack), join(submissions, `${attack}_${TINY}.ipynb`));
  for (const [student, notebook] of Object.entries(HONEST)) writeFile(join(submissions, `${student}_${TINY}.ipynb`), notebook());
  return submissions;
}

/** `convlab grade --json` on the security folder, with a secret in the grader's own environment. */
export async function gradeSecurityFolder(extraArgs: readonly string[]): Promise<GradeRun> {
  const result = await runProgram(process.execPath, [
    join(PROJECT_ROOT, 'dist', 'grader', 'cli.js'), 'grade', join(SECURITY_DIR, 'submissions'), '--assignment', TINY,
    '--root', COURSE, '--db', join(SECURITY_DIR, 'gradebook.sqlite'), '--feedback', join(SECURITY_DIR, 'feedback'),
    '--json', '--jobs', '2', ...extraArgs,
  ], { env: { CONVLAB_SECRET: 'hunter2' } });
  const document = JSON.parse(result.stdout) as { results: ResultJson[] };
  return { exitCode: result.exitCode, stderr: result.stderr, results: new Map(document.results.map((r) => [r.student, r])) };
}

/** sha256 of every file under `dir` (or of `dir` itself when it is a file), by path relative to the project. */
export function snapshot(paths: readonly string[]): Record<string, string> {
  const hashes: Record<string, string> = {};
  const visit = (path: string): void => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
    } else {
      hashes[relative(PROJECT_ROOT, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  paths.forEach(visit);
  return hashes;
}

/** The files an attack would have left behind had a write outside its scratch folder worked. */
export const PLANTED_FILES = [
  join(PROJECT_ROOT, 'dist', 'pwned.js'),
  join(PROJECT_ROOT, 'node_modules', 'pwned.js'),
  join(PROJECT_ROOT, 'grader', 'tests', '00-tiny.pwned.spec.js'),
  join(tmpdir(), 'convlab-pwned'),
];

/** The gradebook's attempts as [student, status, score], by student. */
export function gradebookRows(): [string, string, number][] {
  const sqlite = new Database(join(SECURITY_DIR, 'gradebook.sqlite'), { readonly: true });
  try {
    return (sqlite.prepare('SELECT student, status, score FROM submissions ORDER BY student').all() as { student: string; status: string; score: number }[])
      .map((row) => [row.student, row.status, row.score]);
  } finally {
    sqlite.close();
  }
}

/** [status, message] per test, to compare with HONEST_WRONG_TESTS and friends. */
export const outcomes = (result: ResultJson | undefined): [string, string?][] =>
  (result?.tests ?? []).map((test) => (test.message === undefined ? [test.status] : [test.status, test.message]));
