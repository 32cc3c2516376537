import { UsageError } from '../errors';
import { parseRedisUrl } from './redis-url';

/** Where `grade --queue` and `convlab worker` find Redis when `--queue` comes without a URL (or, for a worker, not at all). */
export const QUEUE_ENV = 'CONVLAB_QUEUE';
/** The secret workers sign outcomes with and the coordinator checks them with: never in Redis, never in the URL. */
export const QUEUE_KEY_ENV = 'CONVLAB_QUEUE_KEY';
/** 32 characters: what `openssl rand -hex 16` prints, 128 bits; shorter keys are refused. */
export const MIN_KEY_CHARS = 32;

/** What a queue command needs to use the queue: the Redis URL (password included) and the outcome signing key. */
export interface QueueAccess {
  readonly url: string;
  readonly key: string;
}

/** `--queue` as given: a URL, '' when given without one, or undefined when absent; `--insecure-queue`. */
export interface RawQueueOptions {
  readonly queue?: string;
  readonly insecureQueue?: boolean;
}

const KEY_ADVICE = `at least ${MIN_KEY_CHARS} characters, the same on the coordinator and every worker, e.g. from openssl rand -hex 32`;

/**
 * The queue's URL and key, checked before anything connects: the URL from `--queue` or else $CONVLAB_QUEUE, never a
 * password on the command line (every user of the machine sees it in the process list), never a Redis without a
 * password unless `--insecure-queue`; the key from $CONVLAB_QUEUE_KEY, long enough and not the Redis password.
 */
export function queueAccess(raw: RawQueueOptions, env: NodeJS.ProcessEnv): QueueAccess {
  const fromCommandLine = raw.queue !== undefined && raw.queue !== '';
  const url = fromCommandLine ? raw.queue! : env[QUEUE_ENV];
  if (url === undefined || url === '') throw new UsageError(`${QUEUE_ENV} is not set: set it to the queue's URL, redis://:PASSWORD@host:port/db`);
  const { options, display } = parseRedisUrl(url);
  if (fromCommandLine && options.password !== undefined) {
    throw new UsageError(`--queue ${display}: a password on the command line is visible to every user of this machine; `
      + `put the URL in ${QUEUE_ENV} and give --queue without it`);
  }
  if (options.password === undefined && raw.insecureQueue !== true) {
    throw new UsageError(`Redis at ${display} has no password: anyone who reaches it reads learners' notebooks and can stop runs; `
      + 'set requirepass and put the password in the URL, or pass --insecure-queue for a private test Redis');
  }
  return { url, key: signingKey(env, options.password) };
}

function signingKey(env: NodeJS.ProcessEnv, password: string | undefined): string {
  const key = env[QUEUE_KEY_ENV];
  if (key === undefined || key === '') throw new UsageError(`${QUEUE_KEY_ENV} is not set: workers sign each outcome with it and the coordinator checks it (${KEY_ADVICE})`);
  if (key.length < MIN_KEY_CHARS) throw new UsageError(`${QUEUE_KEY_ENV} is too short: ${key.length} characters (${KEY_ADVICE})`);
  if (key === password) throw new UsageError(`${QUEUE_KEY_ENV} is the Redis password: whoever can use Redis could sign outcomes (${KEY_ADVICE})`);
  return key;
}

/**
 * The command line with a `--queue` that has no URL after it made explicit (`--queue=`), so that the option parser
 * does not take the next option or a submission path for the URL. A URL is what has a scheme (`redis://…`).
 */
export function withBareQueue(args: readonly string[]): string[] {
  return args.map((arg, index) => (arg === '--queue' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(args[index + 1] ?? '') ? '--queue=' : arg));
}
