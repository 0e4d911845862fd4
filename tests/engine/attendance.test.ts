import { describe, expect, it } from 'vitest';
import type { Actor, Command, HallEvent } from '@yichuang/protocol';
import {
  attendanceOf,
  attendanceOfSessions,
  DEFAULT_RULES,
  staffingRatio,
  timeOffOwed,
} from '@yichuang/protocol';
import { dayRecords, fromSnapshot, toSnapshot, transition, type HallState } from '@yichuang/server';
import { fresh, manager, MINUTE, smallHall, staff, T0 } from '../support/factories.js';

/**
 * R5, R7 and R26's overtime ledger, folded from the events the engine records. T0 is Friday
 * 27 November 2026, 09:00 in Shanghai; s1 is rostered 09:00–17:00 on weekdays, s2 too, s3 not.
 */
const weekday = [{ open: '09:00', close: '17:00' }];
const HOUR = 60 * MINUTE;
const config = smallHall({
  openingHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
  rules: { ...DEFAULT_RULES, issuing: 'always' },
  roster: [
    { staffId: 's1', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00', counterId: 'c1' },
    { staffId: 's2', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00', counterId: 'c2' },
  ],
});

/** Runs commands at the given instants; every event recorded, and the hall after each step. */
function run(steps: Array<[number, Command, Actor?]>): { log: HallEvent[]; states: HallState[] } {
  let s: HallState = fresh(config);
  const log: HallEvent[] = [];
  const states: HallState[] = [];
  steps.forEach(([at, command, actor], i) => {
    const r = transition(s, { command, actor: actor ?? manager, id: `e${i}` }, at);
    if (!r.ok) throw new Error(`${command.type}: ${r.error.message}`);
    s = r.state;
    log.push(...r.events);
    states.push(s);
  });
  return { log, states };
}
const events = (steps: Array<[number, Command, Actor?]>) => run(steps).log;

describe('attendance (R5, R7) and the overtime ledger (R26)', () => {
  it('records sign-in and sign-out, lateness, time away, leave, absence from the roster and overtime', () => {
    const log = events([
      // s1 comes 20 minutes late, takes a 12-minute break, serves past closing until 17:45.
      [T0 + 20 * MINUTE, { type: 'counter:open', counterId: 'c1' }, staff('s1')],
      [T0 + 2 * HOUR, { type: 'counter:pause', counterId: 'c1', reason: 'break', note: '' }, staff('s1')],
      [T0 + 2 * HOUR + 12 * MINUTE, { type: 'counter:resume', counterId: 'c1' }, manager],
      [T0 + 8 * HOUR + 45 * MINUTE, { type: 'counter:close', counterId: 'c1' }, staff('s1')],
      // s2 is on sick leave today; s3 (not rostered) covers window 3 for an hour.
      [
        T0,
        {
          type: 'staff:record-leave',
          staffId: 's2',
          from: '2026-11-27',
          to: '2026-11-27',
          kind: 'sick',
          note: '',
        },
      ],
      [T0 + 3 * HOUR, { type: 'counter:open', counterId: 'c3' }, staff('s3')],
      [T0 + 4 * HOUR, { type: 'counter:close', counterId: 'c3' }, staff('s3')],
    ]);
    const days = attendanceOf(config, log, '2026-11-27', '2026-11-27');
    const of = (id: string) => days.find((d) => d.staffId === id)!;
    expect(of('s1')).toMatchObject({
      day: '2026-11-27',
      firstIn: T0 + 20 * MINUTE,
      lastOut: T0 + 8 * HOUR + 45 * MINUTE,
      lateMinutes: 20,
      earlyMinutes: 0,
      absentMinutes: 12,
      missing: false,
      onLeave: null,
      workedMinutes: 8 * 60 + 25,
      overtimeMinutes: 45,
    });
    expect(of('s2')).toMatchObject({ onLeave: 'sick', missing: false, firstIn: null });
    expect(of('s3')).toMatchObject({ expectedFrom: null, workedMinutes: 60, lateMinutes: 0 });
    // The manager (m1) is not rostered and did not work a counter: not listed.
    expect(days.map((d) => d.staffId).sort()).toEqual(['s1', 's2', 's3']);
  });

  it('counts a rostered day without a sign-in as absence, early leave, and a cover taking over as a sign-out', () => {
    const monday = T0 + 3 * 24 * HOUR;
    const log = events([
      [monday, { type: 'counter:open', counterId: 'c1' }, staff('s1')],
      [monday + 3 * HOUR, { type: 'counter:pause', counterId: 'c1', reason: 'other', note: '' }, staff('s1')],
      [
        monday + 3 * HOUR + 16 * MINUTE,
        { type: 'counter:check-absence', counterId: 'c1', pausedAt: monday + 3 * HOUR },
        { kind: 'system' },
      ],
      [monday + 3 * HOUR + 20 * MINUTE, { type: 'alert:assign', alertId: 'e2', staffId: 's3' }],
    ]);
    const days = attendanceOf(config, log, '2026-11-30', '2026-11-30');
    const of = (id: string) => days.find((d) => d.staffId === id)!;
    // s1 left at 12:00 (their absence ended by the cover): four hours early, 20 minutes away.
    expect(of('s1')).toMatchObject({
      lastOut: monday + 3 * HOUR + 20 * MINUTE,
      earlyMinutes: 280,
      absentMinutes: 20,
    });
    expect(of('s2')).toMatchObject({ missing: true, firstIn: null });
    // s3 still holds window 1: signed in, not signed out yet.
    expect(of('s3')).toMatchObject({ firstIn: monday + 3 * HOUR + 20 * MINUTE, lastOut: null });
  });

  it('earns a day off per eight hours of overtime over the range', () => {
    const days = [
      { staffId: 's1', overtimeMinutes: 300 },
      { staffId: 's1', overtimeMinutes: 240 },
      { staffId: 's2', overtimeMinutes: 30 },
      { staffId: 's3', overtimeMinutes: 0 },
    ] as unknown as Parameters<typeof timeOffOwed>[0];
    expect(timeOffOwed(days, 480)).toEqual([
      { staffId: 's1', overtimeMinutes: 540, daysOff: 1 },
      { staffId: 's2', overtimeMinutes: 30, daysOff: 0 },
    ]);
  });

  it('measures staff per window against the norm of 1.2 (R4), managers who do not work windows left out', () => {
    const staff = [
      { roles: ['staff'] },
      { roles: ['staff'] },
      { roles: ['manager'] },
      { roles: ['manager', 'staff'] },
    ];
    expect(staffingRatio(staff, 3)).toEqual({ staff: 3, windows: 3, ratio: 1, belowNorm: true });
    expect(staffingRatio(staff, 2)).toEqual({ staff: 3, windows: 2, ratio: 1.5, belowNorm: false });
  });

  it('keeps today’s sittings in the hall’s state: sign-in, pauses, a cover, sign-out (#14)', () => {
    const { states } = run([
      [T0, { type: 'counter:open', counterId: 'c1' }, staff('s1')],
      [T0 + HOUR, { type: 'counter:pause', counterId: 'c1', reason: 'break', note: '' }, staff('s1')],
      [T0 + HOUR + 10 * MINUTE, { type: 'counter:resume', counterId: 'c1' }, staff('s1')],
      [T0 + 2 * HOUR, { type: 'counter:open', counterId: 'c2' }, staff('s2')],
      [T0 + 3 * HOUR, { type: 'counter:close', counterId: 'c2' }, staff('s2')],
    ]);
    const end = states[states.length - 1]!;
    expect(end.counterSessions).toEqual([
      {
        counterId: 'c1',
        staffId: 's1',
        from: T0,
        to: null,
        pauses: [{ from: T0 + HOUR, to: T0 + HOUR + 10 * MINUTE, reason: 'break' }],
      },
      { counterId: 'c2', staffId: 's2', from: T0 + 2 * HOUR, to: T0 + 3 * HOUR, pauses: [] },
    ]);
    // A snapshot keeps them.
    expect(fromSnapshot(config, toSnapshot(end)).counterSessions).toEqual(end.counterSessions);
  });

  it('counts a sitting across midnight on both days, from the state of each day as from the log', () => {
    // s1 serves from 16:00 Friday until 01:00 Saturday, paused 23:30–00:30.
    const { log, states } = run([
      [T0 + 7 * HOUR, { type: 'counter:open', counterId: 'c1' }, staff('s1')],
      [
        T0 + 14 * HOUR + 30 * MINUTE,
        { type: 'counter:pause', counterId: 'c1', reason: 'other', note: '' },
        staff('s1'),
      ],
      [T0 + 15 * HOUR + 30 * MINUTE, { type: 'counter:resume', counterId: 'c1' }, staff('s1')],
      [T0 + 16 * HOUR, { type: 'counter:close', counterId: 'c1' }, staff('s1')],
    ]);
    const friday = states[1]!; // the last state of Friday (the resume after midnight ends it)
    const saturday = states[3]!;
    expect(friday.day).toBe('2026-11-27');
    expect(saturday.day).toBe('2026-11-28');
    // Saturday's state carries the open sitting with its open pause only.
    expect(saturday.counterSessions).toEqual([
      {
        counterId: 'c1',
        staffId: 's1',
        from: T0 + 7 * HOUR,
        to: T0 + 16 * HOUR,
        pauses: [{ from: T0 + 14 * HOUR + 30 * MINUTE, to: T0 + 15 * HOUR + 30 * MINUTE, reason: 'other' }],
      },
    ]);
    const archived = [
      ...dayRecords(friday, '2026-11-27', true).attendance,
      ...dayRecords(saturday, '2026-11-28', false).attendance,
    ];
    const fromLog = attendanceOf(config, log, '2026-11-27', '2026-11-28');
    expect(archived).toEqual(fromLog);
    const of = (day: string) => fromLog.find((d) => d.day === day && d.staffId === 's1')!;
    // Friday: 16:00 to midnight, 30 minutes away, 7 hours past closing, still signed in at its end.
    expect(of('2026-11-27')).toMatchObject({
      workedMinutes: 480,
      absentMinutes: 30,
      overtimeMinutes: 420,
      lastOut: null,
    });
    // Saturday (not rostered, the hall closed): one hour, 30 minutes away, signed out at 01:00.
    expect(of('2026-11-28')).toMatchObject({
      workedMinutes: 60,
      absentMinutes: 30,
      firstIn: null,
      lastOut: T0 + 16 * HOUR,
    });
    // The same sittings give the same days however they are split.
    expect(
      attendanceOfSessions(config, saturday.counterSessions, [], '2026-11-28', '2026-11-28', T0 + 16 * HOUR),
    ).toEqual([of('2026-11-28')]);
  });
});
