import { isBadReview } from '@yichuang/protocol';
import type { DayFigures, TicketFact } from '../ports/history-store.js';

/** #14: whether a ticket was called within its service's wait target (a ticket without one counts as within). */
export const withinTarget = (t: TicketFact) =>
  t.waitMs !== null && (t.targetWaitMs === null || t.waitMs <= t.targetWaitMs);

/** Figures with nothing counted yet. */
export const noFigures = (hallId: string, day: string, serviceId: string): DayFigures => ({
  hallId,
  day,
  serviceId,
  issued: 0,
  served: 0,
  noShows: 0,
  called: 0,
  withinTarget: 0,
  waitMsSum: 0,
  waitMsMax: 0,
  handlingMsSum: 0,
  rated: 0,
  badReviews: 0,
});

/** Adds `f` into `sum` (figures are sums, so they add across services, days and halls; the longest wait is kept). */
export function addFigures(sum: DayFigures, f: DayFigures): void {
  sum.issued += f.issued;
  sum.served += f.served;
  sum.noShows += f.noShows;
  sum.called += f.called;
  sum.withinTarget += f.withinTarget;
  sum.waitMsSum += f.waitMsSum;
  sum.waitMsMax = Math.max(sum.waitMsMax, f.waitMsMax);
  sum.handlingMsSum += f.handlingMsSum;
  sum.rated += f.rated;
  sum.badReviews += f.badReviews;
}

/** #14: the figures per service of one day's tickets of one hall, by service id. */
export function figuresOf(tickets: readonly TicketFact[]): DayFigures[] {
  const by = new Map<string, DayFigures>();
  for (const t of tickets) {
    const f = by.get(t.serviceId) ?? noFigures(t.hallId, t.day, t.serviceId);
    f.issued++;
    if (t.status === 'completed') f.served++;
    if (t.status === 'no-show') f.noShows++;
    if (t.waitMs !== null) {
      f.called++;
      f.waitMsSum += t.waitMs;
      f.waitMsMax = Math.max(f.waitMsMax, t.waitMs);
      if (withinTarget(t)) f.withinTarget++;
    }
    if (t.handlingMs !== null) f.handlingMsSum += t.handlingMs;
    if (t.rating !== null) {
      f.rated++;
      if (isBadReview(t.rating)) f.badReviews++;
    }
    by.set(t.serviceId, f);
  }
  return [...by.values()].sort((a, b) => a.serviceId.localeCompare(b.serviceId));
}
