import type { Id, Ticket } from '@yichuang/protocol';
import { aheadOf as aheadIn } from '@yichuang/protocol';
import { factsOf } from '../facts.js';
import type { HallState } from '../state.js';

export { HEAD_START_MS, MAX_HEAD_START_MS, orderKey } from '@yichuang/protocol';

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
