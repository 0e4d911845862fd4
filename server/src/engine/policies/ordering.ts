import type { Id, Ticket } from '@yichuang/protocol';
import { aheadOf as aheadIn, callingOrder, eligible } from '@yichuang/protocol';
import { factsOf } from '../facts.js';
import type { HallState } from '../state.js';

export { HEAD_START_MS, MAX_HEAD_START_MS, orderKey } from '@yichuang/protocol';

const before = (a: Ticket, b: Ticket) => callingOrder(a, b) < 0;

/** The ticket counter `counterId` calls next, or undefined if none waits for it. */
export function nextFor(state: HallState, counterId: Id): Ticket | undefined {
  const h = factsOf(state);
  let best: Ticket | undefined;
  for (const t of state.tickets.values()) {
    if (eligible(h, counterId, t) && (best === undefined || before(t, best))) best = t;
  }
  return best;
}

/** How many waiting tickets will be called before `ticket` (the rule lives in the protocol). */
export function aheadOf(state: HallState, ticket: Ticket): number {
  return aheadIn(factsOf(state), ticket);
}

/** Waiting tickets per service (tickets sent to a named counter count under their service). */
export function waitingByService(state: HallState): Map<Id, number> {
  const out = new Map<Id, number>(state.config.services.map((s) => [s.id, 0]));
  for (const t of state.tickets.values()) {
    if (t.status === 'waiting') out.set(t.serviceId, (out.get(t.serviceId) ?? 0) + 1);
  }
  return out;
}
