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

describe('trimming a hall’s stream (#14)', () => {
  const setUp = async () => {
    const { redis, prefix } = fresh('trim');
    const log = new RedisEventLog(redis, prefix);
    const store = new RedisHallStore(redis, prefix);
    await log.append(
      'h',
      0,
      Array.from({ length: 100 }, (_, i) => ev(i + 1)),
    );
    const length = () => redis.xlen(`${prefix}hall:{h}:events`);
    return { redis, prefix, log, store, length };
  };

  it('trims up to a version, never past the stored snapshot; reads after it go on as before', async () => {
    const { log, store, length } = await setUp();
    // No snapshot yet: a node starting would have to read from the start, so nothing goes.
    expect(await log.compact('h', 60)).toBe(0);
    expect(await length()).toBe(100);
    await store.save('h', { version: 40, state: {} });
    expect(await log.compact('h', 60)).toBe(40);
    expect(await length()).toBe(60);
    await store.save('h', { version: 80, state: {} });
    expect(await log.compact('h', 60)).toBe(60);
    expect(await length()).toBe(40);
    expect((await log.read('h', 60)).map((e) => e.version)).toEqual(
      Array.from({ length: 40 }, (_, i) => 61 + i),
    );
    // The version counter is untouched: appends go on from 100.
    expect(await log.version('h')).toBe(100);
    expect((await log.append('h', 100, [ev(101)])).ok).toBe(true);
  });

  it('stays behind every live node’s position; a position not renewed for 30 s holds nothing back', async () => {
    const { redis, prefix, log, store, length } = await setUp();
    await store.save('h', { version: 90, state: {} });
    const other = new RedisEventLog(redis, prefix);
    await other.mark(new Map([['h', 30]]));
    expect(await log.compact('h', 90)).toBe(30);
    expect(await length()).toBe(70);
    // A node loading (position 0) holds everything.
    await other.mark(new Map([['h', 0]]));
    expect(await log.compact('h', 90)).toBe(0);
    // A node gone: its position, 40 s old by Redis's clock, no longer counts.
    const [seconds] = await redis.time();
    await redis.hset(`${prefix}hall:{h}:nodes`, other.nodeId, `0:${Number(seconds) - 40}`);
    await log.mark(new Map([['h', 100]]));
    expect(await log.compact('h', 90)).toBe(90);
    expect(await length()).toBe(10);
    // A node that stops says so.
    await log.forget(['h']);
    expect(await redis.hexists(`${prefix}hall:{h}:nodes`, log.nodeId)).toBe(0);
  });
});
