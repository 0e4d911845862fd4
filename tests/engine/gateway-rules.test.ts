import { describe, expect, it } from 'vitest';
import type { Actor, Command } from '@yichuang/protocol';
import {
  aheadOf,
  applyEvents,
  dueTimers,
  fromSnapshot,
  toSnapshot,
  transition,
  type HallState,
} from '@yichuang/server';
import {
  evaluatorC3,
  fresh,
  gateway,
  manager,
  MINUTE,
  publicActor,
  run,
  smallHall,
  staff,
  system,
  T0,
} from '../support/factories.js';

const attempt = (s: HallState, command: Command, actor: Actor, at = T0 + 30 * MINUTE, id = 'new') =>
  transition(s, { command, actor, id }, at);
const errorOf = (r: ReturnType<typeof attempt>) => (r.ok ? 'applied' : r.error.code);
const issue = { type: 'ticket:issue', serviceId: 'tax', priority: 'normal', channel: 'kiosk' } as const;
const reserve = (size = 5): Command => ({ type: 'numbers:reserve', serviceIds: ['tax'], size });

describe('number blocks for offline issuing', () => {
  it('are cut from the top of the day’s numbers, so normal issuing goes on without a gap', () => {
    const s = run(fresh(), [
      { command: issue },
      { command: reserve(5), actor: gateway },
      { command: issue },
      { command: reserve(12), actor: gateway },
    ]);
    expect(s.numberBlocks.map((b) => [b.from, b.to])).toEqual([
      [995, 999],
      [983, 994],
    ]);
    expect([...s.tickets.values()].map((t) => t.number)).toEqual(['G001', 'G002']);
  });

  it('are not given to a gateway that still holds half a block, whatever day its own clock says', () => {
    const s = run(fresh(), [{ command: reserve(10), actor: gateway }]);
    expect(errorOf(attempt(s, reserve(10), gateway))).toBe('numbers-held');
    // Another service it holds none of is reserved; the one it holds enough of is not.
    const both = attempt(s, { type: 'numbers:reserve', serviceIds: ['tax', 'si'], size: 10 }, gateway);
    expect(both.ok && both.events.map((e) => e.type === 'numbers:reserved' && e.serviceId)).toEqual(['si']);
    // Tomorrow its blocks are gone: it gets new ones.
    expect(attempt(s, reserve(10), gateway, T0 + 24 * 60 * MINUTE).ok).toBe(true);
  });

  it('are reserved by the gateway only', () => {
    for (const actor of [publicActor, staff('s1'), evaluatorC3, system])
      expect(errorOf(attempt(fresh(), reserve(), actor))).toBe('not-allowed');
  });

  it('take an offline ticket once, at the time it was printed, marked offline', () => {
    const s = run(fresh(), [
      { command: reserve(5), actor: gateway },
      { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1') },
      { command: issue, id: 'online', at: T0 + 20 * MINUTE },
    ]);
    const offline: Command = {
      type: 'ticket:issue-offline',
      serviceId: 'tax',
      priority: 'normal',
      seq: 996,
      issuedAt: T0 + 10 * MINUTE,
    };
    const r = attempt(s, offline, gateway, T0 + 30 * MINUTE, 'off');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const t = r.state.tickets.get('off')!;
    expect(t).toMatchObject({ number: 'G996', offline: true, issuedAt: T0 + 10 * MINUTE, channel: 'kiosk' });
    // It was printed before G001 was issued: it is called first.
    expect(aheadOf(r.state, t)).toBe(0);
    expect(aheadOf(r.state, r.state.tickets.get('online')!)).toBe(1);
    expect(r.state.numberBlocks[0]!.used).toEqual([996]);
    // The same number again (another press) is refused; normal numbering did not move.
    expect(errorOf(attempt(r.state, offline, gateway, T0 + 31 * MINUTE, 'again'))).toBe(
      'number-not-reserved',
    );
    expect(errorOf(attempt(r.state, { ...offline, seq: 990 }, gateway))).toBe('number-not-reserved');
    expect(errorOf(attempt(r.state, offline, staff('s1')))).toBe('not-allowed');
    const next = attempt(r.state, issue, publicActor, T0 + 32 * MINUTE, 'n2');
    expect(next.ok && next.state.tickets.get('n2')!.number).toBe('G002');
  });

  it('stop normal issuing below them, and end with the day', () => {
    let s = run(fresh(), [{ command: reserve(100), actor: gateway }]);
    for (let i = 0; i < 899; i++) s = run(s, [{ command: issue, at: T0 + MINUTE }]);
    expect(errorOf(attempt(s, issue, publicActor, T0 + 2 * MINUTE))).toBe('numbers-exhausted');
    const tomorrow = attempt(s, issue, publicActor, T0 + 24 * 60 * MINUTE);
    expect(tomorrow.ok && tomorrow.state.numberBlocks).toEqual([]);
  });

  it('survive a snapshot and a replay', () => {
    const s = run(fresh(), [{ command: reserve(5), actor: gateway }]);
    expect(fromSnapshot(smallHall(), JSON.parse(JSON.stringify(toSnapshot(s))))).toEqual(s);
  });
});

describe('ratings (R34)', () => {
  /** Ticket w1 completed at counter 3 by s3. */
  const completedAtC3 = (config = smallHall()) =>
    run(fresh(config), [
      { command: { type: 'counter:open', counterId: 'c3' }, actor: staff('s3') },
      { command: { ...issue, serviceId: 'bdc' }, id: 'w1' },
      { command: { type: 'counter:call-next', counterId: 'c3' }, actor: staff('s3') },
      { command: { type: 'counter:complete', counterId: 'c3', outcome: 'accepted' }, actor: staff('s3') },
    ]);

  it('are given once per completed ticket by the pad at its counter, with who served it', () => {
    const r = attempt(
      completedAtC3(),
      { type: 'ticket:rate', ticketId: 'w1', level: 2, comment: '等太久' },
      evaluatorC3,
    );
    expect(r.ok && r.events[0]).toMatchObject({
      type: 'ticket:rated',
      level: 2,
      counterId: 'c3',
      staffId: 's3',
    });
    expect(r.ok && r.state.tickets.get('w1')!.rating).toMatchObject({ level: 2, comment: '等太久' });
    if (r.ok)
      expect(errorOf(attempt(r.state, { type: 'ticket:rate', ticketId: 'w1', level: 5 }, evaluatorC3))).toBe(
        'already-rated',
      );
  });

  it('are refused from a pad at another counter, from a clerk or the gateway, and before completion; the phone may', () => {
    const s = completedAtC3();
    const rate: Command = { type: 'ticket:rate', ticketId: 'w1', level: 5 };
    expect(errorOf(attempt(s, rate, gateway))).toBe('not-allowed');
    expect(errorOf(attempt(s, rate, staff('s3')))).toBe('not-allowed');
    // The applicant's phone (the public door, the ticket's id as its capability).
    expect(errorOf(attempt(s, rate, publicActor))).toBe('applied');
    const waiting = run(fresh(), [
      { command: { type: 'counter:open', counterId: 'c3' }, actor: staff('s3') },
      { command: { ...issue, serviceId: 'bdc' }, id: 'w1' },
      { command: { type: 'counter:call-next', counterId: 'c3' }, actor: staff('s3') },
    ]);
    expect(errorOf(attempt(waiting, rate, evaluatorC3))).toBe('ticket-not-completed');
  });

  it('close after the window as not given, never as satisfied (R34)', () => {
    const s = completedAtC3();
    const completedAt = s.tickets.get('w1')!.endedAt!;
    // The scheduler holds a timer for the window's end (30 minutes by default).
    const timer = dueTimers(s).find((t) => t.command.type === 'ticket:close-rating')!;
    expect(timer).toMatchObject({ at: completedAt + 30 * MINUTE, command: { ticketId: 'w1' } });
    const closed = attempt(s, timer.command, system, timer.at, 'close');
    expect(closed.ok && closed.events).toEqual([
      expect.objectContaining({
        type: 'ticket:rating-not-given',
        ticketId: 'w1',
        counterId: 'c3',
        staffId: 's3',
      }),
    ]);
    if (!closed.ok) return;
    expect(closed.state.tickets.get('w1')).toMatchObject({ rating: null, ratingNotGiven: true });
    expect(dueTimers(closed.state).some((t) => t.command.type === 'ticket:close-rating')).toBe(false);
    const late: Command = { type: 'ticket:rate', ticketId: 'w1', level: 5 };
    expect(errorOf(attempt(closed.state, late, evaluatorC3, timer.at + MINUTE))).toBe('rating-closed');
    // A rating given in time ends the window; the timer is gone and a late close changes nothing.
    const rated = attempt(s, late, evaluatorC3, completedAt + MINUTE, 'rated');
    expect(rated.ok && dueTimers(rated.state).some((t) => t.command.type === 'ticket:close-rating')).toBe(
      false,
    );
    if (rated.ok) expect(errorOf(attempt(rated.state, timer.command, system, timer.at))).toBe('no-change');
    // Nobody but the scheduler closes it; a hall may give applicants longer.
    expect(errorOf(attempt(s, timer.command, manager))).toBe('not-allowed');
    const longer = completedAtC3(smallHall({ rules: { ...smallHall().rules, ratingWindowMinutes: 120 } }));
    expect(dueTimers(longer).find((t) => t.command.type === 'ticket:close-rating')!.at).toBe(
      longer.tickets.get('w1')!.endedAt! + 120 * MINUTE,
    );
  });
});

describe('device health', () => {
  it('records changes only, from the gateway or the hub itself', () => {
    const report = (online: boolean, faults: string[] = []): Command => ({
      type: 'device:report',
      deviceId: 'kiosk',
      online,
      faults,
    });
    const s = run(fresh(), [{ command: report(true), actor: gateway }]);
    expect(s.deviceHealth.get('kiosk')).toMatchObject({ online: true, faults: [] });
    const same = attempt(s, report(true), gateway);
    expect(same.ok && same.events).toEqual([]);
    const fault = attempt(s, report(true, ['paper-out']), gateway);
    expect(fault.ok && fault.state.deviceHealth.get('kiosk')).toMatchObject({ faults: ['paper-out'] });
    expect(errorOf(attempt(s, report(false), evaluatorC3))).toBe('not-allowed');
    expect(errorOf(attempt(s, { ...report(false), deviceId: 'nope' } as Command, gateway))).toBe('not-found');
    const sys = attempt(s, { ...report(false), deviceId: 'gw' } as Command, system);
    expect(sys.ok && applyEvents(s, sys.events).deviceHealth.get('gw')).toMatchObject({ online: false });
  });

  it('the gateway acts as itself only for its own commands', () => {
    expect(errorOf(attempt(fresh(), issue, gateway))).toBe('not-allowed');
  });
});
