import IORedis, { type RedisOptions } from 'ioredis';
import { messageOf, UsageError } from '../errors';
import type { RedisAddress } from './redis-url';

/** Redis cannot be reached or used at the address the user gave; the message names it (password hidden). */
export class QueueError extends UsageError {}

/** How long the first connection may take before the address is reported as unreachable. */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * Options for BullMQ's long-lived connections: commands wait through a Redis restart instead of failing (BullMQ
 * requires this of workers), and ioredis reconnects on its own.
 */
export const lastingConnection = (address: RedisAddress): RedisOptions => ({ ...address.options, maxRetriesPerRequest: null });

/** Connects once, without retrying, and pings: a wrong host, port, password or TLS setup fails here in one line. */
export async function checkRedis(address: RedisAddress): Promise<void> {
  const client = new IORedis({
    ...address.options, lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, enableOfflineQueue: false,
    maxRetriesPerRequest: 0, retryStrategy: () => null,
  });
  // The first error event says why (refused, wrong password, TLS); the rejected connect() only that it closed.
  let reason: unknown;
  client.on('error', (error) => { reason ??= error; });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new QueueError(`cannot use Redis at ${address.display}: ${oneLine(messageOf(reason ?? error))}`);
  } finally {
    client.disconnect();
  }
}

export const oneLine = (text: string): string => text.split('\n')[0]!.trim();
