/**
 * `npm run bench:queue [-- --cohort N]`: submissions per minute for local grading and for the queue at the same
 * parallelism, side by side in one run: local `--jobs 1` against one worker `--jobs 1`, and local `--jobs 2` against
 * two workers `--jobs 1` each. Each figure is the wall time of the coordinator (or local) `convlab grade` process with
 * the workers started at the same moment, so their warm-up counts as local grading's does. Default limits: a worker
 * warms its first sandbox child for them before any job comes, as local grading warms its own.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { projectPath } from '../paths';
import { LocalRedis } from './local-redis';

const ASSIGNMENT = '01-conv-arithmetic';
const CLI = projectPath('dist', 'grader', 'cli.js');

/** `count` copies of the solution, one per learner. */
function cohortOf(count: number): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'convlab-bench-queue-')), 'submissions');
  mkdirSync(dir);
  for (let i = 0; i < count; i++) copyFileSync(projectPath('solutions', `${ASSIGNMENT}.ipynb`), join(dir, `learner${i}_${ASSIGNMENT}.ipynb`));
  return dir;
}

/** Grades the cohort into a fresh gradebook; every submission must come out graded. Returns the wall time in ms. */
async function gradeCohort(dir: string, count: number, args: readonly string[]): Promise<number> {
  const db = join(mkdtempSync(join(tmpdir(), 'convlab-bench-queue-db-')), 'gradebook.sqlite');
  const start = performance.now();
  const { stdout } = await execa(process.execPath, [CLI, 'grade', dir, '--assignment', ASSIGNMENT, '--db', db, '--json', ...args]);
  const wallMs = performance.now() - start;
  const results = (JSON.parse(stdout) as { results: { status: string; error?: string }[] }).results;
  const failed = results.filter((result) => result.status !== 'graded');
  if (results.length !== count || failed.length > 0) throw new Error(`benchmark submissions not all graded: ${failed[0]?.error ?? `${results.length} of ${count}`}`);
  return wallMs;
}

/** The queue: `workers` worker processes (`--jobs 1` each) start with the coordinator; stopped (SIGTERM) after it. */
async function gradeOnQueue(dir: string, count: number, redis: LocalRedis, db: number, workers: number): Promise<number> {
  const started = Array.from({ length: workers }, () =>
    spawn(process.execPath, [CLI, 'worker', '--queue', redis.url(db), '--jobs', '1'], { stdio: 'ignore' }));
  try {
    return await gradeCohort(dir, count, ['--queue', redis.url(db)]);
  } finally {
    await Promise.all(started.map((worker) => new Promise((resolve) => {
      worker.on('exit', resolve);
      worker.kill('SIGTERM');
    })));
  }
}

const perMinute = (count: number, ms: number): string => (count / (ms / 60_000)).toFixed(1);
const load = (): string => loadavg().map((value) => value.toFixed(1)).join(' ');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { cohort: { type: 'string', default: '8' } } });
  const count = Number(values.cohort);
  const dir = cohortOf(count);
  const redis = await LocalRedis.start();
  try {
    console.log(`queue benchmark: ${ASSIGNMENT}, cohort of ${count}, ${availableParallelism()} cores, load average at start ${load()}`);
    console.log('| parallelism | local convlab grade | queue (coordinator + workers) | queue cost |');
    console.log('|---|---:|---:|---:|');
    for (const parallelism of [1, 2]) {
      const localMs = await gradeCohort(dir, count, ['--jobs', String(parallelism)]);
      const queueMs = await gradeOnQueue(dir, count, redis, parallelism, parallelism);
      console.log(`| ${parallelism === 1 ? '`--jobs 1` / 1 worker' : '`--jobs 2` / 2 workers'} `
        + `| ${perMinute(count, localMs)}/min (${(localMs / 1000).toFixed(1)} s) | ${perMinute(count, queueMs)}/min (${(queueMs / 1000).toFixed(1)} s) `
        + `| ${(100 * (queueMs / localMs - 1)).toFixed(1)}% |`);
    }
    console.log(`load average at end ${load()}`);
  } finally {
    await redis.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
