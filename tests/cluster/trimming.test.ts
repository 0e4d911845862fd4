import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { HallConfig, VersionedEvent } from '@yichuang/protocol';
import { attendanceOf, DEFAULT_RULES } from '@yichuang/protocol';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import {
  DEMO_CONFIG_PATH,
  generateHistory,
  HallService,
  loadInstallation,
  MemoryBroadcaster,
  MemoryScheduler,
  RedisEventLog,
  RedisHallStore,
  toSnapshot,
} from '@yichuang/server';
import { manager, smallHall } from '../support/factories.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { http } from '../support/hub.js';
import { childToken, redisNodes, type ChildHub } from '../support/child-hub.js';
import { dropPrefix, REDIS_URL, redisClient, runPrefix } from '../support/redis.js';

/** The machine's PostgreSQL (CI checks it answers); this run in a schema of its own, dropped after. */
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const schema = `yc_trim_${process.pid}_${randomBytes(4).toString('hex')}`;
const cluster = redisNodes('trim');
const env = { DATABASE_URL, DATABASE_SCHEMA: schema, ARCHIVE_EVERY_S: '1' };
const redis = redisClient();

let hall: HallConfig;
let days: Array<{ day: string; events: VersionedEvent[] }>;
beforeAll(async () => {
  hall = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
  // A week of October 2026 written to the hall's stream, as a hub would have.
  days = [...generateHistory(hall, { from: '2026-10-12', days: 5, seed: 8, perDay: 150 })];
  const log = new RedisEventLog(redis, cluster.prefix);
  const r = await log.append(
    hall.id,
    0,
    days.flatMap((d) => d.events),
  );
  if (!r.ok) throw new Error('the stream refused the generated history');
});
afterAll(async () => {
  await cluster.stop();
  redis.disconnect();
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

const until = async (check: () => Promise<boolean> | boolean, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
};
const loaded = (n: ChildHub) =>
  n.logs
    .map(
      (l) => /"hall loaded"/.test(l) && (JSON.parse(l) as { version: number; fromSnapshot: number | null }),
    )
    .find(Boolean);

describe('the Redis stream behind the archive (#14)', () => {
  it('is trimmed to the days not yet archived; a node starting later loads the snapshot and agrees', async () => {
    const stream = `${cluster.prefix}hall:{${hall.id}}:events`;
    const all = days.flatMap((d) => d.events);
    expect(await redis.xlen(stream)).toBe(all.length);

    const a = await cluster.start(env);
    // Every day is archived in PostgreSQL, a snapshot at the last day's end saved in Redis, and the
    // stream trimmed behind it (the node's own load held it back for a moment: it is tried again).
    // The hub's own timers, due long ago, act on today's clock: that ended the generated week's last day.
    const compacted = () =>
      a.logs
        .map((l) =>
          /"log compacted"/.test(l) ? (JSON.parse(l) as { version: number; logFrom: number }) : null,
        )
        .filter((x) => x !== null && x.logFrom === x.version)
        .map((x) => x!.version);
    await until(() => compacted().includes(all.length)).catch((e: Error) => {
      throw new Error(`${e.message}: ${a.logs.filter((l) => /compact|archiv|loaded/.test(l)).join('\n')}`);
    });
    const version = Number(await redis.get(`${cluster.prefix}hall:{${hall.id}}:version`));
    expect(version).toBeGreaterThan(all.length);
    expect(await redis.xlen(stream)).toBe(version - all.length);
    expect((await redis.xrange(stream, '-', '+', 'COUNT', 1))[0]![0]).toBe(`${all.length + 1}-1`);

    // A second node: from the snapshot, the last day replayed, the same hall as the first.
    const b = await cluster.start(env);
    expect(loaded(b)).toEqual(expect.objectContaining({ version, fromSnapshot: all.length }));
    const token = childToken('mgr01');
    const range = `from=${days[0]!.day}&to=${days[days.length - 1]!.day}`;
    const report = async (n: ChildHub) =>
      (await http(`${n.url}/api/v1/halls/demo/reports?${range}&by=day`, 'GET', undefined, token)).body as {
        archivedDays: number;
        total: { issued: number };
      };
    await until(async () => (await report(b)).archivedDays === days.length);
    expect(await report(b)).toEqual(await report(a));
    expect((await report(b)).total.issued).toBe(all.filter((e) => e.type === 'ticket:issued').length);

    // Attendance no longer needs the trimmed events: the archived days give what the whole log gave.
    const attendance = await http(`${b.url}/api/v1/halls/demo/attendance?${range}`, 'GET', undefined, token);
    expect(attendance.status).toBe(200);
    expect(attendance.body.days).toEqual(attendanceOf(hall, all, days[0]!.day, days[days.length - 1]!.day));
    expect(attendance.body.days.length).toBeGreaterThan(days.length * 3);

    // Both nodes keep their position in the hall's log up to date (what trimming stays behind).
    const positions = async () =>
      Object.values(await redis.hgetall(`${cluster.prefix}hall:{${hall.id}}:nodes`)).map((p) =>
        Number(p.split(':')[0]),
      );
    await until(async () => (await positions()).every((p) => p === version));
    expect(await positions()).toEqual([version, version]);
  }, 90_000);

  it('a node cut off while the stream was trimmed past it starts again from the snapshot', async () => {
    const prefix = runPrefix('trim-gap');
    const proxy = await TcpProxy.start(REDIS_URL.replace('redis:', 'http:'));
    const hall = smallHall({ rules: { ...DEFAULT_RULES, issuing: 'always' } });
    const clock = { now: () => Date.now() };
    const opened: Redis[] = [];
    const node = (url: string, name: string) => {
      const conn = new Redis(url, { maxRetriesPerRequest: null });
      conn.on('error', () => undefined); // B's connection is cut on purpose
      opened.push(conn);
      const log = new RedisEventLog(conn, prefix);
      const store = new RedisHallStore(conn, prefix);
      let n = 0;
      const halls = new HallService({
        log,
        store,
        scheduler: new MemoryScheduler(clock),
        broadcaster: new MemoryBroadcaster(),
        clock,
        newId: () => `${name}${++n}`,
        logger: pino({ level: 'silent' }),
      });
      return { log, store, halls };
    };
    const a = node(REDIS_URL, 'a');
    const b = node(`redis://127.0.0.1:${proxy.port}`, 'b');
    const issue = async () => {
      const r = await a.halls.execute(
        'h1',
        { type: 'ticket:issue', serviceId: 'tax', priority: 'normal', channel: 'api' },
        manager,
      );
      expect(r.ok).toBe(true);
    };
    try {
      await a.halls.load([hall]);
      await b.halls.load([hall]);
      for (let i = 0; i < 3; i++) await issue();
      await until(() => b.halls.state('h1')!.version === 3);

      // B is cut off from Redis; A goes on, saves a snapshot and trims behind it. B's position, no
      // longer renewed, has aged past what counts.
      const cutOffWhileTrimmed = async (issued: number) => {
        await proxy.cut();
        for (let i = 0; i < issued; i++) await issue();
        const v = a.halls.state('h1')!.version;
        await a.store.save('h1', { version: v, state: toSnapshot(a.halls.state('h1')!) });
        const [seconds] = await redis.time();
        const behind = b.halls.state('h1')!.version;
        await redis.hset(`${prefix}hall:{h1}:nodes`, b.log.nodeId, `${behind}:${Number(seconds) - 40}`);
        await until(async () => (await a.log.compact('h1', v)) === v);
        await proxy.restore();
        return v;
      };
      const number = (r: Awaited<ReturnType<typeof a.halls.execute>>) =>
        r.ok && r.data.events[0]!.type === 'ticket:issued' ? r.data.events[0]!.number : null;

      // Back, B takes a ticket first: its append conflicts, the log does not go on from B's version,
      // and it restores the hall from the snapshot before it decides again.
      expect(await cutOffWhileTrimmed(5)).toBe(8);
      const fromB = await b.halls.execute(
        'h1',
        { type: 'ticket:issue', serviceId: 'tax', priority: 'normal', channel: 'api' },
        manager,
      );
      expect(number(fromB)).toBe('G009');
      await until(() => a.halls.state('h1')!.version === 9);

      // Back again, B hears A's next event first: the gap it shows makes B restore the hall.
      expect(await cutOffWhileTrimmed(3)).toBe(12);
      await issue();
      await until(() => b.halls.state('h1')!.version === 13);
      expect(b.halls.state('h1')!.tickets.toJS()).toEqual(a.halls.state('h1')!.tickets.toJS());
      expect(
        number(
          await b.halls.execute(
            'h1',
            { type: 'ticket:issue', serviceId: 'tax', priority: 'normal', channel: 'api' },
            manager,
          ),
        ),
      ).toBe('G014');
    } finally {
      a.halls.stop();
      b.halls.stop();
      await proxy.cut();
      for (const c of opened) c.disconnect();
      await dropPrefix(redis, prefix);
    }
  }, 60_000);
});
