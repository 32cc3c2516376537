/**
 * `npm run bench:queue [-- --cohort N]`: submissions per minute for local grading and for the queue at the same
 * parallelism, side by side in one run: local `--jobs 1` against one worker `--jobs 1`, local `--jobs 2` against one
 * worker `--jobs 2` (the same shape: one compile service, one warm child), and against two workers `--jobs 1` each (the
 * shape of two machines, here sharing one: each worker has its own compile service and warm child). Each figure is the wall time of the coordinator (or local) `convlab grade` process with
 * the workers started at the same moment, so their warm-up counts as local grading's does. Default limits: a worker
 * warms its first sandbox child for them before any job comes, as local grading warms its own. Every run starts from
 * an empty compile cache, so that no run reuses what an earlier one compiled.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { CACHE_ENV } from '../src/core/cache';
import { projectPath } from '../grader/paths';
import { QUEUE_ENV, QUEUE_KEY_ENV } from '../grader/queue/access';
import { LocalRedis } from '../grader/queue/local-redis';

const ASSIGNMENT = '01-conv-arithmetic';
const CLI = projectPath('dist', 'grader', 'cli.js');

/** `count` copies of the solution, one per learner. */
function cohortOf(count: number): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'convlab-bench-queue-')), 'submissions');
  mkdirSync(dir);
  for (let i = 0; i < count; i++) copyFileSync(projectPath('solutions', `${ASSIGNMENT}.ipynb`), join(dir, `learner${i}_${ASSIGNMENT}.ipynb`));
  return dir;
}

/** The environment of a grading process whose compile cache starts empty (`cache`: a fresh folder), and its queue if any. */
const withCache = (cache: string, queue: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ...process.env, [CACHE_ENV]: cache, ...queue });
const emptyCache = (): string => mkdtempSync(join(tmpdir(), 'convlab-bench-queue-cache-'));

/** Grades the cohort into a fresh gradebook; every submission must come out graded. Returns the wall time in ms. */
async function gradeCohort(dir: string, count: number, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const db = join(mkdtempSync(join(tmpdir(), 'convlab-bench-queue-db-')), 'gradebook.sqlite');
  const start = performance.now();
  const { stdout } = await execa(process.execPath, [CLI, 'grade', dir, '--assignment', ASSIGNMENT, '--db', db, '--json', ...args], { env });
  const wallMs = performance.now() - start;
  const results = (JSON.parse(stdout) as { results: { status: string; error?: string }[] }).results;
  const failed = results.filter((result) => result.status !== 'graded');
  if (results.length !== count || failed.length > 0) throw new Error(`benchmark submissions not all graded: ${failed[0]?.error ?? `${results.length} of ${count}`}`);
  return wallMs;
}

/** The queue: `workers` worker processes (`--jobs workerJobs` each) start with the coordinator; stopped (SIGTERM) after it. */
async function gradeOnQueue(dir: string, count: number, redis: LocalRedis, db: number, workers: number, workerJobs: number): Promise<number> {
  const env = withCache(emptyCache(), { [QUEUE_ENV]: redis.url(db), [QUEUE_KEY_ENV]: randomBytes(32).toString('hex') });
  const started = Array.from({ length: workers }, () =>
    spawn(process.execPath, [CLI, 'worker', '--jobs', String(workerJobs)], { stdio: 'ignore', env }));
  try {
    return await gradeCohort(dir, count, ['--queue'], env);
  } finally {
    await Promise.all(started.map((worker) => new Promise((resolve) => {
      worker.on('exit', resolve);
      worker.kill('SIGTERM');
    })));
  }
}

/** Local `--jobs` against the same parallelism on the queue. */
const SHAPES = [
  { jobs: 1, workers: 1, workerJobs: 1 },
  { jobs: 2, workers: 1, workerJobs: 2 },
  { jobs: 2, workers: 2, workerJobs: 1 },
] as const;

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
    for (const [row, { jobs, workers, workerJobs }] of SHAPES.entries()) {
      const localMs = await gradeCohort(dir, count, ['--jobs', String(jobs)], withCache(emptyCache()));
      const queueMs = await gradeOnQueue(dir, count, redis, row + 1, workers, workerJobs);
      console.log(`| \`--jobs ${jobs}\` / ${workers} worker${workers > 1 ? 's' : ''} \`--jobs ${workerJobs}\` `
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
