import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import { serializeNotebook } from '../../grader/notebook/format';
import { releaseNotebook } from '../../grader/notebook/release';
import type { Cell, Notebook } from '../../grader/notebook/types';
import { PROJECT_ROOT } from '../../grader/paths';

export const FIXTURES = join(PROJECT_ROOT, 'tests', 'fixtures', 'notebooks');
/** A tiny course: solutions/00-tiny.ipynb, its released notebook and hidden tests (5 pts). */
export const COURSE = join(FIXTURES, 'course');
export const EXTRA_TESTS = join(FIXTURES, 'extra-tests');
export const TINY = '00-tiny';

export const tempDir = (prefix = 'convlab-test-'): string => mkdtempSync(join(tmpdir(), prefix));

export const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

export const tinySolution = (): Notebook => readJson<Notebook>(join(COURSE, 'solutions', `${TINY}.ipynb`));
export const tinyReleased = (): Notebook => releaseNotebook(tinySolution());

/** The notebook with one cell (by grade_id) changed. */
export function withCell(notebook: Notebook, gradeId: string, change: (cell: Cell) => Cell): Notebook {
  return { ...notebook, cells: notebook.cells.map((cell) => (cell.metadata.nbgrader?.grade_id === gradeId ? change(cell) : cell)) };
}

export const withSource = (notebook: Notebook, gradeId: string, source: string): Notebook =>
  withCell(notebook, gradeId, (cell) => ({ ...cell, source }));

export function writeFile(path: string, content: string | Notebook): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : serializeNotebook(content));
  return path;
}

/** Submissions of the tiny assignment a test grades: one per student. */
export const TINY_SUBMISSIONS = {
  correct: () => tinySolution(),
  wrong: () => withSource(tinySolution(), 'double', 'function double(n: number): number {\n  return n + 2;\n}'),
  stub: () => tinyReleased(),
  hang: () => withSource(tinySolution(), 'double', 'function double(n: number): number {\n  return 2 * n;\n}\nwhile (true) {}'),
};

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to its end, collecting its output (execa is ESM-only, which tsx's CommonJS mode cannot load). */
export function runProgram(command: string, args: readonly string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? PROJECT_ROOT, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Runs the built CLI (`dist/grader/cli.js`) as users do. */
export const convlab = (args: readonly string[], options: { cwd?: string } = {}): Promise<CliResult> =>
  runProgram(process.execPath, [join(PROJECT_ROOT, 'dist', 'grader', 'cli.js'), ...args], options);

/** A copy of the fixture course that a test may change. */
export function copyOfCourse(): string {
  const root = join(tempDir(), 'course');
  cpSync(COURSE, root, { recursive: true });
  return root;
}

/** Builds a zip archive with Python's zipfile (entry names are written exactly as given, `../` included). */
export async function makeZip(path: string, entries: Readonly<Record<string, string>>): Promise<string> {
  const script = 'import sys, json, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z:\n  for name, text in json.loads(sys.stdin.read()).items(): z.writestr(name, text)';
  const result = await runProgram('/usr/bin/python3', ['-c', script, path], { input: JSON.stringify(entries) });
  if (result.exitCode !== 0) throw new Error(`cannot build ${path}: ${result.stderr}`);
  return path;
}
