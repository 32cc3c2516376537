import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'convlab') return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the convlab project (package.json named "convlab") above ${start}`);
  }
}

/** The convlab checkout this code runs from (works from `grader/` under tsx and from `dist/grader/`). */
export const PROJECT_ROOT = findProjectRoot(__dirname);

export const projectPath = (...parts: string[]): string => join(PROJECT_ROOT, ...parts);

/** The compiled sandbox child; the grader always runs it from `dist/`, also when the parent runs under tsx. */
export const CHILD_ENTRY = projectPath('dist', 'grader', 'sandbox', 'child.js');

/** The compiled compile service's process (`sandbox/compile-process.ts`), also always run from `dist/`. */
export const COMPILE_PROCESS_ENTRY = projectPath('dist', 'grader', 'sandbox', 'compile-process.js');
