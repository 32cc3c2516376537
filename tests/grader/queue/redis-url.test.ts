import { expect } from 'chai';
import { parseRedisUrl, redactRedisUrl } from '../../../grader/queue/redis-url';

describe('queue/redis-url: --queue URLs as ioredis options', () => {
  const cases: readonly [url: string, options: object][] = [
    ['redis://127.0.0.1:6390', { host: '127.0.0.1', port: 6390, db: 0 }],
    ['redis://grading.example.org', { host: 'grading.example.org', port: 6379, db: 0 }],
    ['redis://:s3cret@10.0.0.5:6379/2', { host: '10.0.0.5', port: 6379, db: 2, password: 's3cret' }],
    ['redis://grader:p%40ss%2Fword@10.0.0.5/3', { host: '10.0.0.5', port: 6379, db: 3, username: 'grader', password: 'p@ss/word' }],
    ['rediss://:s3cret@redis.example.org:6380/1',
      { host: 'redis.example.org', port: 6380, db: 1, password: 's3cret', tls: { servername: 'redis.example.org' } }],
    ['redis://[::1]:6379', { host: '::1', port: 6379, db: 0 }],
  ];
  for (const [url, options] of cases) {
    it(`${url} connects with ${JSON.stringify(options)}`, () => {
      expect(parseRedisUrl(url).options).to.deep.equal(options);
    });
  }

  it('never shows the password', () => {
    expect(parseRedisUrl('rediss://grader:s3cret@redis.example.org:6380/1').display).to.equal('rediss://grader:***@redis.example.org:6380/1');
    expect(redactRedisUrl('redis://:s3cret@10.0.0.5')).to.equal('redis://:***@10.0.0.5');
    expect(redactRedisUrl('redis://10.0.0.5:6379')).to.equal('redis://10.0.0.5:6379');
  });

  const refused: readonly [url: string, message: string][] = [
    ['localhost:6379', '--queue must be redis://[:password@]host[:port][/db] or rediss://…, got "localhost:6379" (scheme "localhost")'],
    ['http://:s3cret@localhost', '--queue must be redis://[:password@]host[:port][/db] or rediss://…, got "http://:***@localhost" (scheme "http")'],
    ['redis://:s3cret@localhost/jobs', '--queue must be redis://[:password@]host[:port][/db] or rediss://…, got "redis://:***@localhost/jobs" (database "jobs" is not a number)'],
    ['redis://localhost?tls=true', '--queue must be redis://[:password@]host[:port][/db] or rediss://…, got "redis://localhost?tls=true" (options after "?" or "#" are not supported)'],
    ['redis ://x', '--queue must be redis://[:password@]host[:port][/db] or rediss://…, got "redis ://x" (not a URL)'],
  ];
  for (const [url, message] of refused) {
    it(`refuses "${url}" in one line`, () => {
      expect(() => parseRedisUrl(url)).to.throw(message);
    });
  }
});
