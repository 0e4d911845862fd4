// `npm run bench:history` (#14): a year of the demo hall's history generated through the real
// engine; how long the hub takes to start and how much memory it and Redis hold with one day and
// with the year behind it; how fast a monthly report answers on SQLite and on PostgreSQL.
// Writes its section of docs/benchmarks.md (`--no-write`: don't).
import { randomBytes } from 'node:crypto';
import { execSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import type { HallConfig, VersionedEvent } from '@yichuang/protocol';
import {
  applyEventsClosingDays,
  dayFacts,
  DEMO_CONFIG_PATH,
  FileJournal,
  generateHistory,
  initialState,
  loadInstallation,
  PostgresHistoryStore,
  RedisEventLog,
  SqliteHistoryStore,
  ticketReport,
  cityReport,
  dayRecords,
  type DayRecords,
  type HallState,
  type HistoryStore,
} from '@yichuang/server';
import { hub, procs, writeSection } from './processes.js';

const { values } = parseArgs({
  options: {
    'no-write': { type: 'boolean', default: false },
    days: { type: 'string', default: '365' },
    'per-day': { type: 'string', default: '300' },
  },
});
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const hall: HallConfig = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
const YEAR_FROM = '2025-11-28';

console.log(`generating ${values.days} days …`);
const t0 = performance.now();
const days: Array<{ day: string; events: VersionedEvent[] }> = [];
for (const d of generateHistory(hall, {
  from: YEAR_FROM,
  days: Number(values.days),
  seed: 2026,
  perDay: Number(values['per-day']),
})) {
  days.push(d);
}
const generateMs = performance.now() - t0;
const events = days.reduce((n, d) => n + d.events.length, 0);
const tickets = days.reduce((n, d) => n + d.events.filter((e) => e.type === 'ticket:issued').length, 0);
console.log(`${days.length} open days, ${events} events, ${tickets} tickets in ${Math.round(generateMs)} ms`);

/** A journal holding `list`'s days. */
async function journalOf(list: typeof days): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'yc-bench-history-'));
  const journal = new FileJournal(join(dir, 'journal'));
  let version = 0;
  for (const d of list) {
    // Renumbered, so one day alone is a log of its own.
    const r = await journal.append(
      hall.id,
      version,
      d.events.map((e, i) => ({ ...e, version: version + i + 1 })),
    );
    if (!r.ok) throw new Error('journal refused');
    version = r.version;
  }
  await journal.close();
  return dir;
}

/**
 * Starts the hub on `dir` until it listens: the time it took, and its memory once the start-up's
 * archiving and compaction have settled (the journal rolled into segments, when `compacts`).
 */
async function startUp(dir: string, compacts = false) {
  const started = performance.now();
  const node = await hub({ DATA_DIR: dir });
  const ms = performance.now() - started;
  const deadline = Date.now() + 120_000;
  const segments = async () =>
    (await readdir(join(dir, 'journal'))).filter((n) => n.includes('.seg-')).length > 0;
  while (compacts && !(await segments()) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 3000));
  const rss = Number(execSync(`ps -o rss= -p ${node.child.pid}`).toString().trim());
  node.child.kill('SIGTERM');
  await new Promise((r) => node.child.once('exit', r));
  return { ms: Math.round(ms), rssMiB: Math.round(rss / 1024) };
}

const rows: string[] = [];
try {
  // Start-up, embedded: one day of history, then the year (every start replays the journal).
  const oneDay = await journalOf(days.slice(-1));
  const year = await journalOf(days);
  const dayStart = await startUp(oneDay);
  // The first start on the year's journal replays all of it (what every start cost before the
  // compaction), archives every day and rolls the journal behind them; a restart after that loads
  // the last day's snapshot and replays today only.
  const firstStart = await startUp(year, true);
  const yearStart = await startUp(year);
  rows.push(
    `| one day (${days[days.length - 1]!.events.length.toLocaleString('en')} events) | ${dayStart.ms} ms | ${dayStart.rssMiB} MiB |`,
    `| one year (${events.toLocaleString('en')} events), journal not compacted (before #14) | ${firstStart.ms} ms | ${firstStart.rssMiB} MiB |`,
    `| one year, after the compaction (a restart) | ${yearStart.ms} ms | ${yearStart.rssMiB} MiB |`,
  );
  await rm(oneDay, { recursive: true, force: true });
  await rm(year, { recursive: true, force: true });

  // Redis: what the hall's keys hold with one day and with the year, and a hub on them: its first
  // start replays the year (what every start cost before #14), archives it into PostgreSQL and trims
  // the stream behind the last day's snapshot; a restart loads that snapshot.
  const redis = new Redis(REDIS_URL);
  const redisSchema = `yc_bench_redis_${randomBytes(4).toString('hex')}`;
  const redisRows: string[] = [];
  const redisStartRows: string[] = [];
  {
    const prefix = `yc-bench-${randomBytes(4).toString('hex')}:`;
    const log = new RedisEventLog(redis, prefix, pino({ level: 'silent' }));
    const hallKeys = async () => (await redis.keys(`${prefix}hall:*`)).sort();
    const memory = async (keys: string[]) => {
      let bytes = 0;
      for (const k of keys) bytes += Number(await redis.memory('USAGE', k, 'SAMPLES', '0'));
      return (bytes / 2 ** 20).toFixed(1);
    };
    const stream = `${prefix}hall:{${hall.id}}:events`;
    const streamRow = async (label: string) =>
      `| ${label} | ${(await redis.xlen(stream)).toLocaleString('en')} | ${await memory([stream])} MiB | ${await memory(await hallKeys())} MiB |`;
    let version = 0;
    for (const [i, d] of days.entries()) {
      for (let j = 0; j < d.events.length; j += 500) {
        const batch = d.events.slice(j, j + 500);
        const r = await log.append(hall.id, version, batch);
        if (!r.ok) throw new Error('stream refused');
        version = r.version;
      }
      if (i === 0) redisRows.push(await streamRow('one day, not trimmed'));
    }
    redisRows.push(await streamRow('one year, not trimmed (before #14)'));
    const env = {
      REDIS_URL,
      REDIS_PREFIX: prefix,
      DATABASE_URL,
      DATABASE_SCHEMA: redisSchema,
      DATA_DIR: await mkdtemp(join(tmpdir(), 'yc-bench-redis-')),
    };
    const startRedisHub = async (waitForTrim: boolean) => {
      const started = performance.now();
      const node = await hub(env);
      const ms = Math.round(performance.now() - started);
      const deadline = Date.now() + 300_000;
      while (waitForTrim && (await redis.xlen(stream)) > 20_000 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 500));
      await new Promise((r) => setTimeout(r, 3000));
      const rss = Math.round(Number(execSync(`ps -o rss= -p ${node.child.pid}`).toString().trim()) / 1024);
      node.child.kill('SIGTERM');
      await new Promise((r) => node.child.once('exit', r));
      return { ms, rss };
    };
    const first = await startRedisHub(true);
    redisRows.push(await streamRow('one year, trimmed behind the archive'));
    const restart = await startRedisHub(false);
    redisStartRows.push(
      `| one year in the stream, first start (replays it all; before #14 every start did) | ${first.ms} ms | ${first.rss} MiB |`,
      `| one year archived, stream trimmed (a restart: snapshot + today) | ${restart.ms} ms | ${restart.rss} MiB |`,
    );
    await rm(env.DATA_DIR, { recursive: true, force: true });
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis.quit();
  {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${redisSchema} CASCADE`);
    await client.end();
  }

  // Reports: the year archived into SQLite and PostgreSQL as the archiver writes it.
  const schema = `yc_bench_${randomBytes(4).toString('hex')}`;
  const sqliteDir = await mkdtemp(join(tmpdir(), 'yc-bench-sqlite-'));
  const stores: Array<[string, HistoryStore]> = [
    ['SQLite', new SqliteHistoryStore(join(sqliteDir, 'history.sqlite'))],
    ['PostgreSQL', new PostgresHistoryStore(DATABASE_URL, schema)],
  ];
  const reportRows: string[] = [];
  for (const [name, store] of stores) {
    await store.migrate();
    const archiveStarted = performance.now();
    const closings: Array<{ day: string; facts: ReturnType<typeof dayFacts>; records: DayRecords }> = [];
    const closing = (s: HallState) =>
      closings.push({ day: s.day, facts: dayFacts(s, s.day), records: dayRecords(s, s.day, true) });
    closing(
      applyEventsClosingDays(
        initialState(hall),
        days.flatMap((d) => d.events),
        closing,
      ),
    );
    for (const c of closings) await store.archiveDay(hall.id, c.day, c.facts, true, c.records);
    const archiveMs = performance.now() - archiveStarted;
    const timings: number[] = [];
    let monthTickets = 0;
    for (const [from, to] of [
      ['2026-03-01', '2026-03-31'],
      ['2026-06-01', '2026-06-30'],
      ['2026-09-01', '2026-09-30'],
      ['2026-10-29', '2026-11-28'],
    ] as const) {
      const started = performance.now();
      const facts = await store.tickets(hall.id, from, to);
      ticketReport(facts, 'day', hall.timeZone);
      ticketReport(facts, 'service', hall.timeZone);
      timings.push(performance.now() - started);
      monthTickets = Math.max(monthTickets, facts.length);
    }
    const cityStarted = performance.now();
    cityReport(await store.figures(YEAR_FROM, '2026-12-31'));
    const cityMs = performance.now() - cityStarted;
    reportRows.push(
      `| ${name} | ${Math.round(archiveMs / 1000)} s | ${Math.round(Math.max(...timings))} ms (${monthTickets.toLocaleString('en')} tickets) | ${Math.round(cityMs)} ms |`,
    );
    await store.close();
  }
  await rm(sqliteDir, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();

  for (const r of [...rows, ...redisRows, ...redisStartRows, ...reportRows]) console.log(r);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const date = new Date().toISOString().slice(0, 10);
  if (!values['no-write'])
    await writeSection(
      'history',
      [
        '## A year of history (#14)',
        '',
        `Run on ${date}: ${machine}. Reproduce with \`npm run bench:history\`.`,
        `The demo hall's year from ${YEAR_FROM}, generated through the real engine (\`generateHistory\`,`,
        `~${values['per-day']} applicants a weekday): ${days.length} open days, ${events.toLocaleString('en')} events,`,
        `${tickets.toLocaleString('en')} tickets, generated in ${Math.round(generateMs / 1000)} s.`,
        '',
        'Start-up of the embedded hub, `npm start`’s topology (until it listens; its memory once the',
        'start-up archiving settled). Before #14 every start replayed the whole journal: that is what the',
        'first start on a year-long journal still does, before it archives the days and rolls the',
        'journal behind them. A restart then loads the snapshot of the last archived day.',
        '',
        '| history | start-up | hub memory (RSS) |',
        '| --- | --- | --- |',
        ...rows,
        '',
        'The scaled-out topology (Redis, PostgreSQL for the history): what the hall’s keys hold in Redis',
        '(`MEMORY USAGE`: the stream alone, and all of the hall’s keys with its snapshot). Before #14 the',
        'stream was never trimmed; now, once a day is in PostgreSQL and a snapshot at its end in Redis, the',
        'stream is cut up to it (never past a live node’s position).',
        '',
        '| history | events in the stream | stream | hall’s keys |',
        '| --- | --- | --- | --- |',
        ...redisRows,
        '',
        'A hub node on that Redis (until it listens; its memory once the archiving settled):',
        '',
        '| history | start-up | hub memory (RSS) |',
        '| --- | --- | --- |',
        ...redisStartRows,
        '',
        'Reports over the archived year: archiving every day as the archiver writes it, the slowest of',
        'four monthly reports (by day and by service, from reading the tickets to the finished rows), and',
        'the city view of the year from the day figures.',
        '',
        '| store | archive the year | monthly report | city view, one year |',
        '| --- | --- | --- | --- |',
        ...reportRows,
      ].join('\n'),
    );
} finally {
  for (const p of procs) p.kill('SIGKILL');
}
process.exit(0);
