import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@yichuang/protocol';
import { FileAuditLog, RedisAuditLog, type AuditLog } from '@yichuang/server';
import { dropPrefix, redisClient, runPrefix } from '../support/redis.js';

/** #12: the audit log's contract, run against each adapter (a file per hall and day; a Redis stream). */
const redis = redisClient();
const prefix = runPrefix('audit');
const dirs: string[] = [];
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const ADAPTERS: Array<[string, () => Promise<AuditLog>]> = [
  [
    'file',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'yc-audit-'));
      dirs.push(dir);
      return new FileAuditLog(dir);
    },
  ],
  ['redis', () => Promise.resolve(new RedisAuditLog(redis, `${prefix}${dirs.length}:`))],
];

const T0 = Date.parse('2026-11-28T01:00:00Z');
const entry = (at: number, who: string, hallId = 'demo'): AuditEntry => ({
  at,
  hallId,
  who,
  action: 'counter:open',
  target: 'c01',
  outcome: 'done',
  code: null,
  address: '127.0.0.1',
  via: 'rest',
});

describe.each(ADAPTERS)('audit log (%s)', (_name, make) => {
  it('keeps every entry in order, reads a range across days, and keeps halls apart', async () => {
    const log = await make();
    const entries = [
      entry(T0, 'staff:s01'),
      entry(T0 + 1000, 'staff:s02'),
      entry(T0 + 86_400_000, 'staff:s03'),
      entry(T0 + 2 * 86_400_000, 'staff:s04'),
    ];
    await Promise.all(entries.map((e) => log.append(e)));
    await log.append(entry(T0 + 500, 'staff:e01', 'east'));
    expect(await log.read('demo', T0, T0 + 86_400_000)).toEqual(entries.slice(0, 3));
    expect((await log.read('demo', T0 + 999, T0 + 1001)).map((e) => e.who)).toEqual(['staff:s02']);
    expect((await log.read('east', T0 - 1, T0 + 3 * 86_400_000)).map((e) => e.who)).toEqual(['staff:e01']);
    expect(await log.read('nowhere', 0, Date.now())).toEqual([]);
  });
});

it('writes the embedded log as one append-only file per hall and UTC day', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'yc-audit-'));
  dirs.push(dir);
  const log = new FileAuditLog(dir);
  await log.append(entry(T0, 'staff:s01'));
  await log.append(entry(T0 + 86_400_000, 'staff:s01'));
  expect((await readdir(join(dir, 'audit', 'demo'))).sort()).toEqual([
    '2026-11-28.jsonl',
    '2026-11-29.jsonl',
  ]);
});
