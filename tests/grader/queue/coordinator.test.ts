/**
 * `convlab grade --queue` with real parts: Debian's redis-server (password required), `convlab worker` processes, the
 * coordinator as users run it, and faults made by killing processes.
 */
import { expect } from 'chai';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ATTACKS_DIR } from '../../fixtures/attacks/make-attacks';
import { convlab, COURSE, tempDir, TINY, TINY_SUBMISSIONS, writeFile, type CliResult } from '../../support/helpers';
import { LocalRedis } from '../../../grader/queue/local-redis';
import { ConvlabProcess, convlabOn, inspectQueue, queueEnv, requireRedis, until } from '../../support/queue-processes';

interface Row {
  readonly student: string;
  readonly status: string;
  readonly score: number;
  readonly error?: string;
}

// Generous for a busy 2-core machine: these tests are about the queue, not the limits.
const LIMITS = ['--timeout', '120', '--cell-timeout', '60'];
/** A worker's job goes to another worker within about twice this when the worker vanishes. */
const STALL_S = '5';
const PASSWORD = 'queue-secret-42';

/** A folder of the tiny assignment's submissions: solution, the learner release, a wrong one, a hostile one. */
function cohort(): string {
  const dir = join(tempDir(), 'submissions');
  writeFile(join(dir, `alice_${TINY}.ipynb`), TINY_SUBMISSIONS.correct());
  writeFile(join(dir, `bob_${TINY}.ipynb`), TINY_SUBMISSIONS.wrong());
  writeFile(join(dir, `carol_${TINY}.ipynb`), TINY_SUBMISSIONS.stub());
  copyFileSync(join(ATTACKS_DIR, `exit-and-kill_${TINY}.ipynb`), join(dir, `exit-and-kill_${TINY}.ipynb`));
  return dir;
}

const gradeArgs = (dir: string, db: string): string[] => ['grade', dir, '--assignment', TINY, '--root', COURSE, '--db', db, '--json', ...LIMITS];
const grade = (dir: string, db: string, ...more: string[]): Promise<CliResult> => convlab([...gradeArgs(dir, db), ...more]);
/** The same command with `--queue`: Redis's URL (password included) and the signing key in the environment. */
const gradeOnQueue = (redis: LocalRedis, dir: string, db: string): Promise<CliResult> => convlabOn(redis.url(), [...gradeArgs(dir, db), '--queue']);

function rowsOf(result: CliResult): Row[] {
  expect(result.exitCode, result.stderr).to.equal(0);
  const { results } = JSON.parse(result.stdout) as { results: Row[] };
  return results.map(({ student, status, score, error }) => ({ student, status, score, ...(error !== undefined ? { error } : {}) }))
    .sort((a, b) => a.student.localeCompare(b.student));
}

/** Attempts in the gradebook per student. */
function attempts(db: string): Record<string, number> {
  const sqlite = new Database(db, { readonly: true });
  try {
    const rows = sqlite.prepare('SELECT student, COUNT(*) AS n FROM submissions GROUP BY student ORDER BY student').all() as { student: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.student, row.n]));
  } finally {
    sqlite.close();
  }
}

const worker = (redis: LocalRedis, ...more: string[]): ConvlabProcess =>
  new ConvlabProcess(['worker', '--root', COURSE, '--jobs', '1', '--stall-timeout', STALL_S, ...more], queueEnv(redis.url()));

describe('convlab grade --queue (redis-server, worker processes, a coordinator)', function () {
  this.timeout(300_000);
  let redis: LocalRedis;
  const workers: ConvlabProcess[] = [];

  before(async function () {
    requireRedis(this);
    redis = await LocalRedis.start(PASSWORD);
  });

  after(async () => {
    await Promise.all(workers.map((running) => running.killGroup()));
    await redis?.kill();
  });

  describe('a worker SIGKILLed mid-job', () => {
    const dir = cohort();
    const scratch = tempDir();
    let local: Row[];
    let queued: CliResult;
    let victim: { worker: ConvlabProcess; student: string };
    let survivor: ConvlabProcess;

    before(async () => {
      local = rowsOf(await grade(dir, join(scratch, 'local.sqlite'), '--jobs', '2'));
      const pair = [worker(redis), worker(redis)];
      workers.push(...pair);
      await Promise.all(pair.map((started) => started.listening()));
      const coordinator = gradeOnQueue(redis, dir, join(scratch, 'queue.sqlite'));
      const queue = inspectQueue(redis.url());
      try {
        // The first job a worker holds: its whole machine goes (worker and sandbox children).
        await until(async () => {
          const running = (await queue.getActive()).find((job) => pair.some((candidate) => candidate.name === job.processedBy));
          if (running) victim = { worker: pair.find((candidate) => candidate.name === running.processedBy)!, student: running.data.student as string };
          return running !== undefined;
        }, 120_000, 'a job to start');
      } finally {
        await queue.close();
      }
      await victim.worker.killGroup();
      survivor = pair.find((candidate) => candidate !== victim.worker)!;
      queued = await coordinator;
    });

    it('grades every submission with the same status and score as local grading', () => {
      expect(local.map((row) => row.student)).to.deep.equal(['alice', 'bob', 'carol', 'exit-and-kill']);
      expect(rowsOf(queued)).to.deep.equal(local);
    });

    it('records every submission in the gradebook exactly once', () => {
      expect(attempts(join(scratch, 'queue.sqlite'))).to.deep.equal({ alice: 1, bob: 1, carol: 1, 'exit-and-kill': 1 });
    });

    it("re-delivers the killed worker's job to the other worker, which runs it to the end", () => {
      expect(victim.worker.ran()).to.not.include(victim.student);
      expect(survivor.ran()).to.include(victim.student);
    });
  });

  describe('the coordinator SIGKILLed mid-run, then run again', () => {
    const dir = cohort();
    const db = join(tempDir(), 'gradebook.sqlite');
    let solo: ConvlabProcess;
    let rerun: CliResult;

    before(async () => {
      await Promise.all(workers.splice(0).map((running) => running.stop()));
      solo = worker(redis);
      workers.push(solo);
      await solo.listening();
      const first = new ConvlabProcess(['grade', dir, '--assignment', TINY, '--root', COURSE, '--db', db, ...LIMITS, '--queue'], queueEnv(redis.url()));
      await until(() => solo.ran().length >= 1, 120_000, 'the first submission to run');
      await first.killGroup();
      // The worker goes on with what was queued; those results wait in Redis.
      await until(() => solo.ran().length === 4, 180_000, 'the worker to run the rest');
      rerun = await gradeOnQueue(redis, dir, db);
    });

    it('collects what finished and records every submission once', () => {
      expect(rowsOf(rerun).map((row) => row.student)).to.deep.equal(['alice', 'bob', 'carol', 'exit-and-kill']);
      expect(attempts(db)).to.deep.equal({ alice: 1, bob: 1, carol: 1, 'exit-and-kill': 1 });
    });

    it('runs no submission twice', () => {
      expect(solo.ran().sort()).to.deep.equal(['alice', 'bob', 'carol', 'exit-and-kill']);
    });
  });

  describe('Redis restarted mid-run, losing every job', () => {
    const dir = cohort();
    const db = join(tempDir(), 'gradebook.sqlite');
    let exitCode: number | null;
    let coordinator: ConvlabProcess;

    before(async () => {
      await Promise.all(workers.splice(0).map((running) => running.stop()));
      const solo = worker(redis);
      workers.push(solo);
      await solo.listening();
      coordinator = new ConvlabProcess([...gradeArgs(dir, db), '--queue'], queueEnv(redis.url()));
      await until(() => solo.ran().length >= 1, 120_000, 'the first submission to run');
      await redis.kill();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await redis.launch();
      exitCode = await coordinator.exited;
    });

    it('resumes: queues again what Redis lost, and records every submission once', () => {
      expect(exitCode, coordinator.output).to.equal(0);
      expect(rowsOf({ exitCode: 0, stdout: coordinator.stdout, stderr: '' }).map((row) => row.student)).to.deep.equal(['alice', 'bob', 'carol', 'exit-and-kill']);
      expect(attempts(db)).to.deep.equal({ alice: 1, bob: 1, carol: 1, 'exit-and-kill': 1 });
    });
  });
});
