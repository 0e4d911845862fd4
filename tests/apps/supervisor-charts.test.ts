import { describe, expect, it } from 'vitest';
import { ticket, VIEW_T0 } from '../support/views.js';
import {
  arrivalsAndCalls,
  quarterLabels,
  utilisation,
  waitDistribution,
  waitingOverDay,
} from '../../supervisor-console/src/charts.js';

const T0 = VIEW_T0; // 09:00 in Shanghai
const MIN = 60_000;
describe('chart data, built without a canvas', () => {
  const tickets = [
    ticket({
      id: 'a',
      issuedAt: T0 + 1 * MIN,
      calledAt: T0 + 4 * MIN,
      startedAt: T0 + 5 * MIN,
      endedAt: T0 + 20 * MIN,
      counterId: 'c1',
      status: 'completed',
    }),
    ticket({ id: 'b', issuedAt: T0 + 10 * MIN, calledAt: T0 + 40 * MIN, counterId: 'c1', status: 'called' }),
    ticket({ id: 'c', issuedAt: T0 + 20 * MIN }),
  ];

  it('labels quarters in the hall’s time zone', () => {
    expect(quarterLabels(T0, T0 + 45 * MIN, 'Asia/Shanghai')).toEqual(['09:00', '09:15', '09:30']);
  });

  it('counts arrivals and calls per quarter hour', () => {
    expect(arrivalsAndCalls(tickets, T0, T0 + 60 * MIN)).toEqual({
      arrivals: [2, 1, 0, 0],
      calls: [1, 0, 1, 0],
    });
  });

  it('counts the tickets waiting at the end of each quarter', () => {
    expect(waitingOverDay(tickets, T0, T0 + 60 * MIN)).toEqual([1, 2, 1, 1]);
  });

  it('bands the waits of called tickets per service', () => {
    expect(waitDistribution(tickets, [{ id: 'tax' } as never])).toEqual([
      { serviceId: 'tax', counts: [1, 0, 0, 0, 1] },
    ]);
  });

  it('measures each counter’s busy share of the period', () => {
    const [c1] = utilisation(tickets, [{ id: 'c1' } as never], T0, T0 + 60 * MIN);
    // 5→20 min serving ticket a, then 40→60 min with ticket b called: 35 of 60 minutes.
    expect(c1!.share).toBeCloseTo(35 / 60, 5);
  });
});
