import { isBadReview } from '@yichuang/protocol';
import type { DayFigures, TicketFact } from '../ports/history-store.js';

/** #14: whether a ticket was called within its service's wait target (a ticket without one counts as within). */
export const withinTarget = (t: TicketFact) =>
  t.waitMs !== null && (t.targetWaitMs === null || t.waitMs <= t.targetWaitMs);

/** #14: the figures per service of one day's tickets of one hall, by service id. */
export function figuresOf(tickets: readonly TicketFact[]): DayFigures[] {
  const by = new Map<string, DayFigures>();
  for (const t of tickets) {
    const f = by.get(t.serviceId) ?? {
      hallId: t.hallId,
      day: t.day,
      serviceId: t.serviceId,
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
    };
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
