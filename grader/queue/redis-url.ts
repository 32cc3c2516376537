import type { RedisOptions } from 'ioredis';
import { UsageError } from '../errors';

/** A `--queue` URL as ioredis options, and as it may be shown (the password replaced by `***`). */
export interface RedisAddress {
  readonly options: Readonly<RedisOptions>;
  readonly display: string;
}

const DEFAULT_PORT = 6379;

/** The URL with its password hidden: messages and logs never carry it. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

/**
 * Parses `redis://[user][:password]@host[:port][/db]` and `rediss://…` (TLS, the host name checked against the
 * server's certificate). A bad URL is a usage error that quotes it, password hidden.
 */
export function parseRedisUrl(url: string): RedisAddress {
  const display = redactRedisUrl(url);
  const bad = (why: string): UsageError => new UsageError(`--queue must be redis://[:password@]host[:port][/db] or rediss://…, got "${display}" (${why})`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw bad('not a URL');
  }
  const scheme = parsed.protocol.toLowerCase();
  if (scheme !== 'redis:' && scheme !== 'rediss:') throw bad(`scheme "${parsed.protocol.slice(0, -1)}"`);
  if (parsed.hostname === '') throw bad('no host');
  if (parsed.search !== '' || parsed.hash !== '') throw bad('options after "?" or "#" are not supported');
  const path = parsed.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,2}$/.test(path)) throw bad(`database "${path}" is not a number`);
  // IPv6 hosts come bracketed from URL; ioredis wants them bare.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const options: RedisOptions = {
    host,
    port: parsed.port === '' ? DEFAULT_PORT : Number(parsed.port),
    db: path === '' ? 0 : Number(path),
    ...(parsed.username !== '' ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password !== '' ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(scheme === 'rediss:' ? { tls: { servername: host } } : {}),
  };
  return { options, display };
}
