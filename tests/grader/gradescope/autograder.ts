/** The autograder zip built by `convlab gradescope` and unpacked as Gradescope does, then run_autograder run in it. */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** A folder for a zip and its runs, beside node_modules: its hard-linked copy (what npm ci makes on Gradescope) needs no second file system. */
export function autograderWork(): string {
  mkdirSync(join(PROJECT_ROOT, '.convlab'), { recursive: true });
  return mkdtempSync(join(PROJECT_ROOT, '.convlab', 'gradescope-test-'));
}

/** Builds the course's autograder zip for 00-tiny and unpacks it beside the project, its dependencies hard-linked. */
export async function unpackAutograder(course: string): Promise<UnpackedAutograder> {
  const work = autograderWork();
  const zipPath = join(work, 'autograder.zip');
  const built = await convlab(['gradescope', '--assignment', TINY, '--out', zipPath, '--root', course]);
  expect(built.stderr).to.equal('');
  expect(built.exitCode).to.equal(0);
  return unpackZip(zipPath, work);
}

/** Unpacks the zip at `zipPath` into `<work>/source` as Gradescope does. */
export async function unpackZip(zipPath: string, work: string): Promise<UnpackedAutograder> {
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

/**
 * A fresh /autograder named `name` with these submitted files and metadata; runs run_autograder and returns
 * results.json and what it printed (the instructor's log). The run leaves nothing in its temporary folder.
 */
export async function runAutograder(autograder: UnpackedAutograder, name: string, files: Record<string, string | Notebook>,
  metadata: object | string): Promise<{ results: GradescopeResultsJson; log: string }> {
  const root = join(autograder.work, name);
  mkdirSync(join(root, 'submission'), { recursive: true });
  symlinkSync(autograder.source, join(root, 'source'));
  for (const [file, content] of Object.entries(files)) {
    writeFileSync(join(root, 'submission', file), typeof content === 'string' ? content : serializeNotebook(content));
  }
  writeFileSync(join(root, 'submission_metadata.json'), typeof metadata === 'string' ? metadata : JSON.stringify(metadata));
  // A temporary folder of its own, to see that the run leaves nothing there (its child's and compile service's scratch).
  const temporary = mkdtempSync(join(tmpdir(), 'convlab-autograder-tmp-'));
  const run = await runProgram(join(root, 'source', 'run_autograder'), [], { env: { CONVLAB_AUTOGRADER_ROOT: root, TMPDIR: temporary } });
  expect(run.exitCode, run.stderr).to.equal(0);
  expect(readdirSync(temporary), 'temporary files left behind').to.deep.equal([]);
  rmSync(temporary, { recursive: true });
  return { results: JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8')) as GradescopeResultsJson, log: run.stdout };
}
