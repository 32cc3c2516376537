/**
 * `node dist/grader/bench.js [--cohort N] [--repeat R]`: how fast convlab grades one light submission compared with
 * `jupyter nbconvert --execute` on the same notebook (execution only), and cohort throughput at --jobs 1 and 2.
 * Uses the bundled example assignment (examples/, 00-warmup) and its full-marks submission.
 */
import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { loadAssignment } from './assignment';
import { grade } from './commands/grade';
import { EXAMPLE_ASSIGNMENT, EXAMPLE_ROOT } from './commands/demo';
import { normalizeGradeOptions } from './options';
import { projectPath } from './paths';
import { childJob } from './pipeline/execute';
import { readNotebookFile } from './assignment';
import { Sandbox } from './sandbox/session';

const SUBMISSION = join(EXAMPLE_ROOT, 'submissions', 'ada', `${EXAMPLE_ASSIGNMENT}.ipynb`);
const LIMITS = { timeoutMs: 300_000, cellTimeoutMs: 120_000, maxOldSpaceMb: 3072 };

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

/** A scratch copy of the notebook next to links to the kit, as learners' notebooks/ sit next to dist/. */
function scratchNotebook(): { dir: string; notebook: string } {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-bench-'));
  symlinkSync(projectPath('node_modules'), join(dir, 'node_modules'));
  symlinkSync(projectPath('dist'), join(dir, 'dist'));
  mkdirSync(join(dir, 'notebooks'));
  const notebook = join(dir, 'notebooks', `${EXAMPLE_ASSIGNMENT}.ipynb`);
  cpSync(SUBMISSION, notebook);
  return { dir, notebook };
}

/** Wall time of `jupyter nbconvert --execute` with the project's tslab as kernel (kernelspec install not timed). */
async function nbconvertMs(): Promise<number> {
  const { dir, notebook } = scratchNotebook();
  const tslab = projectPath('node_modules', '.bin', 'tslab');
  await execa(tslab, ['install', '--python=/usr/bin/python3', `--binary=${tslab}`, `--prefix=${join(dir, 'jupyter')}`]);
  return timed(() => execa('/usr/bin/jupyter', ['nbconvert', '--to', 'notebook', '--execute', '--output', 'executed.ipynb', notebook],
    { env: { JUPYTER_PATH: join(dir, 'jupyter', 'share', 'jupyter') } }));
}

/** `convlab grade` on `count` copies of the submission, in-process (no CLI start-up), fresh gradebook. */
async function gradeMs(count: number, jobs: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-bench-'));
  for (let i = 0; i < count; i += 1) cpSync(SUBMISSION, join(dir, `student${i}_${EXAMPLE_ASSIGNMENT}.ipynb`));
  const options = normalizeGradeOptions({
    paths: [dir], assignment: EXAMPLE_ASSIGNMENT, root: EXAMPLE_ROOT, db: join(dir, 'gradebook.sqlite'), jobs,
  });
  return timed(async () => {
    const { reports } = await grade(options);
    const failed = reports.flatMap((report) => report.results).filter((result) => result.status !== 'graded');
    if (failed.length > 0) throw new Error(`benchmark submission not graded: ${failed[0]!.error}`);
  });
}

/** One submission in a child that finished warming up: the per-submission cost once children are pre-started. */
async function warmChildMs(): Promise<number> {
  const assignment = loadAssignment({ root: EXAMPLE_ROOT }, EXAMPLE_ASSIGNMENT);
  const job = childJob(readNotebookFile(SUBMISSION), assignment.specs, { cellTimeoutMs: LIMITS.cellTimeoutMs, testTimeoutMs: 10_000 });
  const sandbox = new Sandbox(LIMITS);
  await sandbox.warm;
  return timed(() => sandbox.run(job));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cohort: { type: 'string', default: '4' }, repeat: { type: 'string', default: '2' } } });
  const cohort = Number(values.cohort);
  const repeat = Number(values.repeat);
  const runs = async (measure: () => Promise<number>): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < repeat; i += 1) times.push(await measure());
    return median(times);
  };
  console.log(`grader benchmark: ${EXAMPLE_ASSIGNMENT} (full-marks submission), median of ${repeat}`);
  const nbconvert = await runs(nbconvertMs);
  console.log(`jupyter nbconvert --execute (tslab kernel)     ${seconds(nbconvert)}`);
  const cold = await runs(() => gradeMs(1, 1));
  console.log(`convlab grade, 1 submission (cold child)       ${seconds(cold)}  ${(nbconvert / cold).toFixed(1)}× nbconvert`);
  const warm = await runs(warmChildMs);
  console.log(`convlab, 1 submission in a pre-warmed child    ${seconds(warm)}  ${(nbconvert / warm).toFixed(1)}× nbconvert`);
  for (const jobs of [1, 2]) {
    const total = await gradeMs(cohort, jobs);
    const each = total / cohort;
    console.log(`convlab grade, cohort of ${cohort}, --jobs ${jobs}          ${seconds(total)} total, ${seconds(each)} per submission  ${(nbconvert / each).toFixed(1)}× nbconvert`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
