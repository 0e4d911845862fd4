import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the machine runs; CI starts it (`.ci/run`), and a test fails rather than skips without it. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of this test run alone, so runs never collide. */
export const runPrefix = (what: string) =>
  `yc-test:${what}:${process.pid}:${randomBytes(4).toString('hex')}:`;

/** A connection for a test; `maxRetriesPerRequest: null` as BullMQ needs. */
export const redisClient = () => new Redis(REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });

/** Deletes every key under a prefix. */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
