import { describe, expect, it } from 'vitest';
import { dayFacts } from '@yichuang/server';
import { evaluatorC3, fresh, MINUTE, run, staff, T0 } from '../support/factories.js';

/** #14: a closed day's tickets as the history keeps them, read from the engine's own record. */
describe('ticket facts for the history', () => {
  it('keep the wait to the first call through a transfer, the handling, outcome and rating', () => {
    const s = run(fresh(), [
      { command: { type: 'counter:open', counterId: 'c1', staffId: 's1' } },
      { command: { type: 'counter:open', counterId: 'c3', staffId: 's3' } },
      { command: { type: 'ticket:issue', serviceId: 'tax', priority: 'normal' }, id: 'w1' },
      { command: { type: 'ticket:issue', serviceId: 'tax', priority: 'normal' }, id: 'w2' },
      // w1: called at +4, sent to 不动产 at +5, called again at window 3 at +6, served, rated.
      { command: { type: 'counter:call-next', counterId: 'c1' }, actor: staff('s1') },
      {
        command: { type: 'counter:transfer', counterId: 'c1', to: { serviceId: 'bdc' }, note: '' },
        actor: staff('s1'),
      },
      { command: { type: 'counter:call-next', counterId: 'c3' }, actor: staff('s3') },
      { command: { type: 'counter:start', counterId: 'c3' }, actor: staff('s3') },
      { command: { type: 'counter:complete', counterId: 'c3', outcome: 'accepted' }, actor: staff('s3') },
      { command: { type: 'ticket:rate', ticketId: 'w1', level: 4 }, actor: evaluatorC3 },
      // w2: called at +10, never came.
      { command: { type: 'counter:call-next', counterId: 'c1' }, actor: staff('s1') },
      { command: { type: 'counter:no-show', counterId: 'c1' }, actor: staff('s1') },
    ]);
    const [w1, w2] = dayFacts(s, '2026-11-27');
    expect(w1).toMatchObject({
      ticketId: 'w1',
      serviceId: 'bdc',
      status: 'completed',
      issuedAt: T0 + 2 * MINUTE,
      calledAt: T0 + 4 * MINUTE,
      waitMs: 2 * MINUTE,
      handlingMs: MINUTE,
      outcome: 'accepted',
      transfers: 1,
      counterId: 'c3',
      staffId: 's3',
      firstContactStaffId: 's1',
      rating: 4,
    });
    expect(w2).toMatchObject({
      ticketId: 'w2',
      status: 'no-show',
      waitMs: 7 * MINUTE,
      handlingMs: null,
      staffId: null,
    });
    expect(dayFacts(s, '2026-11-28')).toEqual([]);
  });
});
