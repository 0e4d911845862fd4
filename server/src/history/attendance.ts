import { localDay, type AttendanceDay } from '@yichuang/protocol';
import type { HallState } from '../engine/index.js';
import type { ArchivedAlert, HistoryStore } from '../ports/history-store.js';
import { dayRecords } from './day-records.js';

const byDayAndStaff = (a: AttendanceDay, b: AttendanceDay) =>
  a.day === b.day ? a.staffId.localeCompare(b.staffId) : a.day.localeCompare(b.day);

/**
 * R5, R7, R26: a hall's attendance for the days from `from` to `to`: the archived days from the
 * history store (as that day's roster and leave made them), today from the live state (up to the
 * latest event). No log is read: its old days may be compacted away (#14).
 */
export async function attendanceBetween(
  history: HistoryStore | undefined,
  state: HallState,
  from: string,
  to: string,
): Promise<AttendanceDay[]> {
  const archived = history ? await history.attendance(state.config.id, from, to) : [];
  const today =
    state.day !== '' && from <= state.day && state.day <= to
      ? dayRecords(state, state.day, false).attendance
      : [];
  return [...archived.filter((a) => a.day !== state.day), ...today].sort(byDayAndStaff);
}

/** R33: the alerts raised in the days from `from` to `to`: archived, with today's as they stand now. */
export async function alertsBetween(
  history: HistoryStore,
  state: HallState,
  from: string,
  to: string,
): Promise<ArchivedAlert[]> {
  const byId = new Map((await history.alerts(state.config.id, from, to)).map((a) => [a.id, a]));
  for (const a of state.alerts.values()) {
    const day = localDay(a.raisedAt, state.config.timeZone);
    if (from <= day && day <= to) byId.set(a.id, { ...a, hallId: state.config.id });
  }
  return [...byId.values()].sort((a, b) => a.raisedAt - b.raisedAt || a.id.localeCompare(b.id));
}
