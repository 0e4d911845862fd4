import { DateTime } from 'luxon';
const formatters = new Map<string, Intl.DateTimeFormat>();
/** The last answer per time zone, by quarter hour: every zone's offset is whole quarter hours. */
const lastAnswer = new Map<string, { quarter: number; day: string }>();
const QUARTER_HOUR = 15 * 60_000;

/** The calendar date (YYYY-MM-DD) at instant `now` in time zone `timeZone`: numbers reset on it. */
export function localDay(now: number, timeZone: string): string {
  // A day changes only on a quarter hour of UTC, so one formatting serves the whole quarter hour
  // (the engine asks for every event; Intl formatting is what it would spend its time on).
  const quarter = Math.floor(now / QUARTER_HOUR);
  const last = lastAnswer.get(timeZone);
  if (last?.quarter === quarter) return last.day;
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  const day = f.format(now);
  lastAnswer.set(timeZone, { quarter, day });
  return day;
}

/** The calendar date `n` days after `day` (YYYY-MM-DD). */
export function addDays(day: string, n: number): string {
  return DateTime.fromISO(day, { zone: 'UTC' }).plus({ days: n }).toISODate()!;
}

/** The instant the local day `day` ends in `timeZone` (the next day's midnight there). */
export function endOfLocalDay(day: string, timeZone: string): number {
  return DateTime.fromISO(day, { zone: timeZone }).plus({ days: 1 }).toMillis();
}
