import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Actor, Command } from '@yichuang/protocol';
import { learn, predictWait, priorEstimate, STAFF_SAMPLES_MIN } from '@yichuang/protocol';
import {
  fromSnapshot,
  nextFor,
  publicSnapshot,
  staffSnapshot,
  ticketView,
  toSnapshot,
  transition,
  type HallState,
} from '@yichuang/server';
import { fresh, manager, MINUTE, run, smallHall, staff, T0 } from '../support/factories.js';

const issue = (serviceId: string, priority: 'normal' | 'special-care' = 'normal'): Command => ({
  type: 'ticket:issue',
  serviceId,
  priority,
  channel: 'kiosk',
});
const balancedHall = (specialCareRun = 3) =>
  fresh(smallHall({ routing: { policy: 'balanced', specialCareRun } }));
const numberOf = (s: HallState, counterId: string, now: number) => nextFor(s, counterId, now)?.number;

/** Serves the ticket at `counterId` for `minutes` from `at` (called, started, completed). */
function serve(s: HallState, counterId: string, who: Actor, at: number, minutes: number) {
  return run(s, [
    { command: { type: 'counter:call-next', counterId }, actor: who, at },
    { command: { type: 'counter:start', counterId }, actor: who, at },
    {
      command: { type: 'counter:complete', counterId, outcome: 'accepted' },
      actor: who,
      at: at + minutes * MINUTE,
    },
  ]);
}

describe('routing policies (#10)', () => {
  it('a hall configured before policies keeps FIFO; a manager switches it, a clerk may not', () => {
    const s = fresh();
    expect(s.routing.policy).toBe('fifo');
    const clerk = transition(
      s,
      { command: { type: 'hall:set-routing', policy: 'balanced' }, actor: staff('s1'), id: 'x' },
      T0,
    );
    expect(clerk.ok ? 'applied' : clerk.error.code).toBe('not-allowed');
    const r = transition(
      s,
      { command: { type: 'hall:set-routing', policy: 'balanced' }, actor: manager, id: 'x' },
      T0,
    );
    expect(r.ok && r.events.map((e) => e.type)).toEqual(['hall:routing-changed']);
    if (!r.ok) return;
    expect(r.state.routing).toEqual({ policy: 'balanced', specialCareRun: 3 });
    // The same policy again records nothing; the choice survives a snapshot.
    const again = transition(
      r.state,
      { command: { type: 'hall:set-routing', policy: 'balanced' }, actor: manager, id: 'y' },
      T0,
    );
    expect(again.ok && again.events).toEqual([]);
    expect(fromSnapshot(r.state.config, toSnapshot(r.state)).routing.policy).toBe('balanced');
    expect(staffSnapshot(r.state).routing.policy).toBe('balanced');
  });

  it('balanced: a counter takes its primary service on a tie', () => {
    // Counter 1 serves tax (primary) and social insurance; both tickets came at the same instant.
    const s = run(balancedHall(), [
      { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1'), at: T0 },
      { command: issue('si'), at: T0, id: 'a' },
      { command: issue('tax'), at: T0, id: 'b' },
    ]);
    expect(numberOf(s, 'c1', T0 + 5 * MINUTE)).toBe('G001');
  });

  it('balanced: the service whose wait runs furthest into its target goes first, not the oldest ticket', () => {
    // Counter 1 serves tax (target 20 min) and real estate (target 30 min).
    const steps = [
      { command: { type: 'counter:open', counterId: 'c1' } as Command, actor: staff('s1'), at: T0 },
      {
        command: { type: 'counter:set-services', counterId: 'c1', serviceIds: ['tax', 'bdc'] } as Command,
        at: T0,
      },
      { command: issue('bdc'), at: T0 },
      { command: issue('tax'), at: T0 + 2 * MINUTE },
    ];
    // At 10 min: tax waited 8 of its 20 (0.4), real estate 10 of its 30 (0.33).
    expect(numberOf(run(balancedHall(), steps), 'c1', T0 + 10 * MINUTE)).toBe('G001');
    // FIFO takes the older one.
    expect(numberOf(run(fresh(), steps), 'c1', T0 + 10 * MINUTE)).toBe('D001');
  });

  it('balanced: the secondary service goes first once its wait runs further into its target', () => {
    const s = run(balancedHall(), [
      { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1'), at: T0 },
      { command: issue('si'), at: T0 },
      { command: issue('tax'), at: T0 + 8 * MINUTE },
    ]);
    // At 10:00+10 min: si waited 10 of 20 (×0.75 as secondary) against tax's 2 of 20.
    expect(numberOf(s, 'c1', T0 + 10 * MINUTE)).toBe('A001');
  });

  it('balanced: special care goes first, but at most `specialCareRun` in a row while others wait (R15)', () => {
    let s = run(balancedHall(2), [
      { command: { type: 'counter:open', counterId: 'c2' }, actor: staff('s2'), at: T0 },
      { command: issue('si'), at: T0 },
      { command: issue('si', 'special-care'), at: T0 + MINUTE },
      { command: issue('si', 'special-care'), at: T0 + MINUTE },
      { command: issue('si', 'special-care'), at: T0 + MINUTE },
    ]);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const at = T0 + (2 + i) * MINUTE;
      order.push(nextFor(s, 'c2', at)!.number);
      s = serve(s, 'c2', staff('s2'), at, 0.5);
    }
    expect(order).toEqual(['A002', 'A003', 'A001', 'A004']);
  });

  it('balanced: an overdue ticket goes before anybody who is not, whatever their service or class', () => {
    // tax's target is 20 min: at 41 min the tax ticket is overdue; the special-care si ticket is not.
    const s = run(balancedHall(), [
      { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1'), at: T0 },
      { command: issue('si'), at: T0 },
      { command: issue('tax'), at: T0 },
      { command: issue('si', 'special-care'), at: T0 + 40 * MINUTE },
    ]);
    expect(numberOf(s, 'c1', T0 + 41 * MINUTE)).toBe('A001');
  });
});

describe('appointments (#10)', () => {
  const appointment = (slot: number): Command => ({
    type: 'ticket:issue',
    serviceId: 'tax',
    priority: 'appointment',
    channel: 'counter',
    appointmentAt: slot,
  });

  it('an applicant who came early for a slot is called near the slot, not ahead of everybody', () => {
    // Booked for 10:00, came at 09:00: normal tickets from 09:10 and 09:55 are there too.
    const s = run(fresh(), [
      { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1'), at: T0 },
      { command: appointment(T0 + 60 * MINUTE), actor: staff('s1'), at: T0 },
      { command: issue('tax'), at: T0 + 10 * MINUTE },
      { command: issue('tax'), at: T0 + 55 * MINUTE },
    ]);
    const order: string[] = [];
    let x = s;
    for (const at of [T0 + 60 * MINUTE, T0 + 61 * MINUTE, T0 + 62 * MINUTE]) {
      order.push(nextFor(x, 'c1', at)!.number);
      x = serve(x, 'c1', staff('s1'), at, 0.5);
    }
    // 09:10 first; the appointment (due 10:00, 10 minutes' head start) before the 09:55 ticket.
    expect(order).toEqual(['G002', 'G001', 'G003']);
  });

  it('a late one keeps the appointment head start from when they came', () => {
    const s = run(fresh(), [
      { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1'), at: T0 },
      { command: issue('tax'), at: T0 },
      { command: appointment(T0 - 30 * MINUTE), actor: staff('s1'), at: T0 + 5 * MINUTE },
    ]);
    expect(nextFor(s, 'c1', T0 + 6 * MINUTE)!.number).toBe('G002');
  });

  it('an appointment time on a ticket that is not an appointment is refused', () => {
    const r = transition(
      fresh(),
      {
        command: {
          type: 'ticket:issue',
          serviceId: 'tax',
          priority: 'normal',
          channel: 'kiosk',
          appointmentAt: T0,
        },
        actor: staff('s1'),
        id: 'x',
      },
      T0,
    );
    expect(r.ok ? 'applied' : r.error.code).toBe('invalid-payload');
  });
});

describe('wait predictions (#10)', () => {
  it('learn: the estimate moves to the service times it sees, mean and spread', () => {
    let e = priorEstimate(10);
    for (let i = 0; i < 300; i++) e = learn(e, i % 2 === 0 ? 4 : 6);
    expect(e.meanMinutes).toBeCloseTo(5, 0);
    expect(e.cv).toBeGreaterThan(0.1);
    expect(e.cv).toBeLessThan(0.3);
    expect(e.samples).toBe(300);
  });

  it('predictWait: none without a working counter, nothing to wait with a free one, a band around the mean', () => {
    const one = [{ meanMinutes: 10, cv: 1, free: false, share: 1 }];
    expect(predictWait(3, [])).toBeNull();
    expect(predictWait(0, [{ meanMinutes: 10, cv: 1, free: true, share: 1 }])).toEqual({
      minutes: 0,
      low: 0,
      high: 0,
    });
    const w = predictWait(3, one)!;
    expect(w.minutes).toBe(40); // four departures of an exponential 10-minute service
    expect(w.low).toBeLessThan(w.minutes);
    expect(w.high).toBeGreaterThan(w.minutes);
    // Two counters: half the wait; a counter giving the queue half its time counts half.
    expect(predictWait(3, [...one, ...one])!.minutes).toBe(20);
    expect(predictWait(3, [...one, { ...one[0]!, share: 0.5 }])!.minutes).toBe(27);
  });

  it('predictWait: never negative, and never grows as the ticket moves up', () => {
    const server = fc.record({
      meanMinutes: fc.double({ min: 0.5, max: 60, noNaN: true }),
      cv: fc.double({ min: 0, max: 3, noNaN: true }),
      free: fc.boolean(),
      share: fc.double({ min: 0.01, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(server, { minLength: 1, maxLength: 20 }), fc.nat(200), (servers, ahead) => {
        const here = predictWait(ahead + 1, servers)!;
        const nearer = predictWait(ahead, servers)!;
        for (const w of [here, nearer]) {
          expect(w.low).toBeGreaterThanOrEqual(0);
          expect(w.low).toBeLessThanOrEqual(w.minutes);
          expect(w.minutes).toBeLessThanOrEqual(w.high);
        }
        expect(nearer.minutes).toBeLessThanOrEqual(here.minutes);
        expect(nearer.low).toBeLessThanOrEqual(here.low);
        expect(nearer.high).toBeLessThanOrEqual(here.high);
      }),
      { numRuns: 2000 },
    );
  });

  it('the engine learns handling times from completions and every ticket view carries its wait', () => {
    let s = run(fresh(), [
      { command: { type: 'counter:open', counterId: 'c3' }, actor: staff('s3'), at: T0 },
    ]);
    // Real-estate services configured at 20 minutes take 6 here.
    for (let i = 0; i < 30; i++) {
      const at = T0 + i * 10 * MINUTE;
      s = run(s, [{ command: issue('bdc'), at }]);
      s = serve(s, 'c3', staff('s3'), at, 6);
    }
    const pub = publicSnapshot(s).services.find((x) => x.id === 'bdc')!;
    expect(pub.handling.meanMinutes).toBeGreaterThan(5.5);
    expect(pub.handling.meanMinutes).toBeLessThan(7);
    // The staff member has served enough for their own estimate.
    const own = staffSnapshot(s).estimates.find((e) => e.serviceId === 'bdc' && e.staffId === 's3')!;
    expect(own.samples).toBeGreaterThanOrEqual(STAFF_SAMPLES_MIN);
    const at = T0 + 400 * MINUTE;
    s = run(s, [
      { command: issue('bdc'), at },
      { command: issue('bdc'), at },
      { command: issue('bdc'), at },
      { command: { type: 'counter:call-next', counterId: 'c3' }, actor: staff('s3'), at },
    ]);
    const waiting = [...s.tickets.values()].filter((t) => t.status === 'waiting');
    const views = waiting.map((t) => ticketView(s, t, at));
    expect(views.map((v) => v.ahead)).toEqual([0, 1]);
    // Two and three departures of a 6-minute service, not of the configured 20.
    expect(views.map((v) => v.wait!.minutes)).toEqual([expect.closeTo(6, -0.5), expect.closeTo(12, -0.5)]);
    // The learnt estimates survive a snapshot.
    expect(fromSnapshot(s.config, toSnapshot(s)).estimates).toEqual(s.estimates);
    // Called tickets wait for nothing.
    const called = [...s.tickets.values()].find((t) => t.status === 'called')!;
    expect(ticketView(s, called, at).wait).toBeNull();
  });
});
