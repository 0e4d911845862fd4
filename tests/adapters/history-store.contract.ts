import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert, AttendanceDay, CounterSession } from '@yichuang/protocol';
import { figuresOf, type DayRecords, type HistoryStore, type TicketFact } from '@yichuang/server';

/** A completed ticket of `day`, issued `n` minutes after 09:00 Shanghai. */
export const fact = (day: string, n: number, change: Partial<TicketFact> = {}): TicketFact => {
  const issuedAt = Date.parse(`${day}T01:00:00Z`) + n * 60_000;
  return {
    hallId: 'h1',
    day,
    ticketId: `${day}-t${n}`,
    number: `A${String(n).padStart(3, '0')}`,
    serviceId: 'tax',
    priority: 'normal',
    channel: 'kiosk',
    status: 'completed',
    issuedAt,
    calledAt: issuedAt + 5 * 60_000,
    startedAt: issuedAt + 6 * 60_000,
    endedAt: issuedAt + 16 * 60_000,
    waitMs: 5 * 60_000,
    handlingMs: 10 * 60_000,
    outcome: 'accepted',
    transfers: 0,
    counterId: 'c1',
    staffId: 's1',
    firstContactStaffId: 's1',
    rating: null,
    ratingNotGiven: false,
    offline: false,
    targetWaitMs: 15 * 60_000,
    ...change,
  };
};

const at = (day: string, clock: string) => Date.parse(`${day}T${clock}:00+08:00`);

/** A sitting at counter c1 of `day`, 09:00–17:00 (open when `open`), with a pause 10:00–10:20. */
const sitting = (day: string, open = false): CounterSession => ({
  counterId: 'c1',
  staffId: 's1',
  from: at(day, '09:00'),
  to: open ? null : at(day, '17:00'),
  pauses: [{ from: at(day, '10:00'), to: at(day, '10:20'), reason: 'break' }],
});

const attendance = (day: string, change: Partial<AttendanceDay> = {}): AttendanceDay => ({
  day,
  staffId: 's1',
  expectedFrom: at(day, '09:00'),
  expectedTo: at(day, '17:00'),
  onLeave: null,
  firstIn: at(day, '09:00'),
  lastOut: at(day, '17:00'),
  workedMinutes: 480,
  lateMinutes: 0,
  earlyMinutes: 0,
  absentMinutes: 20,
  missing: false,
  overtimeMinutes: 0,
  ...change,
});

const alert = (id: string, raisedAt: number, change: Partial<Alert> = {}): Alert => ({
  id,
  kind: 'absence',
  severity: 'warning',
  rule: 'R6',
  raisedAt,
  counterId: 'c1',
  staffId: 's1',
  deviceId: null,
  detail: 'break',
  ticketIds: [],
  caseId: null,
  note: '',
  acknowledgedAt: null,
  acknowledgedBy: null,
  assignedTo: null,
  assignedAt: null,
  escalations: 0,
  escalatedAt: null,
  resolvedAt: null,
  resolvedBy: null,
  resolution: '',
  ...change,
});

const records = (version: number, change: Partial<DayRecords>): DayRecords => ({
  version,
  sessions: [],
  attendance: [],
  alerts: [],
  ...change,
});

/** The contract every HistoryStore adapter passes (#14): SQLite, and PostgreSQL. */
export function historyStoreContract(name: string, make: () => Promise<HistoryStore>) {
  describe(`HistoryStore contract: ${name}`, () => {
    let store: HistoryStore;
    beforeEach(async () => {
      store = await make();
      await store.migrate();
    });
    afterEach(async () => {
      await store.close();
    });

    it('migrates once: a second start applies nothing and loses nothing', async () => {
      await store.archiveDay('h1', '2026-11-27', [fact('2026-11-27', 1)]);
      await store.migrate();
      expect(await store.tickets('h1', '2026-11-27', '2026-11-27')).toHaveLength(1);
    });

    it('reads back every field of a day, by day and issue time', async () => {
      const rows = [
        fact('2026-11-27', 2, { rating: 1, transfers: 2, offline: true, priority: 'special-care' }),
        fact('2026-11-27', 1, {
          status: 'no-show',
          startedAt: null,
          endedAt: null,
          handlingMs: null,
          outcome: null,
          staffId: null,
          ratingNotGiven: true,
        }),
        fact('2026-11-27', 3, { status: 'cancelled', calledAt: null, waitMs: null, counterId: null }),
      ];
      await store.archiveDay('h1', '2026-11-27', rows);
      expect(await store.tickets('h1', '2026-11-27', '2026-11-27')).toEqual([rows[1], rows[0], rows[2]]);
      expect(await store.archivedDays('h1', '2026-11-01', '2026-11-30')).toEqual(['2026-11-27']);
    });

    it('gives the same rows for a day archived twice (the second replaces the first)', async () => {
      await store.archiveDay('h1', '2026-11-27', [fact('2026-11-27', 1), fact('2026-11-27', 2)]);
      await store.archiveDay('h1', '2026-11-27', [fact('2026-11-27', 1), fact('2026-11-27', 2)]);
      expect(await store.tickets('h1', '2026-11-27', '2026-11-27')).toHaveLength(2);
      // A re-archive that knows more (a rating came in late) replaces, never adds.
      await store.archiveDay('h1', '2026-11-27', [fact('2026-11-27', 1, { rating: 5 })]);
      expect(await store.tickets('h1', '2026-11-27', '2026-11-27')).toEqual([
        fact('2026-11-27', 1, { rating: 5 }),
      ]);
    });

    it('keeps what a day had when writing it fails halfway', async () => {
      await store.archiveDay('h1', '2026-11-27', [fact('2026-11-27', 1)]);
      // The second row breaks a rule of the schema (a rating of 9): nothing of this write stays.
      const bad = [fact('2026-11-27', 2), fact('2026-11-27', 3, { rating: 9 })];
      await expect(store.archiveDay('h1', '2026-11-27', bad)).rejects.toThrow();
      expect(await store.tickets('h1', '2026-11-27', '2026-11-27')).toEqual([fact('2026-11-27', 1)]);
    });

    it('keeps halls and days apart, and answers a range', async () => {
      await store.archiveDay('h1', '2026-11-26', [fact('2026-11-26', 1)]);
      await store.archiveDay('h1', '2026-11-27', [fact('2026-11-27', 1)]);
      await store.archiveDay('h2', '2026-11-27', [fact('2026-11-27', 1, { hallId: 'h2' })]);
      await store.archiveDay('h1', '2026-11-28', []);
      expect((await store.tickets('h1', '2026-11-26', '2026-11-27')).map((t) => t.ticketId)).toEqual([
        '2026-11-26-t1',
        '2026-11-27-t1',
      ]);
      expect(await store.tickets('h2', '2026-11-26', '2026-11-26')).toEqual([]);
      // A day with no tickets is archived too (it is not missing).
      expect(await store.archivedDays('h1', '2026-11-01', '2026-11-30')).toEqual([
        '2026-11-26',
        '2026-11-27',
        '2026-11-28',
      ]);
    });

    it('keeps a running day apart from closed ones until it is archived complete', async () => {
      await store.archiveDay('h1', '2026-11-28', [fact('2026-11-28', 1)], false);
      expect(await store.archivedDays('h1', '2026-11-01', '2026-11-30')).toEqual([]);
      expect(await store.tickets('h1', '2026-11-28', '2026-11-28')).toHaveLength(1);
      await store.archiveDay('h1', '2026-11-28', [fact('2026-11-28', 1), fact('2026-11-28', 2)]);
      expect(await store.archivedDays('h1', '2026-11-01', '2026-11-30')).toEqual(['2026-11-28']);
      expect(await store.tickets('h1', '2026-11-28', '2026-11-28')).toHaveLength(2);
    });

    it('keeps each day’s figures per service with its tickets, replaced with them', async () => {
      const day = [
        fact('2026-11-27', 1, { rating: 1 }),
        fact('2026-11-27', 2, { waitMs: 40 * 60_000, rating: 5 }),
        fact('2026-11-27', 3, { serviceId: 'birth', status: 'no-show', handlingMs: null }),
        fact('2026-11-27', 4, { serviceId: 'birth', calledAt: null, waitMs: null, status: 'cancelled' }),
      ];
      await store.archiveDay('h1', '2026-11-27', day.slice(0, 1));
      await store.archiveDay('h1', '2026-11-27', day);
      await store.archiveDay('h2', '2026-11-27', [fact('2026-11-27', 1, { hallId: 'h2' })]);
      const mine = await store.figures('2026-11-27', '2026-11-27', ['h1']);
      expect(mine).toEqual(figuresOf(day));
      expect(mine.find((f) => f.serviceId === 'tax')).toMatchObject({
        issued: 2,
        served: 2,
        called: 2,
        withinTarget: 1,
        waitMsMax: 40 * 60_000,
        rated: 2,
        badReviews: 1,
      });
      expect(mine.find((f) => f.serviceId === 'birth')).toMatchObject({ issued: 2, noShows: 1, called: 1 });
      // Every hall when none is named (the city view).
      expect((await store.figures('2026-11-01', '2026-11-30')).map((f) => f.hallId)).toEqual([
        'h1',
        'h1',
        'h2',
      ]);
    });

    it('keeps each day’s sittings with their pauses and its attendance, replaced with the day', async () => {
      const open = sitting('2026-11-27', true);
      await store.archiveDay('h1', '2026-11-27', [], false, records(10, { sessions: [open] }));
      await store.archiveDay(
        'h1',
        '2026-11-27',
        [],
        true,
        records(20, {
          sessions: [sitting('2026-11-27')],
          attendance: [
            attendance('2026-11-27'),
            attendance('2026-11-27', {
              staffId: 's2',
              missing: true,
              firstIn: null,
              lastOut: null,
              workedMinutes: 0,
              absentMinutes: 0,
            }),
          ],
        }),
      );
      await store.archiveDay(
        'h1',
        '2026-11-28',
        [],
        true,
        records(30, {
          attendance: [attendance('2026-11-28', { onLeave: 'sick', firstIn: null, lastOut: null })],
        }),
      );
      await store.archiveDay('h2', '2026-11-27', [], true, records(5, { sessions: [sitting('2026-11-27')] }));
      expect(await store.sessions('h1', '2026-11-27', '2026-11-28')).toEqual([
        { day: '2026-11-27', ...sitting('2026-11-27') },
      ]);
      expect(await store.attendance('h1', '2026-11-27', '2026-11-28')).toEqual([
        attendance('2026-11-27'),
        attendance('2026-11-27', {
          staffId: 's2',
          missing: true,
          firstIn: null,
          lastOut: null,
          workedMinutes: 0,
          absentMinutes: 0,
        }),
        attendance('2026-11-28', { onLeave: 'sick', firstIn: null, lastOut: null }),
      ]);
      expect(await store.attendance('h1', '2026-11-28', '2026-11-28')).toHaveLength(1);
    });

    it('keeps an alert once, as the newest version that wrote it (it may span days)', async () => {
      const raised = alert('a1', at('2026-11-27', '16:50'));
      const resolved = { ...raised, resolvedAt: at('2026-11-28', '08:40'), resolution: '补岗' };
      await store.archiveDay(
        'h1',
        '2026-11-27',
        [],
        true,
        records(100, { alerts: [{ raisedOn: '2026-11-27', alert: raised }] }),
      );
      await store.archiveDay(
        'h1',
        '2026-11-28',
        [],
        false,
        records(140, {
          alerts: [
            { raisedOn: '2026-11-27', alert: resolved },
            {
              raisedOn: '2026-11-28',
              alert: alert('a2', at('2026-11-28', '09:00'), { kind: 'empty-post', rule: 'R5' }),
            },
          ],
        }),
      );
      // The day before written again (a replay) does not take the alert back to open.
      await store.archiveDay(
        'h1',
        '2026-11-27',
        [],
        true,
        records(100, { alerts: [{ raisedOn: '2026-11-27', alert: raised }] }),
      );
      expect(await store.alerts('h1', '2026-11-27', '2026-11-27')).toEqual([{ ...resolved, hallId: 'h1' }]);
      expect((await store.alerts('h1', '2026-11-01', '2026-11-30')).map((a) => a.id)).toEqual(['a1', 'a2']);
      expect(await store.alerts('h2', '2026-11-01', '2026-11-30')).toEqual([]);
    });

    it('writes a busy day in one go', async () => {
      const day = Array.from({ length: 1200 }, (_v, i) => fact('2026-11-27', i + 1));
      await store.archiveDay('h1', '2026-11-27', day);
      expect(await store.tickets('h1', '2026-11-27', '2026-11-27')).toHaveLength(1200);
    });
  });
}
