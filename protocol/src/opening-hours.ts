import type { z } from 'zod';
import type { OpeningHours } from './hall.js';

type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The weekday and HH:MM at instant `at` in time zone `timeZone`. */
function localClock(at: number, timeZone: string): { weekday: Weekday; clock: string } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  const weekday = String(parts.weekday).toLowerCase().slice(0, 3) as Weekday;
  return { weekday, clock: `${parts.hour}:${parts.minute}` };
}

/** Whether the hall is open at instant `at` by its opening hours (its own time zone). */
export function isOpenAt(hours: z.infer<typeof OpeningHours>, timeZone: string, at: number): boolean {
  const { weekday, clock } = localClock(at, timeZone);
  return (hours[weekday] ?? []).some((p) => p.open <= clock && clock < p.close);
}
