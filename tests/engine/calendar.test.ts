import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { addWorkingDays, HallConfig, workingCalendar, workingDeadline } from '@yichuang/protocol';
import { smallHall } from '../support/factories.js';

/** #13: the working days deadlines count, with China's holidays and make-up working days (调休). */
const cal = workingCalendar();
const at = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Shanghai' }).toMillis();
const local = (t: number) => DateTime.fromMillis(t, { zone: 'Asia/Shanghai' }).toISO();

describe('the working calendar (#13)', () => {
  it('knows the 2026 Spring Festival: nine days off, and the make-up Saturdays before and after', () => {
    // 2026-02-15 (Sunday) to 02-23 (Monday) off; Saturday 02-14 and Saturday 02-28 are working days.
    for (const day of ['2026-02-16', '2026-02-17', '2026-02-20', '2026-02-23'])
      expect(cal.isWorkingDay(day), day).toBe(false);
    expect(cal.isWorkingDay('2026-02-14')).toBe(true);
    expect(cal.isWorkingDay('2026-02-28')).toBe(true);
    expect(cal.isWorkingDay('2026-02-21')).toBe(false); // an ordinary Saturday inside the holiday
    expect(cal.isWorkingDay('2026-02-13')).toBe(true);
  });

  it('counts a deadline across the Spring Festival and onto a make-up Saturday', () => {
    // A bad review on Friday 13 February: the call back (1 working day) is due on Saturday the 14th,
    // a make-up working day; a complex case (5 working days) on Friday the 27th, after the holiday.
    expect(addWorkingDays('2026-02-13', 1, cal)).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-13', 5, cal)).toBe('2026-02-27');
    expect(addWorkingDays('2026-02-14', 1, cal)).toBe('2026-02-24');
    // Fifteen working days to rectify, from the last day before the holiday (Saturday the 28th counts).
    expect(addWorkingDays('2026-02-14', 15, cal)).toBe('2026-03-13');
    // As instants in the hall's zone: the end of the day it falls on.
    expect(local(workingDeadline(at('2026-02-13T16:30'), 1, 'Asia/Shanghai', cal))).toBe(
      '2026-02-14T23:59:59.999+08:00',
    );
    // Late on Friday in Shanghai is still Friday there, whatever the server's zone.
    expect(local(workingDeadline(at('2026-02-13T23:30'), 1, 'Asia/Shanghai', cal))).toBe(
      '2026-02-14T23:59:59.999+08:00',
    );
  });

  it('skips an ordinary weekend and the National Day week', () => {
    expect(addWorkingDays('2026-11-27', 1, cal)).toBe('2026-11-30'); // Friday → Monday
    expect(addWorkingDays('2026-09-30', 1, cal)).toBe('2026-10-08'); // National Day, 1–7 October
    expect(cal.isWorkingDay('2026-10-10')).toBe(true); // its make-up Saturday
  });

  it('takes an installation’s corrections, and a year not yet published from them', () => {
    expect(cal.covers(2026)).toBe(true);
    expect(cal.covers(2027)).toBe(false);
    // Unpublished: weekends and the fixed-date holidays only.
    expect(cal.isWorkingDay('2027-01-01')).toBe(false);
    expect(cal.isWorkingDay('2027-01-04')).toBe(true);
    const local2027 = workingCalendar({ holidays: ['2027-01-04', '2026-11-30'], workdays: ['2027-01-09'] });
    expect(local2027.covers(2027)).toBe(true);
    expect(local2027.isWorkingDay('2027-01-04')).toBe(false);
    expect(local2027.isWorkingDay('2027-01-09')).toBe(true); // a Saturday made a working day
    expect(addWorkingDays('2026-11-27', 1, local2027)).toBe('2026-12-01'); // a local holiday on Monday
  });

  it('is part of a hall’s configuration, validated', () => {
    expect(smallHall().calendar).toEqual({ holidays: [], workdays: [] });
    expect(HallConfig.safeParse({ ...smallHall(), calendar: { holidays: ['2026-13-01'] } }).success).toBe(
      false,
    );
  });
});
