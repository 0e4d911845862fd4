import { DateTime } from 'luxon';
import type { z } from 'zod';
import type { OpeningHours } from './hall.js';

type Hours = z.infer<typeof OpeningHours>;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** One opening period of a day as instants: when it opens and when it closes. */
export type Period = { opensAt: number; closesAt: number };

/**
 * The opening periods of the local day that holds instant `at`, as instants, in order (shared:
 * not to be changed by the caller).
 */
export function periodsOfDay(hours: Hours, timeZone: string, at: number): readonly Period[] {
  // Asked on every ticket shown (its closing time): the last few local days are remembered per
  // configuration and zone, as instants, so that luxon runs once a day, not once a request.
  let days = dayPeriods.get(hours);
  if (!days) dayPeriods.set(hours, (days = []));
  const known = days.find((d) => d.timeZone === timeZone && d.from <= at && at < d.to);
  if (known) return known.periods;
  const day = DateTime.fromMillis(at, { zone: timeZone }).startOf('day');
  const instant = (clock: string) => {
    const [h, m] = clock.split(':').map(Number);
    return day.set({ hour: h!, minute: m! }).toMillis();
  };
  const periods = (hours[WEEKDAYS[day.weekday - 1]!] ?? [])
    .map((p) => ({ opensAt: instant(p.open), closesAt: instant(p.close) }))
    .sort((a, b) => a.opensAt - b.opensAt);
  days.unshift({ timeZone, from: day.toMillis(), to: day.plus({ days: 1 }).toMillis(), periods });
  if (days.length > 4) days.pop();
  return periods;
}

const dayPeriods = new WeakMap<
  Hours,
  Array<{ timeZone: string; from: number; to: number; periods: Period[] }>
>();

/** The opening periods of local date `isoDay` (YYYY-MM-DD) in the hall's time zone. */
export function periodsOfDate(hours: Hours, timeZone: string, isoDay: string): readonly Period[] {
  // Asked after every change of a hall (its timers): remembered per configuration, zone and day,
  // since time-zone arithmetic is what costs (a year of generated history spent 90 % of its time here).
  let known = datePeriods.get(hours);
  if (!known) datePeriods.set(hours, (known = new Map<string, readonly Period[]>()));
  const key = `${timeZone}|${isoDay}`;
  let periods: readonly Period[] | undefined = known.get(key);
  if (!periods) {
    if (known.size > 1000) known.clear();
    periods = periodsOfDay(
      hours,
      timeZone,
      DateTime.fromISO(isoDay, { zone: timeZone }).plus({ hours: 12 }).toMillis(),
    );
    known.set(key, periods);
  }
  return periods;
}

const datePeriods = new WeakMap<Hours, Map<string, readonly Period[]>>();

/** The opening period instant `at` falls in (null: the hall is closed then). */
export function periodAt(hours: Hours, timeZone: string, at: number): Period | null {
  return periodsOfDay(hours, timeZone, at).find((p) => p.opensAt <= at && at < p.closesAt) ?? null;
}

/** Whether the hall is open at instant `at` by its opening hours (its own time zone). */
export function isOpenAt(hours: Hours, timeZone: string, at: number): boolean {
  return periodAt(hours, timeZone, at) !== null;
}

/** The next instant after `at` when a period opens (null: none within two weeks, e.g. no hours at all). */
export function nextOpening(hours: Hours, timeZone: string, at: number): number | null {
  let day = DateTime.fromMillis(at, { zone: timeZone });
  for (let i = 0; i < 15; i++, day = day.plus({ days: 1 }).startOf('day')) {
    const next = periodsOfDay(hours, timeZone, day.toMillis()).find((p) => p.opensAt > at);
    if (next) return next.opensAt;
  }
  return null;
}

/**
 * R26: whether applicants may take a ticket at `at` — inside an opening period and before its last
 * ticket time (`lastTicketMinutes` before it closes) — and, when not, when they may again.
 */
export function issuingAt(
  hours: Hours,
  timeZone: string,
  lastTicketMinutes: number,
  at: number,
): { open: true; closesAt: number; lastTicketAt: number } | { open: false; reopensAt: number | null } {
  for (const p of periodsOfDay(hours, timeZone, at)) {
    const lastTicketAt = p.closesAt - lastTicketMinutes * 60_000;
    if (p.opensAt <= at && at < lastTicketAt) return { open: true, closesAt: p.closesAt, lastTicketAt };
  }
  return { open: false, reopensAt: nextOpening(hours, timeZone, at) };
}
