/**
 * `npm run bench:grader [-- --cohort N --training-cohort N --jobs N --nbconvert-runs N]`: what instructors wait for,
 * side by side in one run. For a light notebook (01) and a training one (07), a cohort graded by the `convlab grade`
 * CLI, against serial `jupyter nbconvert --execute` (execution only, as nbgrader does); the same cohort graded again
 * (a re-grade after a hidden test changed); then one cold submission each way. Every learner's notebook is the
 * solution with the learner's own line in each answer cell, so no two learners share an answer cell, as in a real
 * cohort. Every convlab figure is a whole CLI process, start-up included: no child or compile service is started
 * before the clock, and each first grading starts from an empty compile cache.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { CACHE_ENV } from '../src/core/cache';
import { GRADING_ENV } from '../src/grading';
import { cellSource, type Notebook } from '../grader/notebook/types';
import { projectPath } from '../grader/paths';

export const LIGHT = '01-conv-arithmetic';
const TRAINING = '07-unet';
const solutionOf = (assignment: string): string => projectPath('solutions', `${assignment}.ipynb`);

export interface Cost {
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

export async function timed(action: () => Promise<unknown>): Promise<Cost> {
  const start = performance.now();
  const cpuStart = childrenCpuMs();
  await action();
  return { wallMs: performance.now() - start, cpuMs: childrenCpuMs() - cpuStart };
}

/** The solution as learner `learner` hands it in: a line of the learner's own at the end of every answer cell. */
export function learnerNotebook(assignment: string, learner: string): string {
  const notebook = JSON.parse(readFileSync(solutionOf(assignment), 'utf8')) as Notebook;
  const cells = notebook.cells.map((cell) =>
    (cell.metadata.nbgrader?.solution === true ? { ...cell, source: `${cellSource(cell)}\n// ${learner}'s answer\n` } : cell));
  return JSON.stringify({ ...notebook, cells });
}

/** Learners' notebooks in `notebooks/` next to links to the kit, as learners' notebooks sit. */
function scratchNotebooks(assignment: string, count: number, first = 0): { dir: string; notebooks: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-bench-'));
  symlinkSync(projectPath('node_modules'), join(dir, 'node_modules'));
  symlinkSync(projectPath('dist'), join(dir, 'dist'));
  mkdirSync(join(dir, 'notebooks'));
  const notebooks = Array.from({ length: count }, (_, i) => {
    const learner = `student${first + i}`;
    const notebook = join(dir, 'notebooks', `${learner}_${assignment}.ipynb`);
    writeFileSync(notebook, learnerNotebook(assignment, learner));
    return notebook;
  });
  return { dir, notebooks };
}

/**
 * Wall time of `runs` serial `jupyter nbconvert --execute` runs with the project's tslab kernel (kernelspec install not
 * timed); a cell error fails the run, so every run is checked to succeed.
 */
export async function nbconvertCost(assignment: string, runs: number): Promise<Cost> {
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

/**
 * Wall time of one `convlab grade` process over `notebooks` (a fresh gradebook each time), with the compile cache in
 * `cache`; all must grade.
 */
async function gradeCost(assignment: string, notebooks: { dir: string; notebooks: string[] }, jobs: number, cache: string): Promise<Cost> {
  const { dir } = notebooks;
  const count = notebooks.notebooks.length;
  let stdout = '';
  const cost = await timed(async () => {
    ({ stdout } = await execa(process.execPath, [projectPath('dist', 'grader', 'cli.js'), 'grade', join(dir, 'notebooks'),
      '--assignment', assignment, '--jobs', String(jobs), '--db', join(mkdtempSync(join(dir, 'run-')), 'gradebook.sqlite'), '--json',
      // Limits generous enough for a loaded machine: this measures speed, not limits.
      '--timeout', String(RUN_LIMIT_S), '--cell-timeout', String(RUN_LIMIT_S)], { env: { [CACHE_ENV]: cache } }));
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
  const ratio = (convlab: Cost, count: number, nbconvert: Cost, runs: number): string =>
    `**${((count / convlab.wallMs) / (runs / nbconvert.wallMs)).toFixed(2)}×**`;
  const emptyCache = (): string => mkdtempSync(join(tmpdir(), 'convlab-bench-cache-'));
  for (const [assignment, cohort] of cohorts.filter(([, size]) => size > 0)) {
    const nbconvert = await nbconvertCost(assignment, nbconvertRuns);
    const learners = scratchNotebooks(assignment, cohort);
    const cache = emptyCache();
    const convlab = await gradeCost(assignment, learners, jobs, cache);
    const regrade = await gradeCost(assignment, learners, jobs, cache);
    const nbconvertCell = `${perMinute(nbconvertRuns, nbconvert.wallMs)} (${seconds(nbconvert.wallMs / nbconvertRuns)} each, ${nbconvertRuns} runs)`;
    console.log(`| ${assignment}, cohort of ${cohort}: submissions/minute | ${perMinute(cohort, convlab.wallMs)} (${seconds(convlab.wallMs)} total) `
      + `| ${nbconvertCell} | ${ratio(convlab, cohort, nbconvert, nbconvertRuns)} |`);
    console.log(`| ${assignment}: CPU time per submission | ${seconds(convlab.cpuMs / cohort)} | ${seconds(nbconvert.cpuMs / nbconvertRuns)} `
      + `| **${((nbconvert.cpuMs / nbconvertRuns) / (convlab.cpuMs / cohort)).toFixed(2)}×** |`);
    console.log(`| ${assignment}, the same cohort re-graded (compile cache warm): submissions/minute | ${perMinute(cohort, regrade.wallMs)} `
      + `(${seconds(regrade.wallMs)} total) | ${nbconvertCell} | ${ratio(regrade, cohort, nbconvert, nbconvertRuns)} |`);
  }
  // One learner's submission in a fresh process: with nothing cached, and as a late submission after the cohort
  // (its answer cells new to the cache, the cells every learner shares already compiled).
  const nbconvertCold = await nbconvertCost(LIGHT, 1);
  const cohortCache = emptyCache();
  await gradeCost(LIGHT, scratchNotebooks(LIGHT, 2), jobs, cohortCache);
  const late = scratchNotebooks(LIGHT, 1, 1000);
  const convlabCold = await gradeCost(LIGHT, late, 1, emptyCache());
  const convlabLate = await gradeCost(LIGHT, late, 1, cohortCache);
  const coldRow = (label: string, cost: Cost): string => `| ${LIGHT}, ${label}: wall time (CPU time) | ${seconds(cost.wallMs)} (${seconds(cost.cpuMs)}) `
    + `| ${seconds(nbconvertCold.wallMs)} (${seconds(nbconvertCold.cpuMs)}) | **${(nbconvertCold.wallMs / cost.wallMs).toFixed(2)}×** |`;
  console.log(coldRow('one cold submission, nothing cached', convlabCold));
  console.log(coldRow('one late submission after the cohort (shared cells cached)', convlabLate));
  console.log(`load average at end ${load()}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
