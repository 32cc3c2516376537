import { expect } from 'chai';
import { join } from 'node:path';
import { checkRedis, QueueError } from '../../../grader/queue/connection';
import { parseRedisUrl, redactRedisUrl } from '../../../grader/queue/redis-url';
import { COURSE, tempDir, TINY, TINY_SUBMISSIONS, writeFile } from '../../support/helpers';
import { freePort, LocalRedis } from '../../../grader/queue/local-redis';
import { convlabOn, inspectQueue, requireRedis, until } from '../../support/queue-processes';

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

  // The URL in $CONVLAB_QUEUE, as users give it.
  const commands: readonly [name: string, args: string[]][] = [
    ['grade', ['grade', submission, '--root', COURSE, '--db', join(tempDir(), 'gradebook.sqlite'), '--queue']],
    ['worker', ['worker', '--root', COURSE]],
  ];
  for (const [name, args] of commands) {
    it(`${name}: nothing listening at the address`, async () => {
      const result = await convlabOn(`redis://:right-password@127.0.0.1:${closedPort}`, args);
      expect({ exitCode: result.exitCode, stderr: result.stderr, stdout: result.stdout }).to.deep.equal({
        exitCode: 2, stdout: '',
        stderr: `convlab: cannot use Redis at redis://:***@127.0.0.1:${closedPort}: connect ECONNREFUSED 127.0.0.1:${closedPort}\n`,
      });
    });

    it(`${name}: a wrong password, never shown`, async () => {
      const result = await convlabOn(`redis://:wrong-password@127.0.0.1:${redis.port}`, args);
      expect({ exitCode: result.exitCode, stderr: result.stderr }).to.deep.equal({
        exitCode: 2,
        stderr: `convlab: cannot use Redis at redis://:***@127.0.0.1:${redis.port}: WRONGPASS invalid username-password pair or user is disabled.\n`,
      });
    });
  }

  it('grade: Redis gone for good mid-run stops the run in one line, nothing printed as a result', async () => {
    const doomed = await LocalRedis.start();
    const db = join(tempDir(), 'gradebook.sqlite');
    // No worker: the submission waits in the queue when Redis goes.
    const running = convlabOn(doomed.url(), ['grade', submission, '--root', COURSE, '--db', db, '--queue']);
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
      stderr: `convlab: lost Redis at ${redactRedisUrl(doomed.url())} for 30 s: what was graded is in the gradebook; run the same command again to grade the rest\n`,
    });
  });

  it('is a QueueError, the usage-error family the CLI prints in one line', async () => {
    const error = await checkRedis(parseRedisUrl(`redis://127.0.0.1:${redis.port}`)).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(QueueError);
    expect((error as Error).message).to.equal(`cannot use Redis at redis://127.0.0.1:${redis.port}: NOAUTH Authentication required.`);
  });
});
