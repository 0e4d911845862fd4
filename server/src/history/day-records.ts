import { attendanceOfSessions, endOfLocalDay, localDay } from '@yichuang/protocol';
import type { HallState } from '../engine/index.js';
import type { DayRecords } from '../ports/history-store.js';

/**
 * #14: what `day` leaves besides its tickets, read from the hall's state (taken before the next day's
 * rollover lets the day's sittings and resolved alerts go): the sittings that overlapped the day, the
 * attendance they make under that day's roster and leave, and the alerts the day saw. A complete day
 * counts a sitting still open at its end up to midnight; a running day up to its latest event.
 */
export function dayRecords(state: HallState, day: string, complete: boolean): DayRecords {
  const zone = state.config.timeZone;
  const asOf = complete ? endOfLocalDay(day, zone) : state.lastAt;
  return {
    version: state.version,
    sessions: state.counterSessions,
    attendance: attendanceOfSessions(
      state.config,
      state.counterSessions,
      [...state.leave.values()],
      day,
      day,
      asOf,
    ),
    alerts: [...state.alerts.values()].map((alert) => ({ raisedOn: localDay(alert.raisedAt, zone), alert })),
  };
}
