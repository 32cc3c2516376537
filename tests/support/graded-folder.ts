/** One `convlab grade` run over a folder of `<learner>_00-tiny.ipynb` files, with feedback: what the intake suites share. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultJson } from './security-folder';
import { COURSE, convlab, TINY } from './helpers';

export interface GradedFolder {
  /** by learner */
  readonly results: Map<string, ResultJson>;
  /** the notes (`> ` lines: repairs, restores) of a learner's Markdown feedback */
  readonly notesOf: (student: string) => string[];
}

/** Grades `<dir>/submissions` for the tiny assignment, writing feedback to `<dir>/feedback`. */
export async function gradeFolder(dir: string): Promise<GradedFolder> {
  const feedback = join(dir, 'feedback');
  const run = await convlab(['grade', join(dir, 'submissions'), '--assignment', TINY, '--root', COURSE, '--db', join(dir, 'gb.sqlite'),
    '--feedback', feedback, '--json', '--jobs', '2']);
  expect(run.exitCode, run.stderr).to.equal(0);
  return {
    results: new Map((JSON.parse(run.stdout) as { results: ResultJson[] }).results.map((result) => [result.student, result])),
    notesOf: (student) => readFileSync(join(feedback, `${student}.md`), 'utf8').split('\n').filter((line) => line.startsWith('> ')).map((line) => line.slice(2)),
  };
}
