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

type Session = { staffId: Id; from: number; pausedAt: number | null };
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const minutes = (ms: number) => Math.round(ms / 60_000);

/**
 * The attendance of every staff member for each local day from `from` to `to` (inclusive), folded
 * from the hall's events (pure): sign-in and sign-out at counters (a cover taking over signs the
 * absent one out), pauses, the roster and the leave recorded. Time at a counter is split by day.
 */
export function attendanceOf(
  config: Pick<HallConfig, 'timeZone' | 'openingHours' | 'staff' | 'roster'>,
  events: Iterable<HallEvent>,
  from: string,
  to: string,
): AttendanceDay[] {
  const leave = new Map<Id, Leave>();
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
  const sessions = new Map<Id, Session>(); // by counter
  /** Adds the time of a stretch at a counter to each day it spans: worked, and past closing. */
  const addWork = (staffId: Id, start: number, end: number) => {
    let t = start;
    while (t < end) {
      const day = dayOf(t);
      const dayEnd = DateTime.fromISO(day, { zone }).plus({ days: 1 }).toMillis();
      const stop = Math.min(end, dayEnd);
      const r = row(day, staffId);
      r.workedMinutes += (stop - t) / 60_000;
      const closes = Math.max(0, ...periodsOfDate(config.openingHours, zone, day).map((p) => p.closesAt));
      if (closes > 0) r.overtimeMinutes += Math.max(0, stop - Math.max(t, closes)) / 60_000;
      t = stop;
    }
  };
  const signOut = (counterId: Id, at: number) => {
    const s = sessions.get(counterId);
    if (!s) return;
    if (s.pausedAt !== null) row(dayOf(s.pausedAt), s.staffId).absentMinutes += (at - s.pausedAt) / 60_000;
    addWork(s.staffId, s.from, at);
    const r = row(dayOf(at), s.staffId);
    r.lastOut = Math.max(r.lastOut ?? 0, at);
    sessions.delete(counterId);
  };
  const signIn = (counterId: Id, staffId: Id, at: number) => {
    sessions.set(counterId, { staffId, from: at, pausedAt: null });
    const r = row(dayOf(at), staffId);
    r.firstIn = Math.min(r.firstIn ?? Infinity, at);
  };
  let last = 0;
  for (const e of events) {
    last = Math.max(last, e.at);
    switch (e.type) {
      case 'counter:opened':
        signOut(e.counterId, e.at);
        signIn(e.counterId, e.staffId, e.at);
        break;
      case 'counter:covered':
        signOut(e.counterId, e.at);
        signIn(e.counterId, e.staffId, e.at);
        break;
      case 'counter:closed':
        signOut(e.counterId, e.at);
        break;
      case 'counter:paused': {
        const s = sessions.get(e.counterId);
        if (s && s.pausedAt === null) s.pausedAt = e.at;
        break;
      }
      case 'staff:leave-recorded':
        leave.set(e.leaveId, leaveOf(e));
        break;
      case 'staff:leave-cancelled':
        leave.delete(e.leaveId);
        break;
      case 'counter:resumed': {
        const s = sessions.get(e.counterId);
        if (s?.pausedAt != null) {
          row(dayOf(s.pausedAt), s.staffId).absentMinutes += (e.at - s.pausedAt) / 60_000;
          s.pausedAt = null;
        }
        break;
      }
      default:
        break;
    }
  }
  // Still signed in: counted up to the latest event the log holds.
  for (const [counterId, s] of [...sessions]) {
    const open = { ...s };
    signOut(counterId, last);
    const r = row(dayOf(last), open.staffId);
    r.lastOut = null;
  }

  // The roster and the leave for every day of the range, and what follows from them.
  const out: AttendanceDay[] = [];
  for (let d = DateTime.fromISO(from, { zone }); d.toISODate()! <= to; d = d.plus({ days: 1 })) {
    const day = d.toISODate()!;
    const weekday = WEEKDAYS[d.weekday - 1]!;
    for (const staff of config.staff) {
      const line = config.roster.find((l) => l.staffId === staff.id && l.days.includes(weekday));
      const onLeave = onLeaveOn([...leave.values()], staff.id, day)?.kind ?? null;
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
