import type { Alert, AttendanceDay, CounterPause, CounterSession, Id, LeaveKind } from '@yichuang/protocol';
import type { ArchivedAlert, DayFigures, TicketFact } from '../ports/history-store.js';

/** The columns of `ticket_facts`, in the order the adapters write them. */
export const TICKET_COLUMNS = [
  'hall_id',
  'day',
  'ticket_id',
  'number',
  'service_id',
  'priority',
  'channel',
  'status',
  'issued_at',
  'called_at',
  'started_at',
  'ended_at',
  'wait_ms',
  'handling_ms',
  'outcome',
  'transfers',
  'counter_id',
  'staff_id',
  'first_contact_staff_id',
  'rating',
  'rating_not_given',
  'offline',
  'target_wait_ms',
] as const;

/** A fact as a row of values in `TICKET_COLUMNS` order (flags as the dialect stores them). */
export function rowOf(t: TicketFact, flag: (b: boolean) => unknown): unknown[] {
  return [
    t.hallId,
    t.day,
    t.ticketId,
    t.number,
    t.serviceId,
    t.priority,
    t.channel,
    t.status,
    t.issuedAt,
    t.calledAt,
    t.startedAt,
    t.endedAt,
    t.waitMs,
    t.handlingMs,
    t.outcome,
    t.transfers,
    t.counterId,
    t.staffId,
    t.firstContactStaffId,
    t.rating,
    flag(t.ratingNotGiven),
    flag(t.offline),
    t.targetWaitMs,
  ];
}

/** A row as the drivers give it back (PostgreSQL's BIGINT comes as text, SQLite's flags as 0/1). */
export type TicketRow = {
  hall_id: string;
  day: string | Date;
  ticket_id: string;
  number: string;
  service_id: string;
  priority: string;
  channel: string;
  status: string;
  issued_at: number | string;
  called_at: number | string | null;
  started_at: number | string | null;
  ended_at: number | string | null;
  wait_ms: number | string | null;
  handling_ms: number | string | null;
  outcome: string | null;
  transfers: number;
  counter_id: string | null;
  staff_id: string | null;
  first_contact_staff_id: string | null;
  rating: number | null;
  rating_not_given: number | boolean;
  offline: number | boolean;
  target_wait_ms: number | string | null;
};

/** A row read back (numbers as numbers, flags as booleans, the day as YYYY-MM-DD). */
export function factOf(r: TicketRow): TicketFact {
  const n = (v: number | string | null) => (v === null ? null : Number(v));
  return {
    hallId: r.hall_id,
    day: r.day instanceof Date ? r.day.toISOString().slice(0, 10) : r.day,
    ticketId: r.ticket_id,
    number: r.number,
    serviceId: r.service_id,
    priority: r.priority,
    channel: r.channel,
    status: r.status,
    issuedAt: Number(r.issued_at),
    calledAt: n(r.called_at),
    startedAt: n(r.started_at),
    endedAt: n(r.ended_at),
    waitMs: n(r.wait_ms),
    handlingMs: n(r.handling_ms),
    outcome: r.outcome,
    transfers: Number(r.transfers),
    counterId: r.counter_id,
    staffId: r.staff_id,
    firstContactStaffId: r.first_contact_staff_id,
    rating: n(r.rating),
    ratingNotGiven: Boolean(r.rating_not_given),
    offline: Boolean(r.offline),
    targetWaitMs: n(r.target_wait_ms),
  };
}

/** The columns of `day_figures`, in the order the adapters write them. */
export const FIGURE_COLUMNS = [
  'hall_id',
  'day',
  'service_id',
  'issued',
  'served',
  'no_shows',
  'called',
  'within_target',
  'wait_ms_sum',
  'wait_ms_max',
  'handling_ms_sum',
  'rated',
  'bad_reviews',
] as const;

export const figureRowOf = (f: DayFigures): unknown[] => [
  f.hallId,
  f.day,
  f.serviceId,
  f.issued,
  f.served,
  f.noShows,
  f.called,
  f.withinTarget,
  f.waitMsSum,
  f.waitMsMax,
  f.handlingMsSum,
  f.rated,
  f.badReviews,
];

export type FigureRow = Record<(typeof FIGURE_COLUMNS)[number], number | string | Date>;

/** A `day_figures` row read back (PostgreSQL's BIGINT as text, its DATE as text). */
export function figuresOfRow(r: FigureRow): DayFigures {
  return {
    hallId: String(r.hall_id),
    day: r.day instanceof Date ? r.day.toISOString().slice(0, 10) : String(r.day),
    serviceId: String(r.service_id),
    issued: Number(r.issued),
    served: Number(r.served),
    noShows: Number(r.no_shows),
    called: Number(r.called),
    withinTarget: Number(r.within_target),
    waitMsSum: Number(r.wait_ms_sum),
    waitMsMax: Number(r.wait_ms_max),
    handlingMsSum: Number(r.handling_ms_sum),
    rated: Number(r.rated),
    badReviews: Number(r.bad_reviews),
  };
}

/** A day as the drivers give it back (PostgreSQL's DATE comes as text here, a Date elsewhere). */
const dayOfRow = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d));
const numberOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
/** JSON as SQLite (text) or PostgreSQL's JSONB (parsed) gives it back. */
const jsonOf = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** The columns of `counter_sessions`, in the order the adapters write them. */
export const SESSION_COLUMNS = [
  'hall_id',
  'day',
  'counter_id',
  'staff_id',
  'from_at',
  'to_at',
  'pauses',
] as const;

export const sessionRowOf = (hallId: Id, day: string, s: CounterSession): unknown[] => [
  hallId,
  day,
  s.counterId,
  s.staffId,
  s.from,
  s.to,
  JSON.stringify(s.pauses),
];

export function sessionOfRow(r: Record<string, unknown>): CounterSession & { day: string } {
  return {
    day: dayOfRow(r.day),
    counterId: String(r.counter_id),
    staffId: String(r.staff_id),
    from: Number(r.from_at),
    to: numberOrNull(r.to_at),
    pauses: jsonOf<CounterPause[]>(r.pauses),
  };
}

/** The columns of `attendance_days`, in the order the adapters write them. */
export const ATTENDANCE_COLUMNS = [
  'hall_id',
  'day',
  'staff_id',
  'expected_from',
  'expected_to',
  'on_leave',
  'first_in',
  'last_out',
  'worked_minutes',
  'late_minutes',
  'early_minutes',
  'absent_minutes',
  'missing',
  'overtime_minutes',
] as const;

export const attendanceRowOf = (hallId: Id, a: AttendanceDay, flag: (b: boolean) => unknown): unknown[] => [
  hallId,
  a.day,
  a.staffId,
  a.expectedFrom,
  a.expectedTo,
  a.onLeave,
  a.firstIn,
  a.lastOut,
  a.workedMinutes,
  a.lateMinutes,
  a.earlyMinutes,
  a.absentMinutes,
  flag(a.missing),
  a.overtimeMinutes,
];

export function attendanceOfRow(r: Record<string, unknown>): AttendanceDay {
  return {
    day: dayOfRow(r.day),
    staffId: String(r.staff_id),
    expectedFrom: numberOrNull(r.expected_from),
    expectedTo: numberOrNull(r.expected_to),
    onLeave: (r.on_leave ?? null) as LeaveKind | null,
    firstIn: numberOrNull(r.first_in),
    lastOut: numberOrNull(r.last_out),
    workedMinutes: Number(r.worked_minutes),
    lateMinutes: Number(r.late_minutes),
    earlyMinutes: Number(r.early_minutes),
    absentMinutes: Number(r.absent_minutes),
    missing: Boolean(r.missing),
    overtimeMinutes: Number(r.overtime_minutes),
  };
}

/** The columns of `alerts`, in the order the adapters write them (the alert itself in `body`). */
export const ALERT_COLUMNS = [
  'hall_id',
  'alert_id',
  'day',
  'kind',
  'severity',
  'raised_at',
  'resolved_at',
  'version',
  'body',
] as const;

export const alertRowOf = (hallId: Id, day: string, version: number, a: Alert): unknown[] => [
  hallId,
  a.id,
  day,
  a.kind,
  a.severity,
  a.raisedAt,
  a.resolvedAt,
  version,
  JSON.stringify(a),
];

export const alertOfRow = (r: Record<string, unknown>): ArchivedAlert => ({
  ...jsonOf<Alert>(r.body),
  hallId: String(r.hall_id),
});
