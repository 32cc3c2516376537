import { expect } from 'chai';
import { join } from 'node:path';
import { checkRedis, QueueError } from '../../grader/queue/connection';
import { parseRedisUrl } from '../../grader/queue/redis-url';
import { convlab, COURSE, runProgram, tempDir, TINY, TINY_SUBMISSIONS, writeFile } from '../grader/helpers';
import { PROJECT_ROOT } from '../../grader/paths';
import { freePort, LocalRedis } from '../../grader/queue/local-redis';
import { inspectQueue, requireRedis, until } from './processes';

describe('queue/connection: Redis that cannot be used is one line and exit code 2', function () {
  this.timeout(120_000);
  const submission = writeFile(join(tempDir(), `alice_${TINY}.ipynb`), TINY_SUBMISSIONS.correct());
  let redis: LocalRedis;
  let closedPort: number;

  before(async function () {
    requireRedis(this);
    redis = await LocalRedis.start('right-password');
    closedPort = await freePort();
  });

  after(async () => {
    await redis?.kill();
  });

  it('answers with the right password', async () => {
    await checkRedis(parseRedisUrl(redis.url()));
  });

  const commands: readonly [name: string, args: (url: string) => string[]][] = [
    ['grade', (url) => ['grade', submission, '--root', COURSE, '--db', join(tempDir(), 'gradebook.sqlite'), '--queue', url]],
    ['worker', (url) => ['worker', '--root', COURSE, '--queue', url]],
  ];
  for (const [name, args] of commands) {
    it(`${name}: nothing listening at the address`, async () => {
      const result = await convlab(args(`redis://127.0.0.1:${closedPort}`));
      expect({ exitCode: result.exitCode, stderr: result.stderr, stdout: result.stdout }).to.deep.equal({
        exitCode: 2, stdout: '',
        stderr: `convlab: cannot use Redis at redis://127.0.0.1:${closedPort}: connect ECONNREFUSED 127.0.0.1:${closedPort}\n`,
      });
    });

    it(`${name}: a wrong password, never shown`, async () => {
      const result = await convlab(args(`redis://:wrong-password@127.0.0.1:${redis.port}`));
      expect({ exitCode: result.exitCode, stderr: result.stderr }).to.deep.equal({
        exitCode: 2,
        stderr: `convlab: cannot use Redis at redis://:***@127.0.0.1:${redis.port}: WRONGPASS invalid username-password pair or user is disabled.\n`,
      });
    });
  }

  it('worker: takes the queue from $CONVLAB_QUEUE when --queue is not given', async () => {
    const result = await runProgram(process.execPath, [join(PROJECT_ROOT, 'dist', 'grader', 'cli.js'), 'worker', '--root', COURSE],
      { env: { CONVLAB_QUEUE: `redis://:wrong-password@127.0.0.1:${redis.port}` } });
    expect({ exitCode: result.exitCode, stderr: result.stderr }).to.deep.equal({
      exitCode: 2,
      stderr: `convlab: cannot use Redis at redis://:***@127.0.0.1:${redis.port}: WRONGPASS invalid username-password pair or user is disabled.\n`,
    });
  });

  it('grade: Redis gone for good mid-run stops the run in one line, nothing printed as a result', async () => {
    const doomed = await LocalRedis.start();
    const db = join(tempDir(), 'gradebook.sqlite');
    // No worker: the submission waits in the queue when Redis goes.
    const running = convlab(['grade', submission, '--root', COURSE, '--db', db, '--queue', doomed.url()]);
    const queue = inspectQueue(doomed.url());
    try {
      await until(async () => (await queue.getWaitingCount()) === 1, 60_000, 'the submission to be queued');
    } finally {
      await queue.close();
    }
    await doomed.kill();
    const result = await running;
    expect({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }).to.deep.equal({
      exitCode: 2, stdout: '',
      stderr: `convlab: lost Redis at ${doomed.url()} for 30 s: what was graded is in the gradebook; run the same command again to grade the rest\n`,
    });
  });

  it('is a QueueError, the usage-error family the CLI prints in one line', async () => {
    const error = await checkRedis(parseRedisUrl(`redis://127.0.0.1:${redis.port}`)).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(QueueError);
    expect((error as Error).message).to.equal(`cannot use Redis at redis://127.0.0.1:${redis.port}: NOAUTH Authentication required.`);
  });
});
