import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import type { HallConfig, VersionedEvent } from '@yichuang/protocol';
import { localDay } from '@yichuang/protocol';
import {
  applyEventsClosingDays,
  ATTENDANCE_HEADINGS,
  dayFacts,
  DEMO_CONFIG_PATH,
  FileJournal,
  generateHistory,
  initialState,
  loadInstallation,
  REPORT_HEADINGS,
  SqliteHistoryStore,
  type TicketFact,
} from '@yichuang/server';
import { http } from '../support/hub.js';
import { childToken, startChildHub, type ChildHub } from '../support/child-hub.js';

const children: ChildHub[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const c of children) c.child.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Resolves once `pattern` shows in the child's log (checked as lines arrive). */
function logged(hub: ChildHub, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (hub.logs.some((l) => pattern.test(l))) return resolve();
      if (Date.now() - started > timeoutMs)
        return reject(new Error(`no ${pattern} in:\n${hub.logs.join('\n')}`));
      setTimeout(tick, 2);
    };
    tick();
  });
}

let hall: HallConfig;
let days: Array<{ day: string; events: VersionedEvent[] }>;
let dataDir: string;
beforeAll(async () => {
  hall = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
  // Three weeks of October 2026 (the Golden Week is closed), written to the hub's journal.
  days = [...generateHistory(hall, { from: '2026-10-08', days: 21, seed: 5, perDay: 250 })];
  dataDir = await mkdtemp(join(tmpdir(), 'yc-archiving-'));
  dirs.push(dataDir);
  const journal = new FileJournal(join(dataDir, 'journal'));
  let version = 0;
  for (const d of days) {
    const r = await journal.append(hall.id, version, d.events);
    if (!r.ok) throw new Error('journal refused the generated history');
    version = r.version;
  }
  await journal.close();
});

/** Each day's tickets as the archive should hold them, from the engine's replay in the test. */
function expectedDays(): Map<string, TicketFact[]> {
  const out = new Map<string, TicketFact[]>();
  const last = applyEventsClosingDays(
    initialState(hall),
    days.flatMap((d) => d.events),
    (s) => out.set(s.day, dayFacts(s, s.day)),
  );
  out.set(last.day, dayFacts(last, last.day));
  return out;
}

const readStore = () => {
  const db = new Database(join(dataDir, 'history.sqlite'), { readonly: true });
  try {
    const archived = db
      .prepare('SELECT day, tickets FROM archived_days WHERE complete = 1 ORDER BY day')
      .all() as Array<{
      day: string;
      tickets: number;
    }>;
    const rows = db
      .prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT ticket_id) AS distinctIds FROM ticket_facts')
      .get() as {
      n: number;
      distinctIds: number;
    };
    return { archived, rows };
  } finally {
    db.close();
  }
};

describe('archiving a hall’s days (#14)', () => {
  it('killed while archiving, the hub archives every day once at its next start', async () => {
    // Killed with its first write in flight: another writer holds the database, nothing lands.
    const schema = new SqliteHistoryStore(join(dataDir, 'history.sqlite'));
    await schema.migrate();
    await schema.close();
    const holder = new Database(join(dataDir, 'history.sqlite'));
    holder.prepare('BEGIN IMMEDIATE').run();
    const blocked = await startChildHub(dataDir, { ARCHIVE_EVERY_S: '1' });
    children.push(blocked);
    await logged(blocked, /archiving failed: trying again/);
    blocked.child.kill('SIGKILL');
    await blocked.exited;
    holder.prepare('ROLLBACK').run();
    holder.close();
    expect(readStore()).toEqual({ archived: [], rows: { n: 0, distinctIds: 0 } });

    // Killed after some days landed.
    const first = await startChildHub(dataDir, { ARCHIVE_EVERY_S: '1' });
    children.push(first);
    await logged(first, /"day archived"/);
    first.child.kill('SIGKILL');
    await first.exited;
    const afterKill = readStore().archived.length;
    expect(afterKill).toBeGreaterThanOrEqual(1);

    const second = await startChildHub(dataDir, { ARCHIVE_EVERY_S: '1' });
    children.push(second);
    const expected = expectedDays();
    const deadline = Date.now() + 20_000;
    while (readStore().archived.length < expected.size && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const { archived, rows } = readStore();
    // Every generated day once, each with exactly its tickets: none missing, none doubled.
    expect(archived.map((a) => a.day)).toEqual([...expected.keys()]);
    for (const a of archived) expect(a.tickets).toBe(expected.get(a.day)!.length);
    const total = [...expected.values()].reduce((n, d) => n + d.length, 0);
    expect(rows).toEqual({ n: total, distinctIds: total });
    // The days written before the kill were not written again (they were complete).
    expect(second.logs.filter((l) => /"day archived"/.test(l))).toHaveLength(expected.size - afterKill);
    // Each day's issued tickets, as the events count them.
    const issued = (day: string) =>
      days
        .flatMap((d) => d.events)
        .filter((e) => e.type === 'ticket:issued' && localDay(e.at, hall.timeZone) === day).length;
    for (const a of archived) expect(a.tickets).toBe(issued(a.day));

    // The reports read them: JSON for the managers, the same totals in the XLSX export.
    const api = `${second.url}/api/v1/halls/demo/reports?from=2026-10-01&to=2026-10-31`;
    const manager = childToken('mgr01');
    const json = await http(`${api}&by=day`, 'GET', undefined, manager);
    expect(json.status).toBe(200);
    expect(json.body.archivedDays).toBe(expected.size);
    expect(json.body.total.issued).toBe(total);
    expect(json.body.rows.map((r: { key: string }) => r.key)).toEqual([...expected.keys()]);

    const res = await fetch(`${api}&by=service&format=xlsx`, {
      headers: { authorization: `Bearer ${manager}` },
    });
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['报表', '办理结果', '考勤与加班', '告警记录']);
    // The staff's attendance and overtime of the range, under the same headings as its CSV.
    const attendanceSheet = book.getWorksheet('考勤与加班')!;
    expect((attendanceSheet.getRow(1).values as unknown[]).slice(1)).toEqual([...ATTENDANCE_HEADINGS]);
    expect(attendanceSheet.rowCount).toBeGreaterThan(10);
    const sheet = book.getWorksheet('报表')!;
    const headings = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(headings.slice(1)).toEqual(REPORT_HEADINGS.slice(1).map(([, h]) => h));
    const lastRow = sheet.getRow(sheet.rowCount).values as unknown[];
    expect(lastRow[2]).toBe('合计');
    expect(lastRow[3]).toBe(total);
    const servedColumn = REPORT_HEADINGS.findIndex(([k]) => k === 'served') + 1;
    expect(lastRow[servedColumn]).toBe(json.body.total.served);
    // One row per service with tickets, plus headings, title and total.
    expect(sheet.rowCount).toBe(
      3 +
        new Set(
          days
            .flatMap((d) => d.events)
            .filter((e) => e.type === 'ticket:issued')
            .map((e) => e.serviceId),
        ).size,
    );

    // A clerk is refused, and so is nobody.
    expect((await http(`${api}`, 'GET', undefined, childToken('s01'))).status).toBe(403);
    expect((await http(`${api}`, 'GET')).status).toBe(401);
    expect((await http(`${api}&by=year`, 'GET', undefined, manager)).body.error.code).toBe('invalid-payload');

    // Behind the archive the journal rolled into segments: the next start loads the snapshot of the
    // last archived day and replays only what came after it.
    await logged(second, /"log compacted"/);
    second.child.kill('SIGTERM');
    await second.exited;
    const names = await readdir(join(dataDir, 'journal'));
    expect(names.some((n) => /^demo\.seg-\d+-\d+\.jsonl$/.test(n))).toBe(true);
    const third = await startChildHub(dataDir);
    children.push(third);
    const loaded = third.logs
      .map(
        (l) => /"hall loaded"/.test(l) && (JSON.parse(l) as { version: number; fromSnapshot: number | null }),
      )
      .find(Boolean);
    const allEvents = days.flatMap((d) => d.events).length;
    expect(loaded && loaded.fromSnapshot).toBeGreaterThan(allEvents * 0.8);
    // Nothing lost: the reports and the attendance of a day in the segments read as before.
    const after = await http(
      `${third.url}/api/v1/halls/demo/reports?from=2026-10-01&to=2026-10-31&by=day`,
      'GET',
      undefined,
      manager,
    );
    expect(after.body.total).toEqual(json.body.total);
    const attendance = await http(
      `${third.url}/api/v1/halls/demo/attendance?from=2026-10-12&to=2026-10-12`,
      'GET',
      undefined,
      manager,
    );
    expect(attendance.status).toBe(200);
    expect(
      attendance.body.days.filter((d: { firstIn: number | null }) => d.firstIn !== null).length,
    ).toBeGreaterThan(5);
    third.child.kill('SIGTERM');
    await third.exited;
  }, 90_000);
});
