import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Opens a Redis connection and resolves once it is ready, before anything has used it.
 *
 * Why: ioredis 5.8.2+ writes commands flagged `loading` (SUBSCRIBE among them) while its own
 * handshake (SELECT, CLIENT SETINFO, the INFO ready check) is still running. A SUBSCRIBE that
 * goes out in that window puts the connection in subscriber mode, the INFO is refused
 * ("Connection in subscriber mode, only subscriber commands may be used"), ioredis drops the
 * connection and rejects every command still queued on it, and a caller that did not catch
 * them (the socket.io Redis Streams adapter's SUBSCRIBE) ends the process (ioredis #2037;
 * platform facts). `disableClientInfo` narrows the window but a non-zero database index
 * (SELECT) keeps it open. A `lazyConnect` connection that is awaited here has finished its
 * handshake before its first command, and every duplicate of it inherits `lazyConnect`, so
 * its owners (the adapter, BullMQ, the log's follower) connect and await their copies too.
 *
 * Errors are logged with the component's name; ioredis reconnects on its own, so an error
 * never takes the process down.
 */
export async function openRedis(
  url: string,
  component: string,
  logger: Logger,
  options: RedisOptions = {},
): Promise<Redis> {
  const client = new Redis(url, { ...options, lazyConnect: true });
  watchErrors(client, component, logger);
  await ready(client, `Cannot reach Redis at ${url} (${component}).`);
  return client;
}

/** A ready duplicate of a connection, for a component that needs a connection of its own. */
export async function duplicateReady(
  client: Redis,
  component: string,
  logger: Logger,
  options: Partial<RedisOptions> = {},
): Promise<Redis> {
  const copy = client.duplicate({ ...options, lazyConnect: true });
  watchErrors(copy, component, logger);
  await ready(copy, `Cannot reach Redis (${component}).`);
  return copy;
}

/**
 * Connects and resolves on `ready`. A Redis that is not up yet is waited for (ioredis retries
 * with back-off), so a node started before its Redis, or during a Redis restart, comes up with it.
 */
function ready(client: Redis, unreachable: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onEnd = () => reject(new Error(unreachable));
    client.once('end', onEnd);
    client.once('ready', () => {
      client.off('end', onEnd);
      resolve();
    });
    // A first attempt that fails is retried by ioredis itself; 'ready' or 'end' settles this.
    client.connect().catch(() => undefined);
  });
}

/** Logs a connection's errors once per outage with its component, instead of letting them throw. */
function watchErrors(client: Redis, component: string, logger: Logger): void {
  let last = '';
  client.on('error', (err: Error) => {
    if (err.message === last) return;
    last = err.message;
    logger.warn(
      { component: `redis:${component}`, err: err.message },
      'Redis connection error: reconnecting',
    );
  });
  client.on('ready', () => {
    if (last) logger.info({ component: `redis:${component}` }, 'Redis connection back');
    last = '';
  });
}
