import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { loadAssignment, type Assignment } from '../assignment';
import { messageOf } from '../errors';
import { gradingFingerprint, regradeReasons } from '../fingerprint';
import { sandboxLimits } from '../options';
import { CompileCache } from '../sandbox/compile-cache';
import { CompileService } from '../sandbox/compiler';
import { childJob, releasedLeadingCells } from '../sandbox/job';
import { networkIsolation, type NetworkIsolation } from '../sandbox/network';
import { SandboxPool } from '../sandbox/pool';
import type { SandboxLimits, SandboxOutcome } from '../sandbox/session';
import { checkRedis, lastingConnection, oneLine } from './connection';
import type { QueueAccess } from './access';
import { MAX_REDELIVERIES, QUEUE_NAME, QUEUE_PREFIX, REFUSED, type GradingJobData, type GradingJobResult } from './job';
import { outcomeBinding, signOutcome } from './outcome';
import { parseRedisUrl } from './redis-url';

/** Options of `convlab worker`, normalized. */
export interface WorkerOptions {
  /** the Redis URL and the key this worker signs outcomes with */
  readonly queue: QueueAccess;
  /** this machine's copy of the course: its hidden tests grade the jobs */
  readonly root: string;
  readonly tests: readonly string[];
  /** submissions graded at once */
  readonly jobs: number;
  /** seconds without a sign of life before this worker's job goes to another worker */
  readonly stallTimeout: number;
}

/** What a worker reports as it goes (the printer writes one line each). */
export type WorkerEvent =
  | { readonly kind: 'listening'; readonly worker: string; readonly queue: string; readonly root: string; readonly jobs: number; readonly network: NetworkIsolation }
  | { readonly kind: 'ran'; readonly assignment: string; readonly student: string; readonly durationMs: number; readonly termination?: string }
  | { readonly kind: 'refused'; readonly assignment: string; readonly student: string; readonly reason: string }
  | { readonly kind: 'failed'; readonly assignment: string; readonly student: string; readonly reason: string }
  | { readonly kind: 'connection'; readonly message: string };

export interface WorkerSummary {
  readonly worker: string;
  readonly ran: number;
  readonly refused: number;
}

/** Jobs one compile service serves before a fresh one takes over: its cache of compiled cells grows with each new cell. */
const COMPILER_JOBS = 500;

/**
 * Runs jobs of one set of limits: a warm sandbox child always waiting, and a compile service shared by the jobs (as
 * in one local run), replaced every COMPILER_JOBS jobs so that a worker running for weeks keeps a bounded cache.
 */
class Runner {
  private readonly pool: SandboxPool;
  private compiler: CompileService;
  private served = 0;
  /** jobs still using each compile service; a replaced one stops when its last job ends */
  private readonly users = new Map<CompileService, number>();
  /** compiled cells kept on this machine across jobs and runs (a re-delivered job, a re-grade) */
  private readonly cache = new CompileCache();

  constructor(private readonly limits: SandboxLimits) {
    this.pool = new SandboxPool(limits, Infinity);
    this.compiler = this.startCompiler();
    this.pool.startAhead();
  }

  async run(data: GradingJobData, assignment: Assignment): Promise<SandboxOutcome> {
    if (++this.served > COMPILER_JOBS) {
      const retired = this.compiler;
      this.compiler = this.startCompiler();
      this.served = 1;
      this.release(retired, 0);
    }
    const compiler = this.compiler;
    this.users.set(compiler, this.users.get(compiler)! + 1);
    try {
      const work = childJob(data.notebook, assignment.specs, this.limits);
      return await this.pool.take().run(work, compiler.compileCells(work), releasedLeadingCells(work, assignment.released));
    } finally {
      this.release(compiler, 1);
    }
  }

  dispose(): void {
    this.pool.dispose();
    for (const compiler of this.users.keys()) compiler.dispose();
  }

  private startCompiler(): CompileService {
    const compiler = new CompileService(this.limits, this.cache);
    compiler.start();
    this.users.set(compiler, 0);
    return compiler;
  }

  /** One user fewer; a compile service no longer current and no longer used stops. */
  private release(compiler: CompileService, users: number): void {
    const left = this.users.get(compiler)! - users;
    this.users.set(compiler, left);
    if (left === 0 && compiler !== this.compiler) {
      compiler.dispose();
      this.users.delete(compiler);
    }
  }
}

/**
 * This machine's grading kit: assignments loaded from its course copy, and runners by limits. A job is graded only
 * when this course gives the job's assignment the coordinator's grading fingerprint.
 */
class Kit {
  private readonly assignments = new Map<string, Assignment | Error>();
  private readonly runners = new Map<string, Runner>();

  constructor(private readonly options: WorkerOptions) {
    // The coordinator's defaults are the likeliest limits: a child starts warming before the first job.
    this.runnerFor(sandboxLimits());
  }

  /** The assignment to grade the job with, or why this worker must refuse it. */
  assignmentFor(data: GradingJobData): Assignment | string {
    if (!this.assignments.has(data.assignment)) {
      try {
        this.assignments.set(data.assignment, loadAssignment({ root: this.options.root }, data.assignment, this.options.tests));
      } catch (error) {
        this.assignments.set(data.assignment, error as Error);
      }
    }
    const assignment = this.assignments.get(data.assignment)!;
    if (assignment instanceof Error) return `its course at ${this.options.root} cannot grade it (${messageOf(assignment)})`;
    const own = gradingFingerprint({ assignment, limits: data.limits });
    if (own.id === data.fingerprint.id) return assignment;
    const differences = regradeReasons(data.fingerprint.parts, own.parts).map((reason) => reason.replace(/ changed$/, ''));
    return `its course copy at ${this.options.root} differs from the coordinator's (${differences.join(', ')})`;
  }

  runnerFor(limits: SandboxLimits): Runner {
    const key = JSON.stringify([limits.timeoutMs, limits.cellTimeoutMs, limits.testTimeoutMs, limits.maxOldSpaceMb]);
    let runner = this.runners.get(key);
    if (!runner) this.runners.set(key, runner = new Runner(limits));
    return runner;
  }

  dispose(): void {
    for (const runner of this.runners.values()) runner.dispose();
  }
}

/**
 * `convlab worker`: takes grading jobs from the queue until `stop` resolves, runs each in a sandbox child with the job's
 * limits and this machine's hidden tests, and returns the child's outcome signed for the job. A job whose grading setup
 * this course does not reproduce is refused (failed at once, never retried), so nothing is graded with other tests.
 */
export async function runWorker(options: WorkerOptions, onEvent: (event: WorkerEvent) => void, stop: Promise<void>): Promise<WorkerSummary> {
  const address = parseRedisUrl(options.queue.url);
  await checkRedis(address);
  const name = `${hostname()}:${process.pid}`;
  const kit = new Kit(options);
  const summary = { worker: name, ran: 0, refused: 0 };
  const runJob = async ({ id, data }: Job<GradingJobData, GradingJobResult>): Promise<GradingJobResult> => {
    const about = { assignment: data.assignment, student: data.student };
    const assignment = kit.assignmentFor(data);
    if (typeof assignment === 'string') {
      summary.refused += 1;
      onEvent({ kind: 'refused', ...about, reason: assignment });
      throw new UnrecoverableError(`${REFUSED}on ${name} refused ${data.assignment} for ${data.student}: ${assignment}`);
    }
    const outcome = await kit.runnerFor(data.limits).run(data, assignment);
    summary.ran += 1;
    onEvent({ kind: 'ran', ...about, durationMs: outcome.durationMs, ...(outcome.termination !== undefined ? { termination: outcome.termination } : {}) });
    return signOutcome(options.queue.key, outcomeBinding(id!, data), outcome);
  };
  const stallMs = options.stallTimeout * 1000;
  const worker = new Worker<GradingJobData, GradingJobResult>(QUEUE_NAME, runJob, {
    connection: lastingConnection(address), prefix: QUEUE_PREFIX, concurrency: options.jobs, name,
    lockDuration: stallMs, stalledInterval: stallMs, maxStalledCount: MAX_REDELIVERIES,
  });
  let lastProblem = '';
  worker.on('error', (error) => {
    const message = oneLine(messageOf(error));
    if (message !== lastProblem) onEvent({ kind: 'connection', message: `Redis at ${address.display}: ${message}` });
    lastProblem = message;
  });
  worker.on('ready', () => { lastProblem = ''; });
  worker.on('failed', (job, error) => {
    if (job && !error.message.startsWith(REFUSED)) onEvent({ kind: 'failed', assignment: job.data.assignment, student: job.data.student, reason: oneLine(error.message) });
  });
  try {
    await worker.waitUntilReady();
    onEvent({ kind: 'listening', worker: name, queue: address.display, root: options.root, jobs: options.jobs, network: networkIsolation() });
    await stop;
    await worker.close();
    return summary;
  } finally {
    kit.dispose();
  }
}
