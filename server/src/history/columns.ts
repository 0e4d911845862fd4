import type { TicketFact } from '../ports/history-store.js';

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
  ];
}

/** A row read back (numbers as numbers, flags as booleans, the day as YYYY-MM-DD). */
export function factOf(r: Record<string, unknown>): TicketFact {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const day = r.day instanceof Date ? r.day.toISOString().slice(0, 10) : String(r.day);
  return {
    hallId: String(r.hall_id),
    day,
    ticketId: String(r.ticket_id),
    number: String(r.number),
    serviceId: String(r.service_id),
    priority: String(r.priority),
    channel: String(r.channel),
    status: String(r.status),
    issuedAt: Number(r.issued_at),
    calledAt: n(r.called_at),
    startedAt: n(r.started_at),
    endedAt: n(r.ended_at),
    waitMs: n(r.wait_ms),
    handlingMs: n(r.handling_ms),
    outcome: r.outcome === null ? null : String(r.outcome),
    transfers: Number(r.transfers),
    counterId: r.counter_id === null ? null : String(r.counter_id),
    staffId: r.staff_id === null ? null : String(r.staff_id),
    firstContactStaffId: r.first_contact_staff_id === null ? null : String(r.first_contact_staff_id),
    rating: n(r.rating),
    ratingNotGiven: Boolean(r.rating_not_given),
    offline: Boolean(r.offline),
  };
}
