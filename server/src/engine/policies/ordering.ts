import type { Id, Ticket } from '@yichuang/protocol';
import { aheadOf as aheadIn, callingOrder } from '@yichuang/protocol';
import { factsOf } from '../facts.js';
import type { HallState } from '../state.js';

export { HEAD_START_MS, MAX_HEAD_START_MS, orderKey } from '@yichuang/protocol';

const before = (a: Ticket, b: Ticket) => callingOrder(a, b) < 0;

/** The ticket counter `counterId` calls next, or undefined if none waits for it: the first of its queues' heads. */
export function nextFor(state: HallState, counterId: Id): Ticket | undefined {
  const { byService, targeted } = state.queues;
  let best: Ticket | undefined = targeted.find((t) => t.targetCounterId === counterId);
  for (const sid of state.counters.get(counterId)?.serviceIds ?? []) {
    const head = byService.get(sid)?.[0];
    if (head && (best === undefined || before(head, best))) best = head;
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
  for (const [sid, q] of state.queues.byService) out.set(sid, (out.get(sid) ?? 0) + q.length);
  for (const t of state.queues.targeted) out.set(t.serviceId, (out.get(t.serviceId) ?? 0) + 1);
  return out;
}
