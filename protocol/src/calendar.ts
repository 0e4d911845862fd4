import { z } from 'zod';
import chineseDays from 'chinese-days';
import { DateTime } from 'luxon';
import { IsoDay } from './leave.js';

/**
 * #13: the working days deadlines are counted in (a call back within 1 working day, a complex case
 * within 5, a rectification within 15). China's public holidays and make-up working days (调休) come
 * from the `chinese-days` package, which carries the State Council's schedule for each year it has
 * been published for; an installation adds or corrects days in its configuration (`calendar`), for
 * instance the next year's schedule as soon as it is announced, or a local holiday.
 */
export const CalendarOverrides = z
  .object({
    /** Days off although the package (or the weekend rule) says working. */
    holidays: z.array(IsoDay).max(400).default([]),
    /** Working days although the package (or the weekend rule) says off: make-up Saturdays and Sundays. */
    workdays: z.array(IsoDay).max(400).default([]),
  })
  .strict();
export type CalendarOverrides = z.infer<typeof CalendarOverrides>;

/** Which days count. */
export interface WorkingCalendar {
  isWorkingDay(day: string): boolean;
  /**
   * Whether `year`'s schedule is known: published in the package, or given by the installation (any
   * override in that year). Otherwise only weekends and the fixed-date holidays count.
   */
  covers(year: number): boolean;
}

/** Holidays on fixed dates by the national regulation, whatever the year's schedule: New Year, Labour Day, National Day. */
const FIXED_HOLIDAYS = ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03'];

/** The working calendar of an installation: the published schedule, the fixed holidays, its overrides. */
export function workingCalendar(overrides: Partial<CalendarOverrides> = {}): WorkingCalendar {
  const off = new Set(overrides.holidays ?? []);
  const on = new Set(overrides.workdays ?? []);
  const covered = new Map<number, boolean>();
  const covers = (year: number) => {
    let c = covered.get(year);
    // Every published year has New Year's Day among its holidays.
    if (c === undefined) {
      const given = [...off, ...on].some((d) => d.startsWith(`${year}-`));
      covered.set(year, (c = given || chineseDays.isHoliday(`${year}-01-01`)));
    }
    return c;
  };
  return {
    covers,
    isWorkingDay(day) {
      if (on.has(day)) return true;
      if (off.has(day)) return false;
      if (chineseDays.isHoliday(`${day.slice(0, 4)}-01-01`)) return chineseDays.isWorkday(day);
      if (FIXED_HOLIDAYS.includes(day.slice(5))) return false;
      return DateTime.fromISO(day).weekday <= 5;
    },
  };
}

/** The day `n` working days after `day` (n ≥ 1): the first working day after it is day 1. */
export function addWorkingDays(day: string, n: number, cal: WorkingCalendar): string {
  let d = DateTime.fromISO(day);
  for (let left = n; left > 0;) {
    d = d.plus({ days: 1 });
    if (cal.isWorkingDay(d.toISODate()!)) left--;
  }
  return d.toISODate()!;
}

/**
 * A deadline of `n` working days from instant `at`, in the hall's zone: the end of the `n`th working
 * day after the day of `at` (something received on a Friday afternoon with one working day is due by
 * the end of Monday, or of the Tuesday after a holiday Monday).
 */
export function workingDeadline(at: number, n: number, timeZone: string, cal: WorkingCalendar): number {
  const day = DateTime.fromMillis(at, { zone: timeZone }).toISODate()!;
  return DateTime.fromISO(addWorkingDays(day, n, cal), { zone: timeZone })
    .endOf('day')
    .toMillis();
}

const calendars = new WeakMap<object, WorkingCalendar>();
/** The working calendar of a hall's configuration, made once per configuration. */
export function calendarOf(config: { calendar: CalendarOverrides }): WorkingCalendar {
  let c = calendars.get(config);
  if (!c) calendars.set(config, (c = workingCalendar(config.calendar)));
  return c;
}
