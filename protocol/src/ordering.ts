import type { Priority, Ticket } from './ticket.js';

/**
 * How far ahead of its issue time each class is ordered (R15: special care goes first).
 * A bounded head start means no class starves: a normal ticket issued at t precedes every
 * ticket issued after t + the largest head start, whatever its class. Shared so that a counter's
 * queue on screen is the order the hub calls in.
 */
export const HEAD_START_MS: Readonly<Record<Priority, number>> = {
  normal: 0,
  appointment: 10 * 60_000,
  'special-care': 20 * 60_000,
};
export const MAX_HEAD_START_MS = Math.max(...Object.values(HEAD_START_MS));

type Ordered = Pick<Ticket, 'id' | 'priority' | 'queuedAt' | 'issuedAt'> & {
  appointmentAt?: number | null;
};

/**
 * When a waiting ticket is due: when it queued, or an appointment's booked time if the applicant
 * came early (they are called near their slot, not ahead of everybody who came before it).
 */
export const dueAt = (t: Ordered): number => Math.max(t.queuedAt, t.appointmentAt ?? t.queuedAt);

/** The ordering key of a waiting ticket: lower is called first. */
export function orderKey(t: Ordered): number {
  return dueAt(t) - HEAD_START_MS[t.priority];
}

/** Sort comparator in calling order (key, then issue time, then id). */
export function callingOrder(a: Ordered, b: Ordered): number {
  return orderKey(a) - orderKey(b) || a.issuedAt - b.issuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
