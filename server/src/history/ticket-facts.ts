import type { Id, Ticket } from '@yichuang/protocol';
import type { TicketFact } from '../ports/history-store.js';
import type { HallState } from '../engine/state.js';

/**
 * #14: a ticket as the history keeps it. Read from the engine's own record of it (the state built by
 * the real engine from the log), so a report counts what the hall decided, not a second reading of
 * its events.
 */
export function ticketFact(hallId: Id, t: Ticket, targetWaitMinutes: number | null = null): TicketFact {
  const calledAt = t.firstCalledAt ?? t.calledAt;
  return {
    hallId,
    day: t.day,
    ticketId: t.id,
    number: t.number,
    serviceId: t.serviceId,
    priority: t.priority,
    channel: t.channel,
    status: t.status,
    issuedAt: t.issuedAt,
    calledAt,
    startedAt: t.startedAt,
    endedAt: t.endedAt,
    waitMs: calledAt === null ? null : Math.max(0, calledAt - t.issuedAt),
    handlingMs: t.startedAt === null || t.endedAt === null ? null : Math.max(0, t.endedAt - t.startedAt),
    outcome: t.outcome,
    transfers: t.transfers.length,
    counterId: t.counterId,
    staffId: t.servedByStaffId,
    firstContactStaffId: t.firstContactStaffId,
    rating: t.rating?.level ?? null,
    ratingNotGiven: t.ratingNotGiven,
    offline: t.offline,
    targetWaitMs: targetWaitMinutes === null ? null : targetWaitMinutes * 60_000,
  };
}

/** The tickets of `day` in a hall's state (taken before the next day's rollover lets them go). */
export function dayFacts(state: HallState, day: string): TicketFact[] {
  const out: TicketFact[] = [];
  const targets = new Map(state.config.services.map((s) => [s.id, s.targetWaitMinutes]));
  for (const t of state.tickets.values())
    if (t.day === day) out.push(ticketFact(state.config.id, t, targets.get(t.serviceId) ?? null));
  return out.sort((a, b) => a.issuedAt - b.issuedAt || a.ticketId.localeCompare(b.ticketId));
}
