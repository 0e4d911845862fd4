import { describe, expect, it } from 'vitest';
import { periodAt, periodsOfDay } from '@yichuang/protocol';

// The periods of a local day are remembered per configuration and zone (luxon runs once a day, not
// once a ticket shown): asked of the same hours in turn, each zone and each day still gets its own.
describe('opening periods, remembered per day and zone', () => {
  const hours = { mon: [{ open: '09:00', close: '17:00' }], tue: [{ open: '09:00', close: '12:00' }] };
  const at = (iso: string) => Date.parse(iso);

  it('answers each zone with its own local day, whichever was asked first', () => {
    const monday = at('2026-11-30T02:00:00Z'); // 10:00 in Shanghai, 03:00 in Paris: both Monday
    for (let round = 0; round < 2; round++) {
      expect(periodsOfDay(hours, 'Asia/Shanghai', monday)).toEqual([
        { opensAt: at('2026-11-30T01:00:00Z'), closesAt: at('2026-11-30T09:00:00Z') },
      ]);
      expect(periodsOfDay(hours, 'Europe/Paris', monday)).toEqual([
        { opensAt: at('2026-11-30T08:00:00Z'), closesAt: at('2026-11-30T16:00:00Z') },
      ]);
    }
  });

  it('moves on at local midnight', () => {
    expect(periodAt(hours, 'Asia/Shanghai', at('2026-11-30T08:00:00Z'))?.closesAt).toBe(
      at('2026-11-30T09:00:00Z'),
    );
    // 23:59 and 00:00 in Shanghai: Monday, then Tuesday (closing at noon).
    expect(periodsOfDay(hours, 'Asia/Shanghai', at('2026-11-30T15:59:00Z'))[0]!.closesAt).toBe(
      at('2026-11-30T09:00:00Z'),
    );
    expect(periodsOfDay(hours, 'Asia/Shanghai', at('2026-11-30T16:00:00Z'))[0]!.closesAt).toBe(
      at('2026-12-01T04:00:00Z'),
    );
  });

  it('keeps a 23-hour day (clocks forward) to its own hours', () => {
    // Sunday 29 March 2026 in Paris has 23 hours; the Monday after opens at 09:00 summer time.
    expect(periodsOfDay(hours, 'Europe/Paris', at('2026-03-28T23:30:00Z'))).toEqual([]); // Sunday 00:30
    expect(periodsOfDay(hours, 'Europe/Paris', at('2026-03-29T22:00:00Z'))).toEqual([
      { opensAt: at('2026-03-30T07:00:00Z'), closesAt: at('2026-03-30T15:00:00Z') },
    ]); // Monday 00:00 summer time
  });
});
