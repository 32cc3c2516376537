/**
 * `npm run bench:grader [-- --cohort N --training-cohort N --jobs N --nbconvert-runs N]`: what instructors wait for,
 * side by side in one run. For a light notebook (01) and a training one (07), the solution graded as a cohort of
 * copies by the `convlab grade` CLI, against serial `jupyter nbconvert --execute` (execution only, as nbgrader does);
 * then one cold submission each way. Every convlab figure is a whole CLI process, start-up included: no child or
 * compile service is started before the clock.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { GRADING_ENV } from '../src/grading';
import { projectPath } from './paths';

const LIGHT = '01-conv-arithmetic';
const TRAINING = '07-unet';
const solutionOf = (assignment: string): string => projectPath('solutions', `${assignment}.ipynb`);

interface Cost {
  readonly wallMs: number;
  /** user + system CPU time of the finished processes started meanwhile, with all their descendants */
  readonly cpuMs: number;
}

/**
 * CPU time of this process's waited-for descendants (/proc/self/stat cutime + cstime, in clock ticks of 10 ms):
 * on a machine shared with other work, CPU seconds per submission move much less than wall time does.
 */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

async function timed(action: () => Promise<unknown>): Promise<Cost> {
  const start = performance.now();
  const cpuStart = childrenCpuMs();
  await action();
  return { wallMs: performance.now() - start, cpuMs: childrenCpuMs() - cpuStart };
}

/** Scratch copies of the notebook in `notebooks/` next to links to the kit, as learners' notebooks sit. */
function scratchNotebooks(assignment: string, count: number): { dir: string; notebooks: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-bench-'));
  symlinkSync(projectPath('node_modules'), join(dir, 'node_modules'));
  symlinkSync(projectPath('dist'), join(dir, 'dist'));
  mkdirSync(join(dir, 'notebooks'));
  const notebooks = Array.from({ length: count }, (_, i) => {
    const notebook = join(dir, 'notebooks', `student${i}_${assignment}.ipynb`);
    cpSync(solutionOf(assignment), notebook);
    return notebook;
  });
  return { dir, notebooks };
}

/**
 * Wall time of `runs` serial `jupyter nbconvert --execute` runs with the project's tslab kernel (kernelspec install not
 * timed); a cell error fails the run, so every run is checked to succeed.
 */
async function nbconvertCost(assignment: string, runs: number): Promise<Cost> {
  const { dir, notebooks } = scratchNotebooks(assignment, runs);
  const tslab = projectPath('node_modules', '.bin', 'tslab');
  await execa(tslab, ['install', '--python=/usr/bin/python3', `--binary=${tslab}`, `--prefix=${join(dir, 'jupyter')}`]);
  // The grading flag makes both do the same work (notebooks shrink their training while graded).
  const env = { JUPYTER_PATH: join(dir, 'jupyter', 'share', 'jupyter'), [GRADING_ENV]: '1' };
  return timed(async () => {
    for (const notebook of notebooks) {
      await execa('/usr/bin/jupyter', ['nbconvert', '--to', 'notebook', '--execute', '--output',
        notebook.replace(/\.ipynb$/, '.executed.ipynb'), notebook], { env });
    }
  });
}

/** Wall time of one `convlab grade` process over `count` copies of the solution (fresh gradebook); all must grade. */
async function gradeCost(assignment: string, count: number, jobs: number): Promise<Cost> {
  const { dir } = scratchNotebooks(assignment, count);
  let stdout = '';
  const cost = await timed(async () => {
    ({ stdout } = await execa(process.execPath, [projectPath('dist', 'grader', 'cli.js'), 'grade', join(dir, 'notebooks'),
      '--assignment', assignment, '--jobs', String(jobs), '--db', join(dir, 'gradebook.sqlite'), '--json',
      // Limits generous enough for a loaded machine: this measures speed, not limits.
      '--timeout', String(RUN_LIMIT_S), '--cell-timeout', String(RUN_LIMIT_S)]));
  });
  const results = (JSON.parse(stdout) as { results: { status: string; error?: string }[] }).results;
  const failed = results.filter((result) => result.status !== 'graded');
  if (results.length !== count || failed.length > 0) {
    throw new Error(`benchmark submissions not all graded: ${failed[0]?.error ?? `${results.length} of ${count} results`}`);
  }
  return cost;
}

const RUN_LIMIT_S = 3600;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const perMinute = (count: number, ms: number): string => (count / (ms / 60_000)).toFixed(1);
const load = (): string => loadavg().map((value) => value.toFixed(1)).join(' ');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cohort: { type: 'string', default: '16' },
      'training-cohort': { type: 'string', default: '4' },
      jobs: { type: 'string', default: String(availableParallelism()) },
      'nbconvert-runs': { type: 'string', default: '3' },
    },
  });
  const jobs = Number(values.jobs);
  const nbconvertRuns = Number(values['nbconvert-runs']);
  console.log(`grader benchmark: ${availableParallelism()} cores, --jobs ${jobs}, load average at start ${load()}`);
  console.log('| work | convlab grade | serial nbconvert --execute | ratio |');
  console.log('|---|---:|---:|---:|');
  const cohorts = [[LIGHT, Number(values.cohort)], [TRAINING, Number(values['training-cohort'])]] as const;
  for (const [assignment, cohort] of cohorts.filter(([, size]) => size > 0)) {
    const nbconvert = await nbconvertCost(assignment, nbconvertRuns);
    const convlab = await gradeCost(assignment, cohort, jobs);
    console.log(`| ${assignment}, cohort of ${cohort}: submissions/minute | ${perMinute(cohort, convlab.wallMs)} (${seconds(convlab.wallMs)} total) `
      + `| ${perMinute(nbconvertRuns, nbconvert.wallMs)} (${seconds(nbconvert.wallMs / nbconvertRuns)} each, ${nbconvertRuns} runs) `
      + `| **${((cohort / convlab.wallMs) / (nbconvertRuns / nbconvert.wallMs)).toFixed(2)}×** |`);
    console.log(`| ${assignment}: CPU time per submission | ${seconds(convlab.cpuMs / cohort)} | ${seconds(nbconvert.cpuMs / nbconvertRuns)} `
      + `| **${((nbconvert.cpuMs / nbconvertRuns) / (convlab.cpuMs / cohort)).toFixed(2)}×** |`);
  }
  const nbconvertCold = await nbconvertCost(LIGHT, 1);
  const convlabCold = await gradeCost(LIGHT, 1, 1);
  console.log(`| ${LIGHT}, one cold submission: wall time (CPU time) | ${seconds(convlabCold.wallMs)} (${seconds(convlabCold.cpuMs)}) `
    + `| ${seconds(nbconvertCold.wallMs)} (${seconds(nbconvertCold.cpuMs)}) | **${(nbconvertCold.wallMs / convlabCold.wallMs).toFixed(2)}×** |`);
  console.log(`load average at end ${load()}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
