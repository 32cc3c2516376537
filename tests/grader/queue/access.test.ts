import { expect } from 'chai';
import { queueAccess, withBareQueue } from '../../../grader/queue/access';

const KEY = 'k'.repeat(32);
const URL = 'redis://:s3cret@10.0.0.5:6379/2';

describe('queue/access: where the queue and its key come from', () => {
  it('takes the URL from CONVLAB_QUEUE when --queue comes alone, and the key from CONVLAB_QUEUE_KEY', () => {
    expect(queueAccess({ queue: '' }, { CONVLAB_QUEUE: URL, CONVLAB_QUEUE_KEY: KEY })).to.deep.equal({ url: URL, key: KEY });
    expect(queueAccess({}, { CONVLAB_QUEUE: URL, CONVLAB_QUEUE_KEY: KEY })).to.deep.equal({ url: URL, key: KEY });
  });

  it('takes a URL without a password from the command line, with --insecure-queue', () => {
    expect(queueAccess({ queue: 'redis://10.0.0.5', insecureQueue: true }, { CONVLAB_QUEUE: URL, CONVLAB_QUEUE_KEY: KEY }))
      .to.deep.equal({ url: 'redis://10.0.0.5', key: KEY });
  });

  const refused: readonly [what: string, raw: { queue?: string; insecureQueue?: boolean }, env: NodeJS.ProcessEnv, message: string][] = [
    ['no URL anywhere', { queue: '' }, { CONVLAB_QUEUE_KEY: KEY },
      "CONVLAB_QUEUE is not set: set it to the queue's URL, redis://:PASSWORD@host:port/db"],
    ['a malformed URL', { queue: '' }, { CONVLAB_QUEUE: 'localhost:6379', CONVLAB_QUEUE_KEY: KEY },
      '--queue must be redis://[:password@]host[:port][/db] or rediss://…, got "localhost:6379" (scheme "localhost")'],
    ['a password on the command line', { queue: URL }, { CONVLAB_QUEUE_KEY: KEY },
      '--queue redis://:***@10.0.0.5:6379/2: a password on the command line is visible to every user of this machine; put the URL in CONVLAB_QUEUE and give --queue without it'],
    ['a user without a password', { queue: '' }, { CONVLAB_QUEUE: 'redis://grader@10.0.0.5', CONVLAB_QUEUE_KEY: KEY },
      'Redis at redis://grader@10.0.0.5 has no password'],
    ['no key', { queue: '' }, { CONVLAB_QUEUE: URL }, 'CONVLAB_QUEUE_KEY is not set'],
    ['a short key', { queue: '' }, { CONVLAB_QUEUE: URL, CONVLAB_QUEUE_KEY: 'k'.repeat(31) }, 'CONVLAB_QUEUE_KEY is too short: 31 characters'],
    ['the Redis password for a key', { queue: '' }, { CONVLAB_QUEUE: `redis://:${KEY}@10.0.0.5`, CONVLAB_QUEUE_KEY: KEY },
      'CONVLAB_QUEUE_KEY is the Redis password: whoever can use Redis could sign outcomes'],
  ];
  for (const [what, raw, env, message] of refused) {
    it(`refuses ${what} in one line`, () => {
      expect(() => queueAccess(raw, env)).to.throw(message);
    });
  }

  it('reads --queue as given alone unless a URL follows it', () => {
    expect(withBareQueue(['subs', '--queue'])).to.deep.equal(['subs', '--queue=']);
    expect(withBareQueue(['--queue', 'subs', '--json'])).to.deep.equal(['--queue=', 'subs', '--json']);
    expect(withBareQueue(['subs', '--queue', '--json'])).to.deep.equal(['subs', '--queue=', '--json']);
    expect(withBareQueue(['subs', '--queue', 'redis://10.0.0.5'])).to.deep.equal(['subs', '--queue', 'redis://10.0.0.5']);
  });
});
