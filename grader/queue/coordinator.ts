import { Queue, QueueEvents, type Job } from 'bullmq';
import type { EventEmitter } from 'node:events';
import { messageOf, OutsideFailure } from '../errors';
import { AUTOGRADE, SANITIZE } from '../pipeline';
import type { GradingContext, Stage } from '../pipeline/context';
import { execute } from '../pipeline/execute';
import type { SandboxOutcome } from '../sandbox/session';
import type { QueueAccess } from './access';
import { checkRedis, lastingConnection, oneLine, QueueError } from './connection';
import { gradingJobId, JOB_OPTIONS, QUEUE_NAME, QUEUE_PREFIX, REFUSED, type GradingJobData, type GradingJobResult } from './job';
import { openOutcome, outcomeBinding, RefusedOutcome, type ExpectedOutcome } from './outcome';
import { parseRedisUrl, type RedisAddress } from './redis-url';

/** Submissions in the queue at once: enough to keep many workers busy, few enough that Redis holds megabytes, not gigabytes. */
const IN_FLIGHT = 200;
/** How often every job still awaited is looked up, besides the queue's events: a missed event or a Redis restart that lost jobs. */
const SWEEP_MS = 2000;
/** How long Redis may stay unreachable before the run stops (what was recorded stays; a rerun grades the rest). */
const REDIS_DOWN_LIMIT_MS = 30_000;

const STALLED = 'job stalled more than allowable limit';
/** How a submission whose outcome was refused is recorded: an error of the queue's, graded again by the next run. */
const REFUSED_OUTCOME = 'the outcome returned from the queue was refused';

interface Waiter {
  readonly data: GradingJobData;
  readonly expected: ExpectedOutcome;
  readonly resolve: (outcome: SandboxOutcome) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The coordinator's side of `convlab grade --queue`: an execute stage that sends the sanitized notebook to the queue
 * and waits for a worker's outcome, so that scoring and every side effect stay in this process. Finished jobs wait in
 * Redis (result as return value, deterministic id) until a coordinator collects them, this one or the next run's. An
 * outcome is used only when it is signed with the queue key for this very job and has the shape of one (see outcome.ts).
 */
export class QueueCoordinator {
  /** the grading stages with the sandbox run replaced by the queue */
  readonly stages: readonly Stage[];
  readonly inFlight = IN_FLIGHT;
  private readonly waiters = new Map<string, Waiter>();
  private readonly sweeper: NodeJS.Timeout;
  /** runs while Redis is unreachable; stops the run when it fires */
  private outageTimer?: NodeJS.Timeout;
  /** when the lookups of jobs started failing (undefined while they work) */
  private failingSince?: number;
  private stopReason?: QueueError;
  /** set by close: the connections closing then are not an outage */
  private closing = false;
  private stop!: (reason: QueueError) => void;
  /** rejects when the run cannot go on (a worker refused a job, Redis gone too long) */
  private readonly stopped = new Promise<never>((_, reject) => { this.stop = reject; });

  private constructor(private readonly address: RedisAddress, private readonly key: string, private readonly queue: Queue,
    private readonly events: QueueEvents, client: EventEmitter) {
    this.stopped.catch(() => undefined);
    const remote: Stage = { name: execute.name, sanitizes: false, run: (context) => this.execute(context) };
    this.stages = [...SANITIZE, ...AUTOGRADE.map((stage) => (stage === execute ? remote : stage))];
    const settle = ({ jobId }: { jobId: string }): void => { void this.settle(jobId); };
    events.on('completed', settle);
    events.on('failed', settle);
    events.on('error', () => undefined);
    queue.on('error', () => undefined);
    this.sweeper = setInterval(() => { for (const id of this.waiters.keys()) void this.settle(id); }, SWEEP_MS);
    client.on('ready', () => {
      clearTimeout(this.outageTimer);
      this.outageTimer = undefined;
    });
    client.on('close', () => {
      if (this.closing) return;
      this.outageTimer ??= setTimeout(() => this.halt(new QueueError(`lost Redis at ${this.address.display} for ${REDIS_DOWN_LIMIT_MS / 1000} s: `
        + 'what was graded is in the gradebook; run the same command again to grade the rest')), REDIS_DOWN_LIMIT_MS);
    });
  }

  /** Checks that Redis answers at the URL (a QueueError in one line if not), then opens the queue. */
  static async connect(access: QueueAccess): Promise<QueueCoordinator> {
    const address = parseRedisUrl(access.url);
    await checkRedis(address);
    const connection = lastingConnection(address);
    const queue = new Queue<GradingJobData, GradingJobResult>(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
    const events = new QueueEvents(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    // ioredis under BullMQ's client interface: its connection events say when Redis goes away and comes back.
    return new QueueCoordinator(address, access.key, queue, events, (await queue.client) as unknown as EventEmitter);
  }

  /** The lanes' work, unless the run stops first: then the stop's error (the lanes left hang, recording nothing more). */
  guard<T>(work: Promise<T>): Promise<T> {
    work.catch(() => undefined);
    return Promise.race([work, this.stopped]);
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.sweeper);
    clearTimeout(this.outageTimer);
    // Nothing is left to flush. A graceful close sends QUIT, which waits for a Redis that may be gone: it only marks the
    // connections closing, and the sockets are cut here.
    const clients = await Promise.all([this.events.client, this.queue.client]);
    void Promise.allSettled([this.events.close(), this.queue.close()]);
    for (const client of clients) client.disconnect();
  }

  /** Queues the sanitized notebook (unless its job is already there) and waits for the outcome. */
  private async execute(context: GradingContext): Promise<GradingContext> {
    const { run, source } = context;
    const id = gradingJobId(run.assignment.name, source.student, context.contentHash!, run.fingerprint.id);
    const data: GradingJobData = {
      assignment: run.assignment.name, student: source.student, contentHash: context.contentHash!, notebook: context.notebook!,
      limits: run.limits, fingerprint: run.fingerprint,
    };
    const expected = { binding: outcomeBinding(id, data), tests: run.assignment.tests.length, cells: data.notebook.cells.length };
    const outcome = new Promise<SandboxOutcome>((resolve, reject) => this.waiters.set(id, { data, expected, resolve, reject }));
    if (this.stopReason) return new Promise(() => undefined);
    // A finished job of an earlier run is collected, unless --force asks for a new grading; one that failed is tried
    // again, unless it took its workers down every time.
    const state = await this.queue.getJobState(id);
    if ((state === 'completed' && run.force) || (state === 'failed' && (run.force || !isStalledTooOften(await this.queue.getJob(id))))) {
      await this.queue.remove(id);
    }
    await this.settle(id);
    return { ...context, outcome: await outcome };
  }

  /** Looks the job up: collects a finished one, queues a missing one (never queued, or lost by Redis). */
  private async settle(id: string): Promise<void> {
    const waiter = this.waiters.get(id);
    if (!waiter || this.stopReason) return;
    try {
      // The state first, then the job: a job read before it finished would carry no result.
      const state = await this.queue.getJobState(id);
      this.failingSince = undefined;
      if (state === 'unknown') {
        await this.queue.add(waiter.data.assignment, waiter.data, { ...JOB_OPTIONS, jobId: id });
        return;
      }
      if (state !== 'completed' && state !== 'failed') return;
      const job: Job<GradingJobData, GradingJobResult> | undefined = await this.queue.getJob(id);
      if (!job || !this.waiters.delete(id)) return;
      if (state === 'completed') this.collect(waiter, job.returnvalue);
      else if (job.failedReason.startsWith(REFUSED)) {
        return this.halt(new QueueError(`a worker ${job.failedReason.slice(REFUSED.length)}: run the workers on the same course and convlab build as this command, then run it again`));
      } else waiter.reject(isStalledTooOften(job) ? new Error(failureOf(job)) : new OutsideFailure(failureOf(job)));
      await job.remove();
    } catch (error) {
      // Redis away for a moment: the next sweep tries again; a failure that lasts stops the run.
      this.failingSince ??= Date.now();
      if (Date.now() - this.failingSince > REDIS_DOWN_LIMIT_MS) this.halt(new QueueError(`Redis at ${this.address.display} keeps failing: ${oneLine(messageOf(error))}`));
    }
  }

  /** Scores a checked outcome; a refused one makes the submission an error that names why (never the forged score). */
  private collect(waiter: Waiter, value: unknown): void {
    try {
      waiter.resolve(openOutcome(this.key, waiter.expected, value));
    } catch (error) {
      if (!(error instanceof RefusedOutcome)) throw error;
      waiter.reject(new OutsideFailure(`${REFUSED_OUTCOME}: ${error.message}`));
    }
  }

  private halt(reason: QueueError): void {
    this.stopReason ??= reason;
    this.stop(this.stopReason);
  }
}

const isStalledTooOften = (job: Job | undefined): boolean => job?.failedReason === STALLED;

/** Why a job failed, in words for the learner's result. */
function failureOf(job: Job): string {
  return isStalledTooOften(job)
    ? `the grading machine stopped ${job.stalledCounter} times while running this notebook; it was not tried again`
    : `the grader failed on a worker: ${oneLine(job.failedReason)}`;
}
