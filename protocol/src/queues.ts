import { copyOf, type Id } from './common.js';
import { callingOrder } from './ordering.js';
import type { Ticket } from './ticket.js';

/**
 * The waiting tickets, indexed as counters call them: one queue per service in calling order, and
 * the tickets sent to one named counter apart. Calling, "who waits for this counter" and "how many
 * are ahead" read a queue's head or binary-search it, so they cost the same whatever the day holds.
 */
export type Queues = {
  readonly byService: ReadonlyMap<Id, readonly Ticket[]>;
  /** Waiting tickets transferred or moved to one counter (only that counter calls them). */
  readonly targeted: readonly Ticket[];
};

export const NO_QUEUES: Queues = { byService: new Map(), targeted: [] };

/** The first index whose ticket is called no earlier than `t` (binary search on the calling order). */
export function lowerBound(queue: readonly Ticket[], t: Parameters<typeof callingOrder>[1]): number {
  let lo = 0;
  let hi = queue.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (callingOrder(queue[mid]!, t) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const inserted = (queue: readonly Ticket[], t: Ticket) => {
  const i = lowerBound(queue, t);
  return [...queue.slice(0, i), t, ...queue.slice(i)];
};
const removed = (queue: readonly Ticket[], t: Ticket) => {
  const i = lowerBound(queue, t);
  return queue[i]?.id === t.id
    ? [...queue.slice(0, i), ...queue.slice(i + 1)]
    : queue.filter((x) => x.id !== t.id);
};

/** The queues after ticket `before` became `after` (either may be absent or not waiting). */
export function requeue(q: Queues, before: Ticket | undefined, after: Ticket | undefined): Queues {
  let byService = q.byService;
  let targeted = q.targeted;
  const edit = (t: Ticket, change: (queue: readonly Ticket[], t: Ticket) => readonly Ticket[]) => {
    if (t.targetCounterId !== null) targeted = change(targeted, t);
    else {
      const next = copyOf(byService);
      const queue = change(byService.get(t.serviceId) ?? [], t);
      // An empty queue is no queue, so a state rebuilt from a snapshot equals the one it was saved from.
      if (queue.length > 0) next.set(t.serviceId, queue);
      else next.delete(t.serviceId);
      byService = next;
    }
  };
  if (before?.status === 'waiting') edit(before, removed);
  if (after?.status === 'waiting') edit(after, inserted);
  return { byService, targeted };
}

/** The queues of a set of tickets, built from scratch (a snapshot, a staff screen's view). */
export function queuesOf(tickets: Iterable<Ticket>): Queues {
  const byService = new Map<Id, Ticket[]>();
  const targeted: Ticket[] = [];
  for (const t of tickets) {
    if (t.status !== 'waiting') continue;
    if (t.targetCounterId !== null) targeted.push(t);
    else {
      const q = byService.get(t.serviceId);
      if (q) q.push(t);
      else byService.set(t.serviceId, [t]);
    }
  }
  for (const q of byService.values()) q.sort(callingOrder);
  targeted.sort(callingOrder);
  return { byService, targeted };
}
