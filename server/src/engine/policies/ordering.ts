import type { Id, Ticket } from '@yichuang/protocol';
import { callingOrder } from '@yichuang/protocol';
import type { HallState } from '../state.js';

export { HEAD_START_MS, MAX_HEAD_START_MS, orderKey } from '@yichuang/protocol';

const before = (a: Ticket, b: Ticket) => callingOrder(a, b) < 0;

/** Whether counter `counterId` may call waiting ticket `t`. */
export function eligible(state: HallState, counterId: Id, t: Ticket): boolean {
  if (t.status !== 'waiting') return false;
  if (t.targetCounterId !== null) return t.targetCounterId === counterId;
  return state.counters.get(counterId)?.serviceIds.includes(t.serviceId) ?? false;
}

/** The ticket counter `counterId` calls next, or undefined if none waits for it. */
export function nextFor(state: HallState, counterId: Id): Ticket | undefined {
  let best: Ticket | undefined;
  for (const t of state.tickets.values()) {
    if (eligible(state, counterId, t) && (best === undefined || before(t, best))) best = t;
  }
  return best;
}

/** How many waiting tickets of the same line (service, or target counter) come before `ticket`. */
export function aheadOf(state: HallState, ticket: Ticket): number {
  if (ticket.status !== 'waiting') return 0;
  let n = 0;
  for (const t of state.tickets.values()) {
    if (t.status !== 'waiting' || t.id === ticket.id) continue;
    const sameLine =
      ticket.targetCounterId !== null
        ? t.targetCounterId === ticket.targetCounterId
        : t.targetCounterId === null && t.serviceId === ticket.serviceId;
    if (sameLine && before(t, ticket)) n++;
  }
  return n;
}

/** Waiting tickets per service (tickets sent to a named counter count under their service). */
export function waitingByService(state: HallState): Map<Id, number> {
  const out = new Map<Id, number>(state.config.services.map((s) => [s.id, 0]));
  for (const t of state.tickets.values()) {
    if (t.status === 'waiting') out.set(t.serviceId, (out.get(t.serviceId) ?? 0) + 1);
  }
  return out;
}
