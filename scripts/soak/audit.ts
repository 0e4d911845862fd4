import type { HallConfig, VersionedEvent } from '@yichuang/protocol';
import { applyEvents, initialState } from '@yichuang/server';
import type { DriverReport } from './messages.js';

/** What the soak found wrong, each list empty when all is well. */
export type Audit = {
  events: number;
  /** Versions 1…n with none missing or repeated. */
  gapless: boolean;
  issued: number;
  /** Numbers issued twice on the same day. */
  duplicateNumbers: string[];
  /** Calls of a ticket another counter held, or to a counter holding another ticket. */
  doubleCalls: string[];
  /** Acknowledged tickets the log does not hold with the number the kiosk printed. */
  lostTickets: string[];
  /** Acknowledged calls the log does not hold at the version the ack carried. */
  lostCalls: string[];
};

/**
 * Checks a hall's whole event log, replayed through the engine, against the acknowledgements a
 * driver received: nothing acknowledged is missing, no number was issued twice, and no ticket was
 * ever called to two counters.
 */
export function audit(
  config: HallConfig,
  events: readonly VersionedEvent[],
  acks: Pick<DriverReport, 'tickets' | 'calls'>,
): Audit {
  const result: Audit = {
    events: events.length,
    gapless: events.every((e, i) => e.version === i + 1),
    issued: 0,
    duplicateNumbers: [],
    doubleCalls: [],
    lostTickets: [],
    lostCalls: [],
  };
  const numbers = new Map<string, string>();
  const byTicket = new Map<string, string>();
  let state = initialState(config);
  for (const e of events) {
    if (e.type === 'ticket:issued') {
      result.issued++;
      const key = `${e.day} ${e.number}`;
      if (numbers.has(key))
        result.duplicateNumbers.push(`${key} (tickets ${numbers.get(key)} and ${e.ticketId})`);
      numbers.set(key, e.ticketId);
      byTicket.set(e.ticketId, e.number);
    }
    if (e.type === 'ticket:called') {
      const t = state.tickets.get(e.ticketId);
      const held = state.counters.get(e.counterId)?.ticketId;
      if (t && (t.status === 'called' || t.status === 'serving') && t.counterId !== e.counterId)
        result.doubleCalls.push(
          `v${e.version}: ${e.number} called to ${e.counterId} while at ${t.counterId}`,
        );
      if (held && held !== e.ticketId)
        result.doubleCalls.push(`v${e.version}: ${e.counterId} called ${e.number} while holding ${held}`);
    }
    state = applyEvents(state, [e]);
  }
  for (const t of acks.tickets)
    if (byTicket.get(t.id) !== t.number) result.lostTickets.push(`${t.number} (${t.id})`);
  const callsAt = new Map<string, number[]>();
  for (const e of events)
    if (e.type === 'ticket:called') {
      const key = `${e.ticketId} ${e.counterId}`;
      callsAt.set(key, [...(callsAt.get(key) ?? []), e.version]);
    }
  for (const c of acks.calls) {
    // A batch's ack carries the version after its last event: the call is at or before it.
    const found = (callsAt.get(`${c.ticketId} ${c.counterId}`) ?? []).some((v) => v <= c.version);
    if (!found) result.lostCalls.push(`${c.ticketId} at ${c.counterId} (v${c.version})`);
  }
  return result;
}
