import { DateTime } from 'luxon';
import { isBadReview, Outcome, type DayFiguresView, type ReportBy, type ReportRow } from '@yichuang/protocol';
import type { DayFigures, TicketFact } from '../ports/history-store.js';
import { addFigures, noFigures, withinTarget } from './figures.js';

const MINUTE = 60_000;

/** Nearest-rank percentile of sorted values (null: none). */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const minutes = (ms: number | null) => (ms === null ? null : Math.round((ms / MINUTE) * 10) / 10);
const share = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;

/** The figures of a set of tickets: volumes, waits, handling, outcomes, transfers, ratings (R5, R33, R34). */
export function reportRow(key: string, tickets: readonly TicketFact[]): ReportRow {
  const waits: number[] = [];
  const handling: number[] = [];
  const outcomes = Object.fromEntries(Outcome.options.map((o) => [o, 0])) as Record<Outcome, number>;
  let served = 0;
  let noShows = 0;
  let cancelled = 0;
  let within = 0;
  let transfers = 0;
  let rated = 0;
  let ratingSum = 0;
  let bad = 0;
  let notRated = 0;
  for (const t of tickets) {
    if (t.status === 'completed') served++;
    else if (t.status === 'no-show') noShows++;
    else if (t.status === 'cancelled') cancelled++;
    if (t.waitMs !== null) {
      waits.push(t.waitMs);
      if (withinTarget(t)) within++;
    }
    if (t.handlingMs !== null) handling.push(t.handlingMs);
    if (t.outcome !== null && t.outcome in outcomes) outcomes[t.outcome as Outcome]++;
    transfers += t.transfers;
    if (t.rating !== null) {
      rated++;
      ratingSum += t.rating;
      if (isBadReview(t.rating)) bad++;
    } else if (t.ratingNotGiven) notRated++;
  }
  waits.sort((a, b) => a - b);
  handling.sort((a, b) => a - b);
  return {
    key,
    issued: tickets.length,
    served,
    noShows,
    cancelled,
    called: waits.length,
    waitP50: minutes(percentile(waits, 0.5)),
    waitP90: minutes(percentile(waits, 0.9)),
    waitMax: minutes(waits.length === 0 ? null : waits[waits.length - 1]!),
    withinTarget: share(within, waits.length),
    handlingP50: minutes(percentile(handling, 0.5)),
    handlingP90: minutes(percentile(handling, 0.9)),
    transfers,
    outcomes,
    rated,
    ratingMean: rated === 0 ? null : Math.round((ratingSum / rated) * 100) / 100,
    badReviews: bad,
    notRated,
  };
}

/** The key a ticket falls under when grouped `by` (hours in the hall's zone, ISO weeks). */
function keyer(by: ReportBy, timeZone: string): (t: TicketFact) => string {
  const midnight = new Map<string, number>();
  const weeks = new Map<string, string>();
  switch (by) {
    case 'day':
      return (t) => t.day;
    case 'month':
      return (t) => t.day.slice(0, 7);
    case 'week':
      return (t) => {
        let w = weeks.get(t.day);
        if (w === undefined) weeks.set(t.day, (w = DateTime.fromISO(t.day).toFormat("kkkk-'W'WW")));
        return w;
      };
    case 'hour':
      // From the day's local midnight (time-zone arithmetic once per day, not per ticket).
      return (t) => {
        let m = midnight.get(t.day);
        if (m === undefined)
          midnight.set(t.day, (m = DateTime.fromISO(t.day, { zone: timeZone }).toMillis()));
        return String(Math.floor((t.issuedAt - m) / 3_600_000)).padStart(2, '0');
      };
    case 'service':
      return (t) => t.serviceId;
    case 'counter':
      return (t) => t.counterId ?? '';
    case 'staff':
      return (t) => t.staffId ?? '';
  }
}

/**
 * #14: a report over archived tickets: one row per day, ISO week, month, hour of the day, service,
 * counter or staff member (in key order), and the total. Pure: the same facts give the same numbers
 * on SQLite and on PostgreSQL.
 */
export function ticketReport(
  tickets: readonly TicketFact[],
  by: ReportBy,
  timeZone: string,
): { rows: ReportRow[]; total: ReportRow } {
  const keyOf = keyer(by, timeZone);
  const groups = new Map<string, TicketFact[]>();
  for (const t of tickets) {
    const k = keyOf(t);
    const g = groups.get(k);
    if (g) g.push(t);
    else groups.set(k, [t]);
  }
  const rows = [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => reportRow(k, g));
  return { rows, total: reportRow('total', tickets) };
}

/** #14: the city view: each hall's figures per month, added up from the days' figures. */
export function cityReport(figures: readonly DayFigures[]): DayFiguresView[] {
  // Sums per hall and month (they add across days); means and shares are taken at the end.
  const months = new Map<string, { hallId: string; month: string; days: Set<string>; sum: DayFigures }>();
  for (const f of figures) {
    const month = f.day.slice(0, 7);
    const key = `${f.hallId}|${month}`;
    const m = months.get(key) ?? {
      hallId: f.hallId,
      month,
      days: new Set<string>(),
      sum: noFigures(f.hallId, f.day, f.serviceId),
    };
    m.days.add(f.day);
    addFigures(m.sum, f);
    months.set(key, m);
  }
  return [...months.values()]
    .map(({ hallId, month, days, sum: s }) => ({
      hallId,
      month,
      days: days.size,
      issued: s.issued,
      served: s.served,
      noShows: s.noShows,
      called: s.called,
      withinTarget: share(s.withinTarget, s.called),
      waitMean: s.called === 0 ? null : minutes(s.waitMsSum / s.called),
      waitMax: minutes(s.waitMsMax)!,
      handlingMean: s.served === 0 ? null : minutes(s.handlingMsSum / s.served),
      rated: s.rated,
      badReviews: s.badReviews,
    }))
    .sort((a, b) => a.hallId.localeCompare(b.hallId) || a.month.localeCompare(b.month));
}
