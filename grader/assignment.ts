import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { messageOf, UsageError } from './errors';
import { parseNotebookJson } from './notebook/format';
import { releaseNotebook } from './notebook/release';
import type { Notebook } from './notebook/types';
import { openNotebook } from './notebook/open';
import { listTests, readSpecSource, type ListedTest, type SpecSource } from './sandbox/specs';

/** Where an assignment's files live: `solutions/NN-name.ipynb` and `grader/tests/NN-name/` under a course root. */
export interface CourseLayout {
  readonly root: string;
}

export const solutionPath = (course: CourseLayout, name: string): string => join(course.root, 'solutions', `${name}.ipynb`);
export const releasedPath = (course: CourseLayout, name: string): string => join(course.root, 'notebooks', `${name}.ipynb`);
export const hiddenTestsDir = (course: CourseLayout, name: string): string => join(course.root, 'grader', 'tests', name);

/** An assignment ready to grade: the released notebook (locked cells and checksums) and its hidden tests. */
export interface Assignment {
  readonly name: string;
  readonly released: Notebook;
  readonly specs: readonly SpecSource[];
  readonly tests: readonly ListedTest[];
  readonly maxScore: number;
}

const ASSIGNMENT_NAME = /^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SPEC_FILE = /\.spec\.(?:ts|js|cjs)$/;

/**
 * Assignment names, from the solution notebooks under the course root (or from its released ones, for a course that
 * ships no solutions: the Gradescope autograder's).
 */
export function listAssignmentNames(course: CourseLayout, from: 'solutions' | 'notebooks' = 'solutions'): string[] {
  const dir = join(course.root, from);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((file) => extname(file) === '.ipynb').map((file) => basename(file, '.ipynb'))
    .filter((name) => ASSIGNMENT_NAME.test(name)).sort();
}

/** Spec files in a folder (not recursive), sorted so every run loads them in the same order. */
export function specFilesIn(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--tests "${dir}" is not a folder`);
  return readdirSync(dir).filter((file) => SPEC_FILE.test(file)).sort().map((file) => resolve(dir, file));
}

/** Reads one of the course's own notebooks (a solution or a release); a broken one is the course author's to fix. */
export function readNotebookFile(path: string): Notebook {
  let value: unknown;
  try {
    value = parseNotebookJson(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path}: ${messageOf(error)}`);
  }
  const opened = openNotebook(value);
  if (opened.problems) throw new UsageError(`${path}: not a valid notebook (${opened.problems.join('; ')})`);
  return opened.notebook;
}

/**
 * Loads an assignment by name. Throws a UsageError quoting the name when it has no solution notebook, and one naming
 * the folder when it has no hidden tests at all (neither its own nor `extraTestDirs`).
 */
export function loadAssignment(course: CourseLayout, name: string, extraTestDirs: readonly string[] = []): Assignment {
  const solution = solutionPath(course, name);
  if (!existsSync(solution)) {
    const known = listAssignmentNames(course);
    throw new UsageError(`unknown assignment "${name}": there is no ${solution} (assignments: ${known.length > 0 ? known.join(', ') : 'none'})`);
  }
  return assignmentOf(name, releaseNotebook(readNotebookFile(solution)), hiddenTestsDir(course, name), extraTestDirs);
}

/**
 * An assignment from its released notebook and hidden tests folder: what a course without its solutions (the
 * Gradescope autograder) grades with.
 */
export function assignmentOf(name: string, released: Notebook, testsDir: string, extraTestDirs: readonly string[] = []): Assignment {
  const files = [...(existsSync(testsDir) ? specFilesIn(testsDir) : []), ...extraTestDirs.flatMap(specFilesIn)];
  if (files.length === 0) throw new UsageError(`assignment "${name}" has no hidden tests: no *.spec.ts or *.spec.js in ${testsDir}`);
  const specs = files.map(readSpecSource);
  const tests = listTests(specs);
  return { name, released, specs, tests, maxScore: tests.reduce((sum, test) => sum + test.points, 0) };
}

/**
 * Released notebooks of the course's assignments, by name: what tells a notebook's assignment by its content (read from
 * the solutions, or as released in a course that ships none). With one assignment `asked` for, another's broken
 * notebook only costs recognising its submissions, so it is left out; otherwise it is the course author's error.
 */
export function courseReleases(course: CourseLayout, asked: string | undefined, from: 'solutions' | 'notebooks' = 'solutions'): Map<string, Notebook> {
  const releases = new Map<string, Notebook>();
  for (const name of listAssignmentNames(course, from)) {
    try {
      releases.set(name, from === 'notebooks' ? readNotebookFile(releasedPath(course, name)) : releaseNotebook(readNotebookFile(solutionPath(course, name))));
    } catch (error) {
      if (asked === undefined || asked === name) throw error;
    }
  }
  return releases;
}
