/** `convlab worker` facing a course copy that is not the coordinator's, and a submission that takes its machine down every time. */
import { expect } from 'chai';
import { appendFileSync, cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../grader/paths';
import { MAX_REDELIVERIES } from '../../../grader/queue/job';
import { copyOfCourse, COURSE, tempDir, TINY, TINY_SUBMISSIONS, writeFile, type CliResult } from '../../support/helpers';
import { LocalRedis } from '../../../grader/queue/local-redis';
import { ConvlabProcess, convlabOn, inspectQueue, queueEnv, requireRedis, until } from '../../support/queue-processes';

const LIMITS = ['--timeout', '120', '--cell-timeout', '60'];
const STALL_S = '3';

describe('convlab worker (redis-server, worker processes)', function () {
  this.timeout(300_000);
  let redis: LocalRedis;
  const started: ConvlabProcess[] = [];
  const worker = (db: number, root: string): ConvlabProcess => {
    const process = new ConvlabProcess(['worker', '--root', root, '--jobs', '1', '--stall-timeout', STALL_S], queueEnv(redis.url(db)));
    started.push(process);
    return process;
  };
  const grade = (db: number, submission: string): Promise<CliResult> =>
    convlabOn(redis.url(db), ['grade', submission, '--assignment', TINY, '--root', COURSE, '--db', join(tempDir(), 'gradebook.sqlite'), '--json', ...LIMITS, '--queue']);

  before(async function () {
    requireRedis(this);
    redis = await LocalRedis.start();
  });

  after(async () => {
    await Promise.all(started.map((process) => process.killGroup()));
    await redis?.kill();
  });

  it('refuses a job its own course would grade with other hidden tests, and the run stops in one line', async () => {
    const root = copyOfCourse();
    appendFileSync(join(root, 'grader', 'tests', TINY, 'tiny.spec.js'), '\n// changed on this machine only\n');
    const stale = worker(1, root);
    await stale.listening();
    const result = await grade(1, writeFile(join(tempDir(), `alice_${TINY}.ipynb`), TINY_SUBMISSIONS.correct()));
    expect({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr.replace(/on \S+:\d+ refused/, 'on HOST:PID refused') }).to.deep.equal({
      exitCode: 2, stdout: '',
      stderr: `convlab: a worker on HOST:PID refused ${TINY} for alice: its course copy at ${root} differs from the coordinator's (hidden tests): `
        + 'run the workers on the same course and convlab build as this command, then run it again\n',
    });
    expect(stale.output).to.include(`refused ${TINY} of alice: its course copy at ${root} differs from the coordinator's (hidden tests)`);
    expect(stale.ran()).to.deep.equal([]);
  });

  it('refuses a job when its own build differs (a stale dist/), in one line naming the kit build', async () => {
    // A copy of this project whose built kit is not the coordinator's: one file of dist/src rebuilt differently.
    const copy = join(tempDir(), 'convlab');
    mkdirSync(copy);
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(PROJECT_ROOT, file), join(copy, file));
    cpSync(join(PROJECT_ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(copy, 'node_modules'));
    appendFileSync(join(copy, 'dist', 'src', 'index.js'), '\n// built from other sources\n');
    const stale = new ConvlabProcess(['worker', '--root', COURSE, '--jobs', '1', '--stall-timeout', STALL_S], queueEnv(redis.url(3)), join(copy, 'dist', 'grader', 'cli.js'));
    started.push(stale);
    await stale.listening();
    const result = await grade(3, writeFile(join(tempDir(), `alice_${TINY}.ipynb`), TINY_SUBMISSIONS.correct()));
    const difference = `its convlab at ${copy} differs from the coordinator's (kit build, packages or Node)`;
    expect({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr.replace(/on \S+:\d+ refused/, 'on HOST:PID refused') }).to.deep.equal({
      exitCode: 2, stdout: '',
      stderr: `convlab: a worker on HOST:PID refused ${TINY} for alice: ${difference}: run the workers on the same course and convlab build as this command, then run it again\n`,
    });
    expect(stale.output).to.include(`refused ${TINY} of alice: ${difference}`);
    expect(stale.ran()).to.deep.equal([]);
  });

  it(`ends a submission that takes its worker down every time as an error after ${MAX_REDELIVERIES + 1} runs`, async () => {
    const coordinator = grade(2, writeFile(join(tempDir(), `mallory_${TINY}.ipynb`), TINY_SUBMISSIONS.correct()));
    const queue = inspectQueue(redis.url(2));
    let finished = false;
    void coordinator.then(() => { finished = true; });
    let kills = 0;
    try {
      while (!finished) {
        // Each delivery's worker (and its sandbox) is killed as soon as it holds the job; a fresh worker takes its place.
        const current = worker(2, COURSE);
        // Killed once it holds the job (the job stays active under the dead worker's name until its lock runs out). A job
        // past its last delivery is only taken to be failed: that one is left alone.
        await until(async () => finished || (await queue.getActive()).some((job) => job.processedBy === current.name && !job.deferredFailure),
          120_000, 'the job to be taken');
        if (finished) break;
        await current.killGroup();
        kills += 1;
      }
    } finally {
      await queue.close();
    }
    const result = await coordinator;
    expect(result.exitCode, result.stderr).to.equal(0);
    const [row] = (JSON.parse(result.stdout) as { results: { student: string; status: string; score: number; error?: string }[] }).results;
    expect(kills).to.equal(MAX_REDELIVERIES + 1);
    expect({ student: row!.student, status: row!.status, score: row!.score, error: row!.error }).to.deep.equal({
      student: 'mallory', status: 'error', score: 0,
      error: `execute failed: the grading machine stopped ${MAX_REDELIVERIES + 1} times while running this notebook; it was not tried again`,
    });
  });
});
