import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { http } from '../support/hub.js';
import { startChildHub, type ChildHub } from '../support/child-hub.js';
import { freePort, OwnRedis } from '../support/own-redis.js';

const nodes: ChildHub[] = [];
const dirs: string[] = [];
let redis: OwnRedis;
let a: ChildHub;
let b: ChildHub;
const PREFIX = 'yc:';

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'yc-redis-'));
  dirs.push(dir);
  redis = new OwnRedis(await freePort(), dir);
  await redis.start();
  const start = async () => {
    const d = await mkdtemp(join(tmpdir(), 'yc-node-'));
    dirs.push(d);
    const n = await startChildHub(d, { REDIS_URL: redis.url, REDIS_PREFIX: PREFIX });
    nodes.push(n);
    return n;
  };
  [a, b] = await Promise.all([start(), start()]);
});
afterAll(async () => {
  for (const n of nodes) n.child.kill('SIGKILL');
  await redis.kill();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const issue = (n: ChildHub, serviceId: string) =>
  http(`${n.url}/api/v1/halls/demo/tickets`, 'POST', { serviceId });
const until = async (cond: () => Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await cond().catch(() => false))) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
};
const ready = (n: ChildHub) => until(async () => (await http(`${n.url}/readyz`, 'GET')).status === 200);

describe('Redis restarts under running hub nodes', () => {
  it('loses nothing acknowledged after a crash of Redis, and the nodes recover on their own', async () => {
    const issued = new Map<string, string>();
    for (let i = 0; i < 40; i++) {
      const r = await issue(i % 2 ? a : b, 'tax');
      expect(r.status).toBe(201);
      issued.set(r.body.id, r.body.number);
    }
    await redis.kill();
    // While Redis is down the hub answers at once with an error, never with a ticket it could not record.
    const during = await issue(a, 'tax');
    expect(during.status).toBe(503);
    expect(during.body.error.code).toBe('unavailable');
    await redis.start();
    await ready(a);
    await ready(b);
    for (const [id, number] of issued) {
      for (const n of [a, b])
        expect((await http(`${n.url}/api/v1/tickets/${id}`, 'GET')).body.number).toBe(number);
    }
    const after = await issue(b, 'tax');
    expect(after.status).toBe(201);
    expect(Number(after.body.number.slice(1))).toBe(issued.size + 1);
  }, 60_000);

  it('puts back events a Redis lost, so no printed number is issued twice', async () => {
    const before = await issue(a, 'household');
    const printed = Number(before.body.number.slice(1));
    // A Redis that lost its recent writes: the hall's stream and version are gone.
    const r = new Redis(redis.url);
    await r.del(`${PREFIX}hall:{demo}:events`, `${PREFIX}hall:{demo}:version`);
    await until(async () => Number(await r.get(`${PREFIX}hall:{demo}:version`)) > 0);
    r.disconnect();
    const next = await issue(b, 'household');
    expect(next.status).toBe(201);
    expect(Number(next.body.number.slice(1))).toBe(printed + 1);
    // The restored log is the same history: replaying it gives every node the same hall.
    await until(async () => (await http(`${a.url}/readyz`, 'GET')).status === 200);
    const fromA = await http(`${a.url}/api/v1/halls/demo/public`, 'GET');
    const fromB = await http(`${b.url}/api/v1/halls/demo/public`, 'GET');
    expect(fromA.body.version).toBe(fromB.body.version);
    expect(fromA.body.services).toEqual(fromB.body.services);
  }, 60_000);
});
