/** The autograder zip built by `convlab gradescope` and unpacked as Gradescope does, then run_autograder run in it. */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { serializeNotebook } from '../../../grader/notebook/format';
import type { Notebook } from '../../../grader/notebook/types';
import { PROJECT_ROOT } from '../../../grader/paths';
import { convlab, runProgram, TINY } from '../../support/helpers';
import { unzip, type UnzippedEntry } from './unzip';

export interface GradescopeResultsJson {
  score: number;
  execution_time?: number;
  output?: string;
  extra_data?: { fingerprint: string };
  tests: { name: string; score: number; max_score: number; status: string; output: string; visibility?: string }[];
}

export interface UnpackedAutograder {
  /** a folder for the runs' /autograder roots (removed by the caller) */
  readonly work: string;
  /** the unpacked zip: what Gradescope's /autograder/source holds after setup.sh */
  readonly source: string;
  readonly entries: readonly UnzippedEntry[];
}

/** Builds the course's autograder zip for 00-tiny and unpacks it beside the project, its dependencies hard-linked. */
export async function unpackAutograder(course: string): Promise<UnpackedAutograder> {
  // Beside node_modules, so that its hard-linked copy (what npm ci makes on Gradescope) needs no second file system.
  mkdirSync(join(PROJECT_ROOT, '.convlab'), { recursive: true });
  const work = mkdtempSync(join(PROJECT_ROOT, '.convlab', 'gradescope-test-'));
  const zipPath = join(work, 'autograder.zip');
  const built = await convlab(['gradescope', '--assignment', TINY, '--out', zipPath, '--root', course]);
  expect(built.stderr).to.equal('');
  expect(built.exitCode).to.equal(0);
  const entries = await unzip(zipPath);
  const source = join(work, 'source');
  for (const entry of entries) {
    mkdirSync(dirname(join(source, entry.name)), { recursive: true });
    writeFileSync(join(source, entry.name), entry.data);
    chmodSync(join(source, entry.name), entry.mode);
  }
  // npm ci is not run here: a hard-linked copy of the project's dependencies stands in. (A symbolic link would
  // point outside the folders the sandbox may read.)
  const copied = await runProgram('cp', ['-al', join(PROJECT_ROOT, 'node_modules'), join(source, 'node_modules')]);
  expect(copied.exitCode, copied.stderr).to.equal(0);
  return { work, source, entries };
}

/** A fresh /autograder named `name` with these submitted files and metadata; runs run_autograder and returns results.json. */
export async function runAutograder(autograder: UnpackedAutograder, name: string, files: Record<string, string | Notebook>,
  metadata: object | string): Promise<GradescopeResultsJson> {
  const root = join(autograder.work, name);
  mkdirSync(join(root, 'submission'), { recursive: true });
  symlinkSync(autograder.source, join(root, 'source'));
  for (const [file, content] of Object.entries(files)) {
    writeFileSync(join(root, 'submission', file), typeof content === 'string' ? content : serializeNotebook(content));
  }
  writeFileSync(join(root, 'submission_metadata.json'), typeof metadata === 'string' ? metadata : JSON.stringify(metadata));
  const run = await runProgram(join(root, 'source', 'run_autograder'), [], { env: { CONVLAB_AUTOGRADER_ROOT: root } });
  expect(run.exitCode, run.stderr).to.equal(0);
  return JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8')) as GradescopeResultsJson;
}
