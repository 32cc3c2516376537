/**
 * Real processes for the queue tests (redis-server comes from grader/queue/local-redis): `convlab` processes, each in
 * its own process group so that a SIGKILL takes a worker's sandbox children with it (a machine gone).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { QUEUE_NAME, QUEUE_PREFIX } from '../../grader/queue/job';
import { parseRedisUrl } from '../../grader/queue/redis-url';
import { PROJECT_ROOT } from '../../grader/paths';
import { REDIS_SERVER } from '../../grader/queue/local-redis';
import { QUEUE_ENV, QUEUE_KEY_ENV } from '../../grader/queue/access';
import { waitForOutput } from './notebook-server';
import { runProgram, type CliResult } from './helpers';

const CLI = join(PROJECT_ROOT, 'dist', 'grader', 'cli.js');

/** The signing key of this test run's coordinators and workers. */
export const QUEUE_KEY = randomBytes(32).toString('hex');

/** How coordinators and workers are given the queue: the URL (password included) and the key in their environment. */
export const queueEnv = (url: string, key = QUEUE_KEY): NodeJS.ProcessEnv => ({ [QUEUE_ENV]: url, [QUEUE_KEY_ENV]: key });

/** Runs the built CLI to its end with the queue's environment. */
export const convlabOn = (url: string, args: readonly string[]): Promise<CliResult> => runProgram(process.execPath, [CLI, ...args], { env: queueEnv(url) });

/** Skips the suite, saying why, where Debian's redis-server is not installed (.ci/run installs it). */
export function requireRedis(suite: Mocha.Context): void {
  if (!existsSync(REDIS_SERVER)) {
    console.log(`      skipped: ${REDIS_SERVER} is not installed (apt-get install redis-server)`);
    suite.skip();
  }
}

/** A `convlab` process (a worker, or a coordinator to kill) and its output so far. */
export class ConvlabProcess {
  readonly child: ChildProcess;
  /** stdout and stderr as they came */
  output = '';
  stdout = '';
  readonly exited: Promise<number | null>;

  /** `env`: added to this process's environment (the queue's URL and key); `cli`: another build's (a stale copy) */
  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}, cli = CLI) {
    this.child = spawn(process.execPath, [cli, ...args],
      { cwd: PROJECT_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      this.stdout += chunk.toString();
    });
    this.child.stderr!.on('data', (chunk: Buffer) => { this.output += chunk.toString(); });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** `host:pid`, as BullMQ records which worker holds a job. */
  get name(): string {
    return `${hostname()}:${this.child.pid}`;
  }

  /** Students whose notebook this worker ran to the end ("ran 00-tiny of <student> in …" lines). */
  ran(): string[] {
    return [...this.output.matchAll(/^ran \S+ of (\S+) in /gm)].map((match) => match[1]!);
  }

  async listening(): Promise<void> {
    await waitForOutput(this.child, /waiting for submissions/);
  }

  /** SIGKILL to the whole process group: the worker and its sandbox children vanish together. */
  killGroup(): Promise<number | null> {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch { /* already gone */ }
    return this.exited;
  }

  /** SIGTERM: the worker finishes its jobs and says what it did. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}

/** Looks at the queue from outside, as an operator would (which jobs are running, on which worker). */
export function inspectQueue(url: string): Queue {
  return new Queue(QUEUE_NAME, { connection: { ...parseRedisUrl(url).options, maxRetriesPerRequest: null }, prefix: QUEUE_PREFIX });
}

/** Polls `check` every 200 ms until it returns true. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
