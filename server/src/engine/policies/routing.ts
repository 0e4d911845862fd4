import type { Id, Ticket } from '@yichuang/protocol';
import { callingOrder, dueAt, orderKey } from '@yichuang/protocol';
import type { HallState } from '../state.js';

/**
 * A waiting ticket is overdue once it has waited this many times its service's target: the
 * balanced policy then calls it before anybody who is not, in the calling order. That is its
 * guarantee against starvation: no ticket due later than `dueAt + OVERDUE × target +
 * MAX_HEAD_START_MS` is called before it (due: when it queued, or an early appointment's slot).
 */
export const OVERDUE = 2;
/**
 * A counter's secondary services weigh this much against its primary one (the first it lists).
 * Measured on the shipped scenarios (docs/simulation.md), any preference for the primary service
 * (0.75, 0.9, 0.95) lengthened the hall's waits against FIFO, because a back-up counter then stands
 * by its own short queue while an older one grows; so the primary service only wins ties.
 */
export const SECONDARY_WEIGHT = 1;

/** The ticket counter `counterId` calls next under the hall's routing policy, or undefined if none waits for it. */
export function nextFor(state: HallState, counterId: Id, now: number): Ticket | undefined {
  return state.routing.policy === 'balanced' ? balanced(state, counterId, now) : fifo(state, counterId);
}

/** Baseline: the first of the counter's queue heads in the calling order (R15 head starts, nothing else). */
function fifo(state: HallState, counterId: Id): Ticket | undefined {
  let best: Ticket | undefined = firstTargeted(state, counterId, () => true);
  for (const sid of state.counters.get(counterId)?.serviceIds ?? []) {
    const head = state.queues.byService.get(sid)?.[0];
    if (head && (best === undefined || callingOrder(head, best) < 0)) best = head;
  }
  return best;
}

const firstTargeted = (state: HallState, counterId: Id, ok: (t: Ticket) => boolean) =>
  state.queues.targeted.find((t) => t.targetCounterId === counterId && ok(t));

const targetMinutes = (state: HallState, serviceId: Id) =>
  state.config.services.find((s) => s.id === serviceId)?.targetWaitMinutes ?? 30;

type Candidate = { ticket: Ticket; weight: number; target: number };

/**
 * Balanced: among the first waiting ticket of each service the counter serves (the first of a
 * queue of its class with `ok`) and the first sent to this counter, the overdue go first in the
 * calling order; otherwise the one whose wait is furthest into its service's target, weighted
 * towards the counter's primary service.
 */
function pick(state: HallState, counterId: Id, now: number, ok: (t: Ticket) => boolean): Ticket | undefined {
  const serviceIds = state.counters.get(counterId)?.serviceIds ?? [];
  const targetOf = (sid: Id) => targetMinutes(state, sid);
  const candidates: Candidate[] = [];
  const sent = firstTargeted(state, counterId, ok);
  if (sent) candidates.push({ ticket: sent, weight: 1, target: targetOf(sent.serviceId) });
  serviceIds.forEach((sid, i) => {
    const first = state.queues.byService.get(sid)?.find(ok);
    if (first)
      candidates.push({ ticket: first, weight: i === 0 ? 1 : SECONDARY_WEIGHT, target: targetOf(sid) });
  });
  let overdue: Ticket | undefined;
  for (const c of candidates)
    if (now - dueAt(c.ticket) >= OVERDUE * c.target * 60_000)
      if (overdue === undefined || callingOrder(c.ticket, overdue) < 0) overdue = c.ticket;
  if (overdue) return overdue;
  let best: Candidate | undefined;
  let bestScore = -Infinity;
  for (const c of candidates) {
    // Waited minutes (with the class's head start) as a share of the target, so 1 means "due now";
    // on a tie the earlier candidate wins, and the primary service comes first among them.
    const score = ((now - orderKey(c.ticket)) / (c.target * 60_000)) * c.weight;
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best?.ticket;
}

function balanced(state: HallState, counterId: Id, now: number): Ticket | undefined {
  const chosen = pick(state, counterId, now, () => true);
  // Special care first (R15), but not forever: after a run of them, somebody else who waits.
  if (
    chosen?.priority === 'special-care' &&
    (state.specialRuns.get(counterId) ?? 0) >= state.routing.specialCareRun &&
    now - dueAt(chosen) < OVERDUE * 60_000 * targetMinutes(state, chosen.serviceId)
  )
    return pick(state, counterId, now, (t) => t.priority !== 'special-care') ?? chosen;
  return chosen;
}
