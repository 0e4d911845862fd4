import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { HallConfig } from '@yichuang/protocol';
import {
  applyEventsClosingDays,
  Archiver,
  DEMO_CONFIG_PATH,
  generateHistory,
  initialState,
  loadInstallation,
  SqliteHistoryStore,
  type HallState,
  type HistoryStore,
} from '@yichuang/server';

/** A store that fails its first `n` writes, as a database that is away for a moment. */
function flaky(store: HistoryStore, n: number): HistoryStore & { attempts: number } {
  const s = Object.create(store) as HistoryStore & { attempts: number };
  s.attempts = 0;
  s.archiveDay = (...args) => {
    s.attempts++;
    if (s.attempts <= n) return Promise.reject(new Error('database away'));
    return store.archiveDay(...args);
  };
  return s;
}

function closedDays(hall: HallConfig): { closings: HallState[]; last: HallState } {
  const days = [...generateHistory(hall, { from: '2026-11-02', days: 3, seed: 9, perDay: 120 })];
  const closings: HallState[] = [];
  const last = applyEventsClosingDays(
    initialState(hall),
    days.flatMap((d) => d.events),
    (s) => closings.push(s),
  );
  return { closings, last };
}

describe('the archiver (#14)', () => {
  it('retries a failed write until it lands, tells when a day is safe, and holds snapshots meanwhile', async () => {
    const hall = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
    const { closings } = closedDays(hall);
    const store = new SqliteHistoryStore(':memory:');
    await store.migrate();
    const away = flaky(store, 1);
    const archiver = new Archiver(away, pino({ level: 'silent' }));
    await archiver.prepare([hall.id]);
    const settled: string[] = [];
    archiver.onSettled((_h, s) => settled.push(s.day));

    archiver.dayClosed(hall.id, closings[0]!);
    // Queued and not yet in the store: no snapshot may skip past it.
    expect(archiver.pending(hall.id)).toBe(true);
    await archiver.flush();
    expect(away.attempts).toBe(2);
    expect(archiver.pending(hall.id)).toBe(false);
    expect(settled).toEqual([closings[0]!.day]);
    expect(await store.archivedDays(hall.id, '2026-11-01', '2026-11-30')).toEqual([closings[0]!.day]);

    // A day already complete is not written again, and is safe at once.
    archiver.dayClosed(hall.id, closings[0]!);
    expect(archiver.pending(hall.id)).toBe(false);
    expect(away.attempts).toBe(2);
    expect(settled).toEqual([closings[0]!.day, closings[0]!.day]);
    archiver.stop();
    await store.close();
  }, 15_000);

  it('writes the running day as it stands, replaced by each newer state, and complete once its date passed', async () => {
    const hall = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
    const { last } = closedDays(hall);
    const store = new SqliteHistoryStore(':memory:');
    await store.migrate();
    const archiver = new Archiver(store, pino({ level: 'silent' }));
    await archiver.prepare([hall.id]);
    const states = new Map([[hall.id, last]]);
    const sameDay = Date.parse(`${last.day}T08:00:00Z`);
    archiver.archiveRunning(states, sameDay);
    archiver.archiveRunning(states, sameDay);
    await archiver.flush();
    const tickets = await store.tickets(hall.id, last.day, last.day);
    expect(tickets.length).toBe([...last.tickets.values()].filter((t) => t.day === last.day).length);
    // Running: its rows are there, the day is not archived complete.
    expect(await store.archivedDays(hall.id, last.day, last.day)).toEqual([]);
    // The next morning with no event since: complete.
    archiver.archiveRunning(states, sameDay + 24 * 3600_000);
    await archiver.flush();
    expect(await store.archivedDays(hall.id, last.day, last.day)).toEqual([last.day]);
    archiver.stop();
    await store.close();
  });
});
