import { afterAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { VersionedEvent } from '@yichuang/protocol';
import { BullMqScheduler, RedisEventLog, RedisHallStore, systemClock } from '@yichuang/server';
import { dropPrefix, redisClient, runPrefix } from '../support/redis.js';
import { eventLogContract } from './event-log.contract.js';
import { schedulerContract } from './scheduler.contract.js';

const clients: Redis[] = [];
const prefixes: string[] = [];
function fresh(what: string) {
  const redis = redisClient();
  clients.push(redis);
  const prefix = runPrefix(what);
  prefixes.push(prefix);
  return { redis, prefix };
}
afterAll(async () => {
  const r = redisClient();
  for (const p of prefixes) await dropPrefix(r, p);
  r.disconnect();
  for (const c of clients) c.disconnect();
});

eventLogContract('redis stream + Lua', () => {
  const { redis, prefix } = fresh('log');
  return Promise.resolve(new RedisEventLog(redis, prefix));
});

schedulerContract('BullMQ', () => {
  const { redis, prefix } = fresh('sched');
  return Promise.resolve({
    scheduler: new BullMqScheduler(redis, prefix, systemClock),
    now: () => Date.now(),
  });
});

const ev = (version: number): VersionedEvent => ({
  type: 'counter:resumed',
  at: version,
  counterId: 'c1',
  version,
});

describe('redis event log across nodes', () => {
  it('tells a following node about events another node appended, in order', async () => {
    const { redis, prefix } = fresh('follow');
    const writer = new RedisEventLog(redis, prefix);
    const reader = new RedisEventLog(redis.duplicate(), prefix);
    await writer.append('h', 0, [ev(1)]);
    const seen: number[] = [];
    reader.follow(new Map([['h', 1]]), (_h, events) => seen.push(...events.map((e) => e.version)));
    await writer.append('h', 1, [ev(2), ev(3)]);
    await writer.append('h', 3, [ev(4)]);
    const end = Date.now() + 3000;
    while (seen.length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([2, 3, 4]);
    expect(await reader.version('h')).toBe(4);
    await reader.close();
  });

  it('reads a long stream page by page', async () => {
    const { redis, prefix } = fresh('long');
    const log = new RedisEventLog(redis, prefix);
    await log.append(
      'h',
      0,
      Array.from({ length: 2500 }, (_, i) => ev(i + 1)),
    );
    const all = await log.read('h', 0);
    expect(all).toHaveLength(2500);
    expect(all.map((e) => e.version)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect((await log.read('h', 2400)).length).toBe(100);
  });

  it('keeps only the newest snapshot', async () => {
    const { redis, prefix } = fresh('snap');
    const store = new RedisHallStore(redis, prefix);
    expect(await store.load('h')).toBeNull();
    await store.save('h', { version: 10, state: { a: 1 } });
    await store.save('h', { version: 5, state: { a: 0 } });
    expect(await store.load('h')).toEqual({ version: 10, state: { a: 1 } });
    await store.save('h', { version: 11, state: { a: 2 } });
    expect((await store.load('h'))?.version).toBe(11);
  });
});
