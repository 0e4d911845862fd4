import { beforeAll, describe, expect, it } from 'vitest';
import type { HallConfig, VersionedEvent } from '@yichuang/protocol';
import { attendanceOf, localDay } from '@yichuang/protocol';
import {
  applyEvents,
  applyEventsClosingDays,
  dayFacts,
  dayRecords,
  DEMO_CONFIG_PATH,
  generateHistory,
  initialState,
  loadInstallation,
  ticketReport,
  type HallState,
} from '@yichuang/server';

/**
 * #14: the history a hall writes, generated through the real engine, and what the archiver is handed
 * as each day ends. The report of a day is checked against numbers read straight from that day's
 * events, not from the engine's state.
 */
let hall: HallConfig;
let days: Array<{ day: string; events: VersionedEvent[] }>;
beforeAll(async () => {
  hall = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
  // Mon 2 to Tue 10 November 2026: six weekdays, a Saturday morning, a Sunday the hall is closed.
  days = [...generateHistory(hall, { from: '2026-11-02', days: 9, seed: 11, perDay: 300 })];
});

const all = () => days.flatMap((d) => d.events);

describe('history generated through the engine (#14)', () => {
  it('writes the open days only, each in time order and versioned without gaps', () => {
    expect(days.map((d) => d.day)).toEqual([
      '2026-11-02',
      '2026-11-03',
      '2026-11-04',
      '2026-11-05',
      '2026-11-06',
      '2026-11-07',
      '2026-11-09',
      '2026-11-10',
    ]);
    const events = all();
    events.forEach((e, i) => expect(e.version).toBe(i + 1));
    for (let i = 1; i < events.length; i++) expect(events[i]!.at).toBeGreaterThanOrEqual(events[i - 1]!.at);
    // Deterministic: the same seed gives the same history.
    const again = [...generateHistory(hall, { from: '2026-11-02', days: 2, seed: 11, perDay: 300 })];
    expect(again[0]!.events).toEqual(days[0]!.events);
    // A weekday has its applicants; the Saturday morning fewer.
    const issued = (d: { events: VersionedEvent[] }) =>
      d.events.filter((e) => e.type === 'ticket:issued').length;
    expect(issued(days[0]!)).toBeGreaterThan(200);
    expect(issued(days[5]!)).toBeLessThan(issued(days[0]!));
  });

  it('hands over each day as it ends, once, holding all of that day’s tickets', () => {
    const closed: HallState[] = [];
    const end = applyEventsClosingDays(initialState(hall), all(), (s) => closed.push(s));
    expect(closed.map((s) => s.day)).toEqual(days.slice(0, -1).map((d) => d.day));
    // The same hall as applying the events plainly.
    expect(end).toEqual(applyEvents(initialState(hall), all()));
    for (const s of closed) {
      const issuedThatDay = all().filter(
        (e) => e.type === 'ticket:issued' && localDay(e.at, hall.timeZone) === s.day,
      ).length;
      expect(dayFacts(s, s.day)).toHaveLength(issuedThatDay);
    }
    // Batches cut anywhere hand over the same days (the hub applies events in batches of any size).
    const inPieces: string[] = [];
    let s = initialState(hall);
    const events = all();
    for (let i = 0; i < events.length; i += 97)
      s = applyEventsClosingDays(s, events.slice(i, i + 97), (c) => inPieces.push(c.day));
    expect(inPieces).toEqual(closed.map((c) => c.day));
  });

  it('archives each day’s attendance and alerts as the whole log gives them (nothing needs the log after)', () => {
    const closed: HallState[] = [];
    applyEventsClosingDays(initialState(hall), all(), (s) => closed.push(s));
    const archived = closed.flatMap((s) => dayRecords(s, s.day, true).attendance);
    const fromLog = attendanceOf(hall, all(), closed[0]!.day, closed[closed.length - 1]!.day);
    expect(archived).toEqual(fromLog);
    // Real days: rostered staff worked, some paused.
    expect(archived.filter((a) => a.workedMinutes > 0).length).toBeGreaterThan(closed.length * 3);
    expect(archived.some((a) => a.absentMinutes > 0)).toBe(true);
    // Every alert raised in those days is handed over with the day it was raised on.
    const raised = all().filter(
      (e) => e.type === 'alert:raised' && localDay(e.at, hall.timeZone) <= closed[closed.length - 1]!.day,
    );
    // Breaks past the hall's absence limit raised some (R6).
    expect(raised.length).toBeGreaterThan(0);
    const handed = new Set(closed.flatMap((s) => dayRecords(s, s.day, true).alerts.map((a) => a.alert.id)));
    for (const e of raised) expect(handed.has((e as { alertId: string }).alertId)).toBe(true);
  });

  it('reports a day with the numbers its events give, counted independently', () => {
    const closed: HallState[] = [];
    applyEventsClosingDays(initialState(hall), all(), (s) => closed.push(s));
    const day = closed[2]!;
    const report = ticketReport(dayFacts(day, day.day), 'service', hall.timeZone);

    // Straight from the events of that day: no engine state involved.
    const events = all().filter((e) => localDay(e.at, hall.timeZone) === day.day);
    const issued = new Map<string, { at: number; serviceId: string }>();
    const firstCall = new Map<string, number>();
    let completed = 0;
    let noShows = 0;
    let rated = 0;
    let bad = 0;
    const outcomes: Record<string, number> = {};
    for (const e of events) {
      if (e.type === 'ticket:issued') issued.set(e.ticketId, { at: e.at, serviceId: e.serviceId });
      if (e.type === 'ticket:called' && !firstCall.has(e.ticketId)) firstCall.set(e.ticketId, e.at);
      if (e.type === 'ticket:completed') {
        completed++;
        outcomes[e.outcome] = (outcomes[e.outcome] ?? 0) + 1;
      }
      if (e.type === 'ticket:no-show') noShows++;
      if (e.type === 'ticket:rated') {
        rated++;
        if (e.level <= 2) bad++;
      }
    }
    const waits = [...firstCall].map(([id, at]) => at - issued.get(id)!.at).sort((a, b) => a - b);
    const rank = (p: number) => waits[Math.ceil(p * waits.length) - 1]!;
    const min = (ms: number) => Math.round((ms / 60_000) * 10) / 10;

    expect(report.total).toMatchObject({
      issued: issued.size,
      served: completed,
      noShows,
      called: waits.length,
      waitP50: min(rank(0.5)),
      waitP90: min(rank(0.9)),
      waitMax: min(waits[waits.length - 1]!),
      rated,
      badReviews: bad,
    });
    for (const [o, n] of Object.entries(outcomes)) expect(report.total.outcomes).toHaveProperty(o, n);
    // The rows add up to the total.
    expect(report.rows.reduce((n, r) => n + r.issued, 0)).toBe(report.total.issued);
    const target = (sid: string) => hall.services.find((s) => s.id === sid)!.targetWaitMinutes * 60_000;
    const within = [...firstCall].filter(
      ([id, at]) => at - issued.get(id)!.at <= target(issued.get(id)!.serviceId),
    );
    expect(report.total.withinTarget).toBeCloseTo(within.length / waits.length, 3);
  });

  it('groups by hour of the day in the hall’s zone, and by week and month', () => {
    const closed: HallState[] = [];
    applyEventsClosingDays(initialState(hall), all(), (s) => closed.push(s));
    const facts = closed.flatMap((s) => dayFacts(s, s.day));
    const hours = ticketReport(facts, 'hour', hall.timeZone).rows.map((r) => r.key);
    // Issuing is between 09:00 and 17:00 in Shanghai.
    expect(hours[0]).toBe('09');
    expect(hours[hours.length - 1]! <= '16').toBe(true);
    expect(ticketReport(facts, 'week', hall.timeZone).rows.map((r) => r.key)).toEqual([
      '2026-W45',
      '2026-W46',
    ]);
    expect(ticketReport(facts, 'month', hall.timeZone).rows.map((r) => r.key)).toEqual(['2026-11']);
  });
});
