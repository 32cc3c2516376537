/**
 * The grading queue against whoever can use its Redis (real redis-server with requirepass, a real `convlab worker`,
 * coordinators as users run them): an outcome counts only when a worker signed it with $CONVLAB_QUEUE_KEY for that
 * very job; the queue's URL and password come from the environment, and a Redis without a password is refused.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Worker, type Job } from 'bullmq';
import { QUEUE_NAME, QUEUE_PREFIX, type GradingJobData, type SignedOutcome } from '../../../grader/queue/job';
import { LocalRedis } from '../../../grader/queue/local-redis';
import { outcomeBinding, signOutcome } from '../../../grader/queue/outcome';
import { parseRedisUrl } from '../../../grader/queue/redis-url';
import type { SandboxOutcome } from '../../../grader/sandbox/session';
import { COURSE, runProgram, tempDir, TINY, TINY_SUBMISSIONS, writeFile, type CliResult } from '../../support/helpers';
import { PROJECT_ROOT } from '../../../grader/paths';
import { ConvlabProcess, convlabOn, QUEUE_KEY, queueEnv, requireRedis } from '../../support/queue-processes';

const PASSWORD = 'queue-password-7f3a';
const LIMITS = ['--timeout', '120', '--cell-timeout', '60'];
const CLI = join(PROJECT_ROOT, 'dist', 'grader', 'cli.js');

/** Every hidden test of the tiny assignment passed: 5 of 5 points. */
const PERFECT: SandboxOutcome = {
  cells: [], tests: [0, 1, 2, 3].map((position) => ({ position, status: 'passed' as const })),
  executed: true, outputTail: '', forgedLines: 0, durationMs: 1,
};

const ALICE = writeFile(join(tempDir(), `alice_${TINY}.ipynb`), TINY_SUBMISSIONS.correct());
/** Honestly worth 2 of 5. */
const BOB = writeFile(join(tempDir(), `bob_${TINY}.ipynb`), TINY_SUBMISSIONS.wrong());

interface Row { readonly student: string; readonly status: string; readonly score: number; readonly error?: string }

const gradeArgs = (submission: string, db: string): string[] =>
  ['grade', submission, '--assignment', TINY, '--root', COURSE, '--db', db, '--json', ...LIMITS, '--queue'];

function onlyRow(result: CliResult): Row {
  expect(result.exitCode, result.stderr).to.equal(0);
  const [{ student, status, score, error }] = (JSON.parse(result.stdout) as { results: Row[] }).results as [Row];
  return { student, status, score, ...(error !== undefined ? { error } : {}) };
}

/** The gradebook's attempts of a student: status and score. */
function attempts(db: string, student: string): { status: string; score: number }[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare('SELECT status, score FROM submissions WHERE student = ? ORDER BY id').all(student) as { status: string; score: number }[];
  } finally {
    sqlite.close();
  }
}

/** A "worker" that anyone able to use Redis can run: it takes jobs and completes them with whatever `answer` returns. */
function fakeWorker(url: string, answer: (job: Job<GradingJobData>) => unknown): Worker {
  return new Worker(QUEUE_NAME, async (job: Job<GradingJobData>) => answer(job),
    { connection: { ...parseRedisUrl(url).options, maxRetriesPerRequest: null }, prefix: QUEUE_PREFIX });
}

/** Grades one submission with `grade --queue` while only the fake worker serves that Redis database. */
async function gradeWithFake(url: string, submission: string, db: string, answer: (job: Job<GradingJobData>) => unknown): Promise<Row> {
  const worker = fakeWorker(url, answer);
  try {
    await worker.waitUntilReady();
    return onlyRow(await convlabOn(url, gradeArgs(submission, db)));
  } finally {
    await worker.close();
  }
}

const newGradebook = (): string => join(tempDir(), 'gradebook.sqlite');

const refused = (reason: string): string =>
  `execute failed: the outcome returned from the queue was refused: ${reason}; not caused by the submission: the next run grades it again (attempt 1 of 3)`;

describe('security/queue: only outcomes signed for their job are recorded (redis-server with requirepass)', function () {
  this.timeout(300_000);
  let redis: LocalRedis;
  /** a real worker with the key, on database 1 */
  let honest: ConvlabProcess;

  before(async function () {
    requireRedis(this);
    redis = await LocalRedis.start(PASSWORD);
    honest = new ConvlabProcess(['worker', '--root', COURSE, '--jobs', '1'], queueEnv(redis.url(1)));
    await honest.listening();
  });

  after(async () => {
    await honest?.killGroup();
    await redis?.kill();
  });

  describe('a Redis user without the key completes the job with a perfect score', () => {
    const db = join(tempDir(), 'gradebook.sqlite');
    let forged: Row;
    let again: Row;

    before(async () => {
      forged = await gradeWithFake(redis.url(2), BOB, db, () => PERFECT);
      again = onlyRow(await convlabOn(redis.url(1), gradeArgs(BOB, db)));
    });

    it('records an error that says why, never the forged score', () => {
      expect(forged).to.deep.equal({
        student: 'bob', status: 'error', score: 0,
        error: refused('it is not signed (a worker without CONVLAB_QUEUE_KEY, or a value written into Redis)'),
      });
    });

    it('is graded again by the next run, with its honest score replacing the error', () => {
      expect(again).to.deep.equal({ student: 'bob', status: 'graded', score: 2 });
      expect(attempts(db, 'bob')).to.deep.equal([{ status: 'graded', score: 2 }]);
    });
  });

  it('refuses an outcome signed with another key', async () => {
    const otherKey = randomBytes(32).toString('hex');
    const row = await gradeWithFake(redis.url(3), BOB, newGradebook(), (job) => signOutcome(otherKey, outcomeBinding(job.id!, job.data), PERFECT));
    expect(row).to.deep.equal({ student: 'bob', status: 'error', score: 0, error: refused('its signature does not match this job (another key, or an outcome for another job or notebook)') });
  });

  it("refuses a genuine outcome of another learner's job replayed onto this one", async () => {
    const db = newGradebook();
    let alicesOutcome: SignedOutcome | undefined;
    // What an honest worker returns for alice's job (signed with the key, for that job), kept by whoever reads Redis.
    const alice = await gradeWithFake(redis.url(4), ALICE, db, (job) => (alicesOutcome = signOutcome(QUEUE_KEY, outcomeBinding(job.id!, job.data), PERFECT)));
    const bob = await gradeWithFake(redis.url(4), BOB, db, () => alicesOutcome);
    expect(alice).to.deep.equal({ student: 'alice', status: 'graded', score: 5 });
    expect(bob).to.deep.equal({ student: 'bob', status: 'error', score: 0, error: refused('its signature does not match this job (another key, or an outcome for another job or notebook)') });
  });

  it("refuses a signed outcome that reports a test twice (a worker's outcome must be the job's tests, once each)", async () => {
    const twice = { ...PERFECT, tests: [...PERFECT.tests, { position: 0, status: 'passed' as const }] };
    const row = await gradeWithFake(redis.url(5), BOB, newGradebook(), (job) => signOutcome(QUEUE_KEY, outcomeBinding(job.id!, job.data), twice));
    expect(row).to.deep.equal({ student: 'bob', status: 'error', score: 0, error: refused('it is signed but reports test position 0 twice') });
  });

  it('grade --queue takes Redis from CONVLAB_QUEUE; neither the password nor the key appears in what it or the worker prints', async () => {
    const result = await convlabOn(redis.url(1), ['grade', ALICE, '--assignment', TINY, '--root', COURSE, '--db', newGradebook(), ...LIMITS, '--queue']);
    expect(result.exitCode, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/^alice\s+graded\s+5 \/ 5\s+100\.0%$/m);
    for (const secret of [PASSWORD, QUEUE_KEY]) {
      expect(result.stdout + result.stderr).to.not.include(secret);
      expect(honest.output).to.not.include(secret);
    }
  });

  describe('URLs and keys, checked before anything connects (one line, exit code 2)', () => {
    let open: LocalRedis;
    before(async () => {
      open = await LocalRedis.start(null);
    });
    after(async () => {
      await open?.kill();
    });

    const commands: readonly [name: string, args: string[]][] = [
      ['grade --queue', gradeArgs(BOB, newGradebook())],
      ['worker', ['worker', '--root', COURSE]],
    ];
    for (const [name, args] of commands) {
      it(`${name}: refuses a Redis without a password unless --insecure-queue`, async () => {
        const result = await convlabOn(open.url(), args);
        expect({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }).to.deep.equal({
          exitCode: 2, stdout: '',
          stderr: `convlab: Redis at ${open.url()} has no password: anyone who reaches it reads learners' notebooks and can stop runs; `
            + 'set requirepass and put the password in the URL, or pass --insecure-queue for a private test Redis\n',
        });
      });

      it(`${name}: refuses the password on the command line, without printing it`, async () => {
        // grade's arguments end with --queue; the worker's have none
        const withUrl = name === 'worker' ? [...args, '--queue', redis.url()] : [...args, redis.url()];
        const result = await runProgram(process.execPath, [CLI, ...withUrl], { env: { CONVLAB_QUEUE_KEY: QUEUE_KEY } });
        expect({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }).to.deep.equal({
          exitCode: 2, stdout: '',
          stderr: `convlab: --queue redis://:***@127.0.0.1:${redis.port}/0: a password on the command line is visible to every user of this machine; `
            + 'put the URL in CONVLAB_QUEUE and give --queue without it\n',
        });
      });

      it(`${name}: refuses to run without CONVLAB_QUEUE_KEY, naming it`, async () => {
        const result = await runProgram(process.execPath, [CLI, ...args], { env: { CONVLAB_QUEUE: redis.url(1), CONVLAB_QUEUE_KEY: '' } });
        expect({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }).to.deep.equal({
          exitCode: 2, stdout: '',
          stderr: 'convlab: CONVLAB_QUEUE_KEY is not set: workers sign each outcome with it and the coordinator checks it '
            + '(at least 32 characters, the same on the coordinator and every worker, e.g. from openssl rand -hex 32)\n',
        });
      });
    }

    it('with --insecure-queue, a worker and a coordinator grade on a Redis without a password (outcomes still signed)', async () => {
      const worker = new ConvlabProcess(['worker', '--root', COURSE, '--jobs', '1', '--insecure-queue'], queueEnv(open.url()));
      try {
        await worker.listening();
        const row = onlyRow(await convlabOn(open.url(), [...gradeArgs(ALICE, newGradebook()), '--insecure-queue']));
        expect(row).to.deep.equal({ student: 'alice', status: 'graded', score: 5 });
      } finally {
        await worker.killGroup();
      }
    });
  });
});
