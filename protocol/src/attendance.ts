import { DateTime } from 'luxon';
import type { Id } from './common.js';
import type { HallEvent } from './events.js';
import type { HallConfig } from './hall.js';
import { leaveOf, type Leave, type LeaveKind } from './leave.js';
import { periodsOfDate } from './opening-hours.js';

/** Minutes of lateness or early leave that are not counted (a clock a minute off is not late). */
export const ATTENDANCE_GRACE_MINUTES = 5;

/** One staff member's day, as the hall's events tell it (R5, R7, R26's overtime ledger). */
export type AttendanceDay = {
  day: string;
  staffId: Id;
  /** What the roster expected (null: not rostered that day). */
  expectedFrom: number | null;
  expectedTo: number | null;
  onLeave: LeaveKind | null;
  firstIn: number | null;
  lastOut: number | null;
  /** Minutes signed in at a counter. */
  workedMinutes: number;
  lateMinutes: number;
  earlyMinutes: number;
  /** Minutes paused away from the window (R6). */
  absentMinutes: number;
  /** Rostered, not on leave, and never signed in. */
  missing: boolean;
  /** R26: minutes signed in after the hall's closing time (extended hours). */
  overtimeMinutes: number;
};

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const minutes = (ms: number) => Math.round(ms / 60_000);

/** R6: a pause of a sitting at a counter (`to` null while it lasts). */
export type CounterPause = { from: number; to: number | null; reason: string };

/**
 * R5, R6, R7: one sitting of a staff member at a counter, from sign-in to sign-out (`to` null while
 * they are still signed in), with its pauses. The hall keeps today's (and those still open) in its
 * state; the history store keeps each day's (#14); attendance is computed from them.
 */
export type CounterSession = {
  counterId: Id;
  staffId: Id;
  from: number;
  to: number | null;
  pauses: CounterPause[];
};

/**
 * The sittings after one event (pure): signing in at a counter (or a cover taking it over) signs out
 * whoever sat there; a pause starts once; a resume ends the open pause. Returns the same array when
 * the event changes nothing, so the engine shares it. The one home of this rule: the engine's state
 * and the fold over a log both use it.
 */
export function withSessionEvent(
  sessions: readonly CounterSession[],
  e: HallEvent,
): readonly CounterSession[] {
  // Every event of the hall comes through here: most are none of these and cost nothing.
  switch (e.type) {
    case 'counter:opened':
    case 'counter:covered':
      return [
        ...signedOut(sessions, e.counterId, e.at),
        { counterId: e.counterId, staffId: e.staffId, from: e.at, to: null, pauses: [] },
      ];
    case 'counter:closed':
      return signedOut(sessions, e.counterId, e.at);
    case 'counter:paused': {
      const i = openAt(sessions, e.counterId);
      if (i < 0 || sessions[i]!.pauses.some((p) => p.to === null)) return sessions;
      return changed(sessions, i, (s) => ({
        ...s,
        pauses: [...s.pauses, { from: e.at, to: null, reason: e.reason }],
      }));
    }
    case 'counter:resumed': {
      const i = openAt(sessions, e.counterId);
      if (i < 0 || !sessions[i]!.pauses.some((p) => p.to === null)) return sessions;
      return changed(sessions, i, (s) => ({ ...s, pauses: endPauses(s.pauses, e.at) }));
    }
    default:
      return sessions;
  }
}

const openAt = (sessions: readonly CounterSession[], counterId: Id) =>
  sessions.findIndex((s) => s.counterId === counterId && s.to === null);
const changed = (sessions: readonly CounterSession[], i: number, f: (s: CounterSession) => CounterSession) =>
  sessions.map((s, j) => (j === i ? f(s) : s));
function signedOut(sessions: readonly CounterSession[], counterId: Id, at: number) {
  const i = openAt(sessions, counterId);
  return i < 0 ? sessions : changed(sessions, i, (s) => ({ ...s, to: at, pauses: endPauses(s.pauses, at) }));
}

const endPauses = (pauses: CounterPause[], at: number) =>
  pauses.some((p) => p.to === null) ? pauses.map((p) => (p.to === null ? { ...p, to: at } : p)) : pauses;

/** The sittings a day carries into the next: those still open, with their open pause only. */
export const sessionsCarried = (sessions: readonly CounterSession[]): CounterSession[] =>
  sessions.filter((s) => s.to === null).map((s) => ({ ...s, pauses: s.pauses.filter((p) => p.to === null) }));

/**
 * The attendance of every staff member for each local day from `from` to `to` (inclusive), folded
 * from the hall's events (pure): sign-in and sign-out at counters (a cover taking over signs the
 * absent one out), pauses, the roster and the leave recorded. Time at a counter is split by day;
 * a staff member still signed in is counted up to the latest event.
 */
export function attendanceOf(
  config: Pick<HallConfig, 'timeZone' | 'openingHours' | 'staff' | 'roster'>,
  events: Iterable<HallEvent>,
  from: string,
  to: string,
): AttendanceDay[] {
  const leave = new Map<Id, Leave>();
  let sessions: readonly CounterSession[] = [];
  let last = 0;
  for (const e of events) {
    last = Math.max(last, e.at);
    sessions = withSessionEvent(sessions, e);
    if (e.type === 'staff:leave-recorded') leave.set(e.leaveId, leaveOf(e));
    else if (e.type === 'staff:leave-cancelled') leave.delete(e.leaveId);
  }
  return attendanceOfSessions(config, sessions, [...leave.values()], from, to, last);
}

/**
 * The attendance for each local day from `from` to `to` from the sittings at counters (pure): each
 * sitting and pause is split at midnight and counted on the days it covers; a sitting still open is
 * counted up to `asOf`. The roster says who was expected when, the leave who was excused.
 */
export function attendanceOfSessions(
  config: Pick<HallConfig, 'timeZone' | 'openingHours' | 'staff' | 'roster'>,
  sessions: Iterable<CounterSession>,
  leave: readonly Leave[],
  from: string,
  to: string,
  asOf: number,
): AttendanceDay[] {
  const zone = config.timeZone;
  const dayOf = (at: number) => DateTime.fromMillis(at, { zone }).toISODate()!;
  const rows = new Map<string, AttendanceDay>();
  const row = (day: string, staffId: Id): AttendanceDay => {
    const key = `${day}|${staffId}`;
    let r = rows.get(key);
    if (!r) {
      r = blank(day, staffId);
      rows.set(key, r);
    }
    return r;
  };
  /** Calls `each` with every local day a stretch of time spans and the part of it on that day. */
  const byDay = (start: number, end: number, each: (day: string, from: number, to: number) => void) => {
    let t = start;
    while (t < end) {
      const day = dayOf(t);
      const stop = Math.min(end, DateTime.fromISO(day, { zone }).plus({ days: 1 }).toMillis());
      each(day, t, stop);
      t = stop;
    }
  };
  const stillIn = new Set<string>();
  for (const s of sessions) {
    const end = s.to ?? Math.max(asOf, s.from);
    byDay(s.from, end, (day, t, stop) => {
      const r = row(day, s.staffId);
      r.workedMinutes += (stop - t) / 60_000;
      const closes = Math.max(0, ...periodsOfDate(config.openingHours, zone, day).map((p) => p.closesAt));
      if (closes > 0) r.overtimeMinutes += Math.max(0, stop - Math.max(t, closes)) / 60_000;
      if (s.to === null) stillIn.add(`${day}|${s.staffId}`);
    });
    const first = row(dayOf(s.from), s.staffId);
    first.firstIn = Math.min(first.firstIn ?? Infinity, s.from);
    if (s.to !== null) {
      const out = row(dayOf(s.to), s.staffId);
      out.lastOut = Math.max(out.lastOut ?? 0, s.to);
    }
    for (const p of s.pauses)
      byDay(p.from, p.to ?? Math.max(asOf, p.from), (day, t, stop) => {
        row(day, s.staffId).absentMinutes += (stop - t) / 60_000;
      });
  }
  // Still signed in on a day: no sign-out that day yet.
  for (const key of stillIn) {
    const r = rows.get(key);
    if (r) r.lastOut = null;
  }

  // The roster and the leave for every day of the range, and what follows from them.
  const out: AttendanceDay[] = [];
  for (let d = DateTime.fromISO(from, { zone }); d.toISODate()! <= to; d = d.plus({ days: 1 })) {
    const day = d.toISODate()!;
    const weekday = WEEKDAYS[d.weekday - 1]!;
    for (const staff of config.staff) {
      const line = config.roster.find((l) => l.staffId === staff.id && l.days.includes(weekday));
      const onLeave = onLeaveOn(leave, staff.id, day)?.kind ?? null;
      const seen = rows.get(`${day}|${staff.id}`);
      if (!line && !seen && !onLeave) continue;
      const r = seen ?? blank(day, staff.id);
      r.onLeave = onLeave;
      if (line) {
        const at = (clock: string) => {
          const [h, m] = clock.split(':').map(Number);
          return d.set({ hour: h!, minute: m!, second: 0, millisecond: 0 }).toMillis();
        };
        r.expectedFrom = at(line.from);
        r.expectedTo = at(line.to);
        const grace = ATTENDANCE_GRACE_MINUTES * 60_000;
        if (r.firstIn !== null && r.firstIn > r.expectedFrom + grace)
          r.lateMinutes = minutes(r.firstIn - r.expectedFrom);
        if (r.lastOut !== null && r.lastOut < r.expectedTo - grace)
          r.earlyMinutes = minutes(r.expectedTo - r.lastOut);
        r.missing = r.firstIn === null && onLeave === null;
      }
      r.workedMinutes = Math.round(r.workedMinutes);
      r.absentMinutes = Math.round(r.absentMinutes);
      r.overtimeMinutes = Math.round(r.overtimeMinutes);
      out.push(r);
    }
  }
  return out.sort((a, b) =>
    a.day === b.day ? a.staffId.localeCompare(b.staffId) : a.day.localeCompare(b.day),
  );
}

function blank(day: string, staffId: Id): AttendanceDay {
  return {
    day,
    staffId,
    expectedFrom: null,
    expectedTo: null,
    onLeave: null,
    firstIn: null,
    lastOut: null,
    workedMinutes: 0,
    lateMinutes: 0,
    earlyMinutes: 0,
    absentMinutes: 0,
    missing: false,
    overtimeMinutes: 0,
  };
}

/** R26: overtime earns time off: a day off per `dayMinutes` of overtime, per staff member over the range. */
export function timeOffOwed(
  days: readonly AttendanceDay[],
  dayMinutes: number,
): Array<{ staffId: Id; overtimeMinutes: number; daysOff: number }> {
  const sums = new Map<Id, number>();
  for (const d of days) sums.set(d.staffId, (sums.get(d.staffId) ?? 0) + d.overtimeMinutes);
  return [...sums]
    .filter(([, m]) => m > 0)
    .map(([staffId, overtimeMinutes]) => ({
      staffId,
      overtimeMinutes,
      daysOff: Math.floor(overtimeMinutes / dayMinutes),
    }));
}

/** R7: the leave a staff member is on that day, if any. */
export function onLeaveOn(leave: readonly Leave[], staffId: Id, day: string): Leave | undefined {
  return leave.find((l) => l.staffId === staffId && l.from <= day && day <= l.to);
}

/** R4: the standard's staffing norm, staff per window. */
export const STAFFING_NORM = 1.2;

/**
 * R4: window staff (accounts with the `staff` role) per window of the hall, and whether the hall
 * is below the norm. Managers count only if they also work windows (the `staff` role).
 */
export function staffingRatio(
  staff: ReadonlyArray<{ roles?: readonly string[] }>,
  windows: number,
): { staff: number; windows: number; ratio: number; belowNorm: boolean } {
  const n = staff.filter((s) => !s.roles || s.roles.includes('staff')).length;
  const ratio = windows === 0 ? 0 : Math.round((n / windows) * 100) / 100;
  return { staff: n, windows, ratio, belowNorm: ratio < STAFFING_NORM };
}
