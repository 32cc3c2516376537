import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Assignment } from '../assignment';
import { messageOf } from '../errors';
import { regradeReasons } from '../fingerprint';
import type { FingerprintParts } from '../model/results';
import { sandboxLimits, type WorkerOptions } from '../options';
import { PROJECT_ROOT } from '../paths';
import { OpenRun } from '../pipeline/open-run';
import { limitsKey, type SandboxLimits } from '../sandbox/limits';
import { networkIsolation, type NetworkIsolation } from '../sandbox/network';
import { checkRedis, lastingConnection, oneLine } from './connection';
import { MAX_REDELIVERIES, QUEUE_NAME, QUEUE_PREFIX, REFUSED, type GradingJobData, type GradingJobResult } from './job';
import { outcomeBinding, signOutcome } from './outcome';
import { parseRedisUrl } from './redis-url';

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

/** Parts of the grading fingerprint this machine's course copy decides; the others, the convlab it runs. */
const COURSE_PARTS: readonly (keyof FingerprintParts)[] = ['tests', 'release', 'limits'];

/**
 * Why this worker's grading setup differs from the coordinator's, in one line: its course copy (hidden tests, release,
 * limits) and its own build (convlab's version; kit build, packages or Node), each named with what differs.
 */
export function setupDifference(root: string, coordinator: FingerprintParts, own: FingerprintParts): string {
  const differing = regradeReasons(coordinator, own);
  const course = regradeReasons(coordinator, { ...coordinator, ...pick(own, COURSE_PARTS) });
  const build = differing.filter((reason) => !course.includes(reason));
  const what = (reasons: readonly string[]): string => reasons.map((reason) => reason.replace(/ changed$/, '')).join(', ');
  return [
    ...(course.length > 0 ? [`its course copy at ${root} differs from the coordinator's (${what(course)})`] : []),
    ...(build.length > 0 ? [`its convlab at ${PROJECT_ROOT} differs from the coordinator's (${what(build)})`] : []),
  ].join('; ');
}

const pick = (parts: FingerprintParts, names: readonly (keyof FingerprintParts)[]): Partial<FingerprintParts> =>
  Object.fromEntries(names.map((name) => [name, parts[name]]));

/**
 * This machine's grading kit: a grading run of its course copy per set of limits (a child and a compile service
 * warming in each). A job is graded only when this course and this build give the job's assignment the coordinator's
 * grading fingerprint.
 */
class Kit {
  private readonly runs = new Map<string, OpenRun>();

  constructor(private readonly options: WorkerOptions) {
    // The coordinator's defaults are the likeliest limits: a child starts warming before the first job.
    this.runFor(sandboxLimits());
  }

  /** The job's run and assignment, or why this worker must refuse the job. */
  prepare(data: GradingJobData): { run: OpenRun; assignment: Assignment } | string {
    const run = this.runFor(data.limits);
    let assignment: Assignment;
    try {
      assignment = run.assignment(data.assignment);
    } catch (error) {
      return `its course at ${this.options.root} cannot grade it (${messageOf(error)})`;
    }
    const own = run.fingerprint(assignment);
    return own.id === data.fingerprint.id ? { run, assignment } : setupDifference(this.options.root, data.fingerprint.parts, own.parts);
  }

  dispose(): void {
    for (const run of this.runs.values()) run.dispose();
  }

  private runFor(limits: SandboxLimits): OpenRun {
    const key = limitsKey(limits);
    let run = this.runs.get(key);
    if (!run) this.runs.set(key, run = new OpenRun({ root: this.options.root, tests: this.options.tests, limits, children: Infinity }));
    return run;
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
    const prepared = kit.prepare(data);
    if (typeof prepared === 'string') {
      summary.refused += 1;
      onEvent({ kind: 'refused', ...about, reason: prepared });
      throw new UnrecoverableError(`${REFUSED}on ${name} refused ${data.assignment} for ${data.student}: ${prepared}`);
    }
    const outcome = await prepared.run.runner.run(data.notebook, prepared.assignment);
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
