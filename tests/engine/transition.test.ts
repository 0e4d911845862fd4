import { describe, expect, it } from 'vitest';
import type { Actor, Command } from '@yichuang/protocol';
import {
  aheadOf,
  applyEvents,
  decide,
  dueTimers,
  ABSENCE_LIMIT_MS,
  fromSnapshot,
  toSnapshot,
  transition,
  type HallState,
} from '@yichuang/server';
import {
  fresh,
  manager,
  MINUTE,
  publicActor,
  run,
  smallHall,
  staff,
  system,
  T0,
} from '../support/factories.js';

const attempt = (s: HallState, command: Command, actor: Actor = manager, at = T0 + 30 * MINUTE, id = 'new') =>
  transition(s, { command, actor, id }, at);

const issue = (serviceId: string, priority: 'normal' | 'special-care' | 'appointment' = 'normal') =>
  ({ type: 'ticket:issue', serviceId, priority, channel: 'kiosk' }) as const;

const errorOf = (r: ReturnType<typeof attempt>) => (r.ok ? 'applied' : r.error.code);

/** A hall with counter 1 opened by s1 and counter 2 by s2. */
function opened(): HallState {
  return run(fresh(), [
    { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1') },
    { command: { type: 'counter:open', counterId: 'c2' }, actor: staff('s2') },
  ]);
}

describe('ticket numbers', () => {
  it('rise per service with the prefix and three digits', () => {
    const s = run(
      fresh(),
      [{ command: issue('tax') }, { command: issue('tax') }, { command: issue('si') }],
      T0,
    );
    expect([...s.tickets.values()].map((t) => t.number)).toEqual(['G001', 'G002', 'A001']);
    expect([...s.tickets.values()].every((t) => t.status === 'waiting')).toBe(true);
  });

  it('start again at 001 on the next day in the hall time zone, not in UTC', () => {
    // 15:59 UTC is 23:59 in Shanghai; 16:00 UTC is the next day there.
    const late = Date.UTC(2026, 10, 27, 15, 59);
    const s1 = run(fresh(), [
      { command: issue('tax'), at: late },
      { command: issue('tax'), at: late + 30_000 },
    ]);
    const r = attempt(s1, issue('tax'), publicActor, late + MINUTE);
    expect(r.ok && r.events[0]).toMatchObject({ type: 'ticket:issued', number: 'G001', day: '2026-11-28' });
  });

  it('are refused past 999 a day instead of growing a fourth digit', () => {
    let s = fresh();
    s = { ...s, numbering: new Map([['tax', { day: '2026-11-27', last: 999 }]]) };
    expect(errorOf(attempt(s, issue('tax'), publicActor, T0))).toBe('numbers-exhausted');
  });
});

describe('a new day', () => {
  it('lets go of yesterday’s finished tickets and calls, and keeps the unfinished', () => {
    const s = run(fresh(), [
      { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1') },
      { command: issue('si'), id: 'done' },
      { command: issue('si'), id: 'left' },
      { command: { type: 'counter:call-next', counterId: 'c1' }, actor: staff('s1') },
      { command: { type: 'counter:complete', counterId: 'c1', outcome: 'accepted' }, actor: staff('s1') },
    ]);
    expect([...s.tickets.keys()]).toEqual(['done', 'left']);
    const nextMorning = Date.UTC(2026, 10, 28, 1, 0);
    const r = attempt(s, issue('tax'), publicActor, nextMorning, 'today');
    expect(r.ok && [...r.state.tickets.keys()].sort()).toEqual(['left', 'today']);
    expect(r.ok && r.state.recentCalls).toEqual([]);
    expect(r.ok && r.state.day).toBe('2026-11-28');
  });
});

describe('tickets ahead', () => {
  it('counts the older tickets of other services that the same windows call first (defect: "0 ahead")', () => {
    // Only c1 is open; it serves tax and social insurance and calls the older tax ticket first.
    const s = run(fresh(), [
      { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1') },
      { command: issue('tax'), id: 'g1' },
      { command: issue('si'), id: 'a1' },
      { command: issue('bdc'), id: 'd1' },
    ]);
    expect(aheadOf(s, s.tickets.get('a1')!)).toBe(1);
    expect(aheadOf(s, s.tickets.get('g1')!)).toBe(0);
    // Real estate is served by c3 alone, which calls nothing else: nobody ahead.
    expect(aheadOf(s, s.tickets.get('d1')!)).toBe(0);
    const r = attempt(s, { type: 'counter:call-next', counterId: 'c1' }, staff('s1'));
    expect(r.ok && r.events[0]).toMatchObject({ ticketId: 'g1' });
    expect(r.ok && aheadOf(r.state, r.state.tickets.get('a1')!)).toBe(0);
  });
});

describe('idempotency keys', () => {
  it('act once: a retry is answered with what the first attempt did, on replay and after a snapshot too', () => {
    const cmd = issue('tax');
    const first = transition(fresh(), { command: cmd, actor: publicActor, id: 'a', key: 'k-press-001' }, T0);
    expect(first.ok && first.events).toMatchObject([{ type: 'ticket:issued', key: 'k-press-001' }]);
    const s = first.ok ? first.state : fresh();
    const retry = decide(s, { command: cmd, actor: publicActor, id: 'b', key: 'k-press-001' }, T0 + 1000);
    expect(retry).toEqual({
      ok: true,
      events: [],
      replayOf: { day: '2026-11-27', version: 1, ticketId: 'a' },
    });
    // Another key is another press.
    const other = decide(s, { command: cmd, actor: publicActor, id: 'c', key: 'k-press-002' }, T0 + 1000);
    expect(other.ok && other.events).toHaveLength(1);
    // The log and a snapshot carry the key, so any node rebuilt from them answers the retry.
    const rebuilt = applyEvents(fresh(), first.ok ? first.events : []);
    expect(rebuilt.handled.get('k-press-001')).toEqual({ day: '2026-11-27', version: 1, ticketId: 'a' });
    const restored = fromSnapshot(smallHall(), JSON.parse(JSON.stringify(toSnapshot(s))));
    expect(restored.handled).toEqual(s.handled);
    // The next day lets yesterday's keys go with yesterday's tickets.
    const nextDay = attempt(s, issue('si'), publicActor, T0 + 24 * 60 * MINUTE);
    expect(nextDay.ok && nextDay.state.handled.size).toBe(0);
  });
});

describe('issuing', () => {
  it('rejects an unknown service and changes nothing', () => {
    const r = attempt(fresh(), issue('nope'), publicActor);
    expect(errorOf(r)).toBe('unknown-service');
  });

  it('lets only staff or a dispenser issue appointment tickets', () => {
    expect(errorOf(attempt(fresh(), issue('tax', 'appointment'), publicActor))).toBe('not-allowed');
    expect(
      errorOf(attempt(fresh(), issue('tax', 'appointment'), { kind: 'device', deviceId: 'kiosk' })),
    ).toBe('applied');
    // #12: a device the hall does not trust with it (a window's terminal, an evaluator) may not.
    for (const deviceId of ['pad-c3', 'eval-c3'])
      expect(errorOf(attempt(fresh(), issue('tax', 'appointment'), { kind: 'device', deviceId }))).toBe(
        'not-allowed',
      );
  });
});

describe('opening a counter', () => {
  it('signs the staff member in', () => {
    const s = run(fresh(), [{ command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1') }]);
    expect(s.counters.get('c1')).toMatchObject({ state: 'open', staffId: 's1' });
  });

  it('refuses a staff member signing someone else in, a second counter, and an open counter', () => {
    const s = opened();
    expect(
      errorOf(attempt(fresh(), { type: 'counter:open', counterId: 'c1', staffId: 's2' }, staff('s1'))),
    ).toBe('not-allowed');
    expect(errorOf(attempt(s, { type: 'counter:open', counterId: 'c3' }, staff('s1')))).toBe(
      'staff-already-signed-in',
    );
    expect(errorOf(attempt(s, { type: 'counter:open', counterId: 'c1' }, staff('s3')))).toBe(
      'counter-not-closed',
    );
    expect(errorOf(attempt(fresh(), { type: 'counter:open', counterId: 'c9' }, staff('s1')))).toBe(
      'unknown-counter',
    );
  });

  it('lets a manager sign a staff member in', () => {
    const r = attempt(fresh(), { type: 'counter:open', counterId: 'c3', staffId: 's3' }, manager);
    expect(r.ok && r.state.counters.get('c3')).toMatchObject({ state: 'open', staffId: 's3' });
  });
});

describe('calling', () => {
  it('is refused at a closed counter', () => {
    const s = run(fresh(), [{ command: issue('bdc') }]);
    expect(errorOf(attempt(s, { type: 'counter:call-next', counterId: 'c3' }))).toBe('counter-closed');
  });

  it('calls the oldest ticket of the services the counter serves', () => {
    const s = run(opened(), [{ command: issue('bdc') }, { command: issue('si') }, { command: issue('tax') }]);
    const r = attempt(s, { type: 'counter:call-next', counterId: 'c1' }, staff('s1'));
    expect(r.ok && r.events).toEqual([
      expect.objectContaining({ type: 'ticket:called', number: 'A001', counterNumber: 1, recalls: 0 }),
    ]);
  });

  it('answers queue-empty when nobody waits for this counter', () => {
    const s = run(opened(), [{ command: issue('bdc') }]);
    expect(errorOf(attempt(s, { type: 'counter:call-next', counterId: 'c1' }, staff('s1')))).toBe(
      'queue-empty',
    );
  });

  it('refuses a ticket already called elsewhere and a counter that does not serve it', () => {
    const s = run(opened(), [
      { command: issue('si'), id: 'a1' },
      { command: issue('bdc'), id: 'd1' },
      { command: { type: 'counter:call', counterId: 'c1', ticketId: 'a1' }, actor: staff('s1') },
    ]);
    expect(errorOf(attempt(s, { type: 'counter:call', counterId: 'c2', ticketId: 'a1' }, staff('s2')))).toBe(
      'ticket-not-waiting',
    );
    expect(errorOf(attempt(s, { type: 'counter:call', counterId: 'c2', ticketId: 'd1' }, staff('s2')))).toBe(
      'counter-does-not-serve',
    );
    expect(errorOf(attempt(s, { type: 'counter:call', counterId: 'c2', ticketId: 'zz' }, staff('s2')))).toBe(
      'unknown-ticket',
    );
  });

  it('refuses a second call while the counter still has a ticket', () => {
    const s = run(opened(), [
      { command: issue('si') },
      { command: issue('si') },
      { command: { type: 'counter:call-next', counterId: 'c1' } },
    ]);
    expect(errorOf(attempt(s, { type: 'counter:call-next', counterId: 'c1' }, staff('s1')))).toBe(
      'counter-busy',
    );
  });

  it('lets only the signed-in staff, a manager or the counter’s own device work it', () => {
    const s = run(opened(), [{ command: issue('si') }, { command: issue('bdc') }]);
    expect(errorOf(attempt(s, { type: 'counter:call-next', counterId: 'c1' }, staff('s2')))).toBe(
      'not-allowed',
    );
    expect(errorOf(attempt(s, { type: 'counter:call-next', counterId: 'c1' }, publicActor))).toBe(
      'not-allowed',
    );
    expect(
      errorOf(attempt(s, { type: 'counter:call-next', counterId: 'c1' }, staff('stranger', ['manager']))),
    ).toBe('not-allowed');
    expect(errorOf(attempt(s, { type: 'counter:call-next', counterId: 'c1' }, manager))).toBe('applied');
    const c3 = run(s, [{ command: { type: 'counter:open', counterId: 'c3', staffId: 's3' } }]);
    expect(
      errorOf(
        attempt(c3, { type: 'counter:call-next', counterId: 'c3' }, { kind: 'device', deviceId: 'pad-c3' }),
      ),
    ).toBe('applied');
    expect(
      errorOf(
        attempt(s, { type: 'counter:call-next', counterId: 'c1' }, { kind: 'device', deviceId: 'pad-c3' }),
      ),
    ).toBe('not-allowed');
  });
});

describe('priority classes (R15)', () => {
  it('call special care before normal tickets issued up to 20 minutes earlier, never later ones', () => {
    const s = run(opened(), [
      { command: issue('si'), at: T0, id: 'old-normal' },
      { command: issue('si'), at: T0 + 15 * MINUTE, id: 'n2' },
      { command: issue('si', 'special-care'), at: T0 + 25 * MINUTE, id: 'care' },
    ]);
    const order: string[] = [];
    let cur = s;
    for (let i = 0; i < 3; i++) {
      const r = attempt(
        cur,
        { type: 'counter:call-next', counterId: 'c2' },
        staff('s2'),
        T0 + (30 + i) * MINUTE,
      );
      if (!r.ok) throw new Error(r.error.message);
      const called = r.events[0]!;
      order.push(called.type === 'ticket:called' ? called.ticketId : '?');
      const done = attempt(
        r.state,
        { type: 'counter:complete', counterId: 'c2', outcome: 'accepted' },
        staff('s2'),
      );
      if (!done.ok) throw new Error(done.error.message);
      cur = done.state;
    }
    expect(order).toEqual(['old-normal', 'care', 'n2']);
  });
});

describe('at the counter', () => {
  const called = () =>
    run(opened(), [
      { command: issue('si'), id: 'a1' },
      { command: { type: 'counter:call-next', counterId: 'c1' }, actor: staff('s1') },
    ]);

  it('recall announces the same ticket again and counts it', () => {
    const r = attempt(called(), { type: 'counter:recall', counterId: 'c1' }, staff('s1'));
    expect(r.ok && r.events[0]).toMatchObject({ type: 'ticket:called', number: 'A001', recalls: 1 });
    expect(r.ok && r.state.tickets.get('a1')!.recalls).toBe(1);
  });

  it('start, then complete with the default outcome, frees the counter', () => {
    const s = run(called(), [
      { command: { type: 'counter:start', counterId: 'c1' }, actor: staff('s1') },
      { command: { type: 'counter:complete', counterId: 'c1', outcome: 'accepted' }, actor: staff('s1') },
    ]);
    expect(s.tickets.get('a1')).toMatchObject({
      status: 'completed',
      outcome: 'accepted',
      servedByStaffId: 's1',
      firstContactStaffId: 's1',
    });
    expect(s.counters.get('c1')).toMatchObject({ state: 'open', ticketId: null });
  });

  it('no-show is only for a called applicant who did not come', () => {
    const s = run(called(), [{ command: { type: 'counter:start', counterId: 'c1' }, actor: staff('s1') }]);
    expect(errorOf(attempt(s, { type: 'counter:no-show', counterId: 'c1' }, staff('s1')))).toBe(
      'already-serving',
    );
    const r = attempt(called(), { type: 'counter:no-show', counterId: 'c1' }, staff('s1'));
    expect(r.ok && r.state.tickets.get('a1')!.status).toBe('no-show');
  });

  it('actions without a ticket are refused', () => {
    for (const type of ['counter:recall', 'counter:start', 'counter:no-show', 'counter:requeue'] as const)
      expect(errorOf(attempt(opened(), { type, counterId: 'c1' }, staff('s1')))).toBe('no-current-ticket');
  });

  it('transfer to a service keeps the number and the first-contact staff member (R23)', () => {
    const s = run(called(), [
      { command: { type: 'counter:start', counterId: 'c1' }, actor: staff('s1') },
      {
        command: { type: 'counter:transfer', counterId: 'c1', to: { serviceId: 'bdc' }, note: '需不动产' },
        actor: staff('s1'),
      },
      { command: { type: 'counter:open', counterId: 'c3', staffId: 's3' } },
      { command: { type: 'counter:call-next', counterId: 'c3' }, actor: staff('s3') },
      { command: { type: 'counter:start', counterId: 'c3' }, actor: staff('s3') },
    ]);
    expect(s.tickets.get('a1')).toMatchObject({
      number: 'A001',
      serviceId: 'bdc',
      servedByStaffId: 's3',
      firstContactStaffId: 's1',
    });
    expect(s.tickets.get('a1')!.transfers).toEqual([
      expect.objectContaining({ fromCounterId: 'c1', note: '需不动产', staffId: 's1' }),
    ]);
  });

  it('refuses a transfer or a move to a closed counter: nobody would call the ticket there', () => {
    // c3 is closed in opened(); c2 is open.
    const toClosed = attempt(
      called(),
      { type: 'counter:transfer', counterId: 'c1', to: { counterId: 'c3' }, note: '' },
      staff('s1'),
    );
    expect(toClosed).toMatchObject({ ok: false, error: { code: 'target-closed' } });
    const waiting = run(opened(), [{ command: issue('si'), id: 'w' }]);
    const moved = attempt(waiting, { type: 'ticket:move', ticketId: 'w', to: { counterId: 'c3' } });
    expect(moved).toMatchObject({ ok: false, error: { code: 'target-closed' } });
    expect(attempt(waiting, { type: 'ticket:move', ticketId: 'w', to: { counterId: 'c2' } }).ok).toBe(true);
  });

  it('transfer to a named counter lets only that counter call it', () => {
    const s = run(called(), [
      {
        command: { type: 'counter:transfer', counterId: 'c1', to: { counterId: 'c2' }, note: '' },
        actor: staff('s1'),
      },
    ]);
    expect(s.tickets.get('a1')).toMatchObject({ status: 'waiting', targetCounterId: 'c2' });
    expect(errorOf(attempt(s, { type: 'counter:call-next', counterId: 'c1' }, staff('s1')))).toBe(
      'queue-empty',
    );
    const r = attempt(s, { type: 'counter:call-next', counterId: 'c2' }, staff('s2'));
    expect(r.ok && r.events[0]).toMatchObject({ number: 'A001', counterId: 'c2' });
    expect(
      errorOf(
        attempt(
          called(),
          { type: 'counter:transfer', counterId: 'c1', to: { counterId: 'c1' }, note: '' },
          staff('s1'),
        ),
      ),
    ).toBe('invalid-target');
  });

  it('return to queue keeps the ticket its place', () => {
    const s = run(called(), [
      { command: issue('si'), id: 'a2' },
      { command: { type: 'counter:requeue', counterId: 'c1' }, actor: staff('s1') },
    ]);
    expect(s.tickets.get('a1')).toMatchObject({ status: 'waiting', counterId: null });
    const r = attempt(s, { type: 'counter:call-next', counterId: 'c2' }, staff('s2'));
    expect(r.ok && r.events[0]).toMatchObject({ ticketId: 'a1' });
  });

  it('cancel takes a waiting ticket out, and only a waiting one', () => {
    const s = run(opened(), [
      { command: issue('si'), id: 'a1' },
      { command: issue('si'), id: 'a2' },
      { command: { type: 'counter:call-next', counterId: 'c1' } },
    ]);
    expect(errorOf(attempt(s, { type: 'ticket:cancel', ticketId: 'a1' }, publicActor))).toBe(
      'ticket-not-waiting',
    );
    const r = attempt(s, { type: 'ticket:cancel', ticketId: 'a2' }, publicActor);
    expect(r.ok && r.state.tickets.get('a2')!.status).toBe('cancelled');
    expect(errorOf(attempt(r.ok ? r.state : s, { type: 'ticket:cancel', ticketId: 'a2' }, publicActor))).toBe(
      'ticket-finished',
    );
  });
});

describe('pause, resume and close (R6, R19)', () => {
  it('pause needs a free counter, blocks calls, and resume reopens it', () => {
    const s = run(opened(), [{ command: issue('si') }]);
    const paused = run(s, [
      { command: { type: 'counter:pause', counterId: 'c1', reason: 'break', note: '' }, actor: staff('s1') },
    ]);
    expect(paused.counters.get('c1')).toMatchObject({ state: 'paused' });
    expect(errorOf(attempt(paused, { type: 'counter:call-next', counterId: 'c1' }, staff('s1')))).toBe(
      'counter-paused',
    );
    expect(
      errorOf(
        attempt(paused, { type: 'counter:pause', counterId: 'c1', reason: 'break', note: '' }, staff('s1')),
      ),
    ).toBe('counter-paused');
    expect(errorOf(attempt(opened(), { type: 'counter:resume', counterId: 'c1' }, staff('s1')))).toBe(
      'counter-not-paused',
    );
    const busy = run(s, [{ command: { type: 'counter:call-next', counterId: 'c1' } }]);
    expect(
      errorOf(
        attempt(busy, { type: 'counter:pause', counterId: 'c1', reason: 'break', note: '' }, staff('s1')),
      ),
    ).toBe('counter-busy');
    expect(errorOf(attempt(busy, { type: 'counter:close', counterId: 'c1' }, staff('s1')))).toBe(
      'counter-busy',
    );
    const resumed = attempt(paused, { type: 'counter:resume', counterId: 'c1' }, staff('s1'));
    expect(resumed.ok && resumed.state.counters.get('c1')!.state).toBe('open');
  });

  it('close signs the staff member out so they may open another counter', () => {
    const s = run(opened(), [
      { command: { type: 'counter:close', counterId: 'c1' }, actor: staff('s1') },
      { command: { type: 'counter:open', counterId: 'c3' }, actor: staff('s1') },
    ]);
    expect(s.counters.get('c1')).toMatchObject({ state: 'closed', staffId: null });
    expect(errorOf(attempt(s, { type: 'counter:close', counterId: 'c1' }))).toBe('counter-closed');
  });

  it('a pause past 15 minutes raises an absence alert once (R6), from the scheduler only', () => {
    const pausedAt = T0 + 5 * MINUTE;
    const s = run(opened(), [
      {
        command: { type: 'counter:pause', counterId: 'c1', reason: 'material', note: '' },
        actor: staff('s1'),
        at: pausedAt,
      },
    ]);
    expect(dueTimers(s)).toEqual([
      {
        key: `absence:c1:${pausedAt}`,
        at: pausedAt + ABSENCE_LIMIT_MS,
        command: { type: 'counter:check-absence', counterId: 'c1', pausedAt },
      },
    ]);
    const check = { type: 'counter:check-absence', counterId: 'c1', pausedAt } as const;
    expect(errorOf(attempt(s, check, manager))).toBe('not-allowed');
    const early = attempt(s, check, system, pausedAt + ABSENCE_LIMIT_MS - 1);
    expect(early.ok && early.events).toEqual([]);
    const r = attempt(s, check, system, pausedAt + ABSENCE_LIMIT_MS);
    expect(r.ok && r.events).toEqual([
      expect.objectContaining({
        type: 'alert:raised',
        kind: 'absence',
        rule: 'R6',
        counterId: 'c1',
        staffId: 's1',
        detail: 'material',
      }),
    ]);
    if (!r.ok) return;
    // No second absence timer: only the alert's escalation, should nobody acknowledge it.
    expect(dueTimers(r.state).map((t) => t.command.type)).toEqual(['alert:check-escalation']);
    const again = attempt(r.state, check, system);
    expect(again.ok && again.events).toEqual([]);
  });

  it('a stale absence timer from an earlier pause does nothing', () => {
    const s = run(opened(), [
      {
        command: { type: 'counter:pause', counterId: 'c1', reason: 'break', note: '' },
        actor: staff('s1'),
        at: T0,
      },
      { command: { type: 'counter:resume', counterId: 'c1' }, actor: staff('s1'), at: T0 + MINUTE },
      {
        command: { type: 'counter:pause', counterId: 'c1', reason: 'break', note: '' },
        actor: staff('s1'),
        at: T0 + 2 * MINUTE,
      },
    ]);
    const r = attempt(
      s,
      { type: 'counter:check-absence', counterId: 'c1', pausedAt: T0 },
      system,
      T0 + 16 * MINUTE,
    );
    expect(r.ok && r.events).toEqual([]);
  });
});

describe('dispatch by a hall manager', () => {
  it('changes the services a counter serves, so it calls from the new queue', () => {
    const s = run(opened(), [
      { command: issue('bdc'), id: 'd1' },
      { command: { type: 'counter:set-services', counterId: 'c2', serviceIds: ['bdc', 'bdc'] } },
    ]);
    expect(s.counters.get('c2')!.serviceIds).toEqual(['bdc']);
    const r = attempt(s, { type: 'counter:call-next', counterId: 'c2' }, staff('s2'));
    expect(r.ok && r.events[0]).toMatchObject({ ticketId: 'd1' });
    expect(
      errorOf(attempt(opened(), { type: 'counter:set-services', counterId: 'c2', serviceIds: ['nope'] })),
    ).toBe('unknown-service');
  });

  it('moves a waiting ticket to another queue or counter, keeping its number and place', () => {
    const s = run(opened(), [
      { command: issue('si'), id: 'a1' },
      { command: issue('tax'), id: 'g1' },
    ]);
    const moved = run(s, [{ command: { type: 'ticket:move', ticketId: 'a1', to: { serviceId: 'bdc' } } }]);
    expect(moved.tickets.get('a1')).toMatchObject({
      number: 'A001',
      serviceId: 'bdc',
      status: 'waiting',
      queuedAt: s.tickets.get('a1')!.queuedAt,
    });
    const toCounter = run(s, [{ command: { type: 'ticket:move', ticketId: 'g1', to: { counterId: 'c2' } } }]);
    const r = attempt(toCounter, { type: 'counter:call-next', counterId: 'c2' }, staff('s2'));
    expect(r.ok && r.events[0]).toMatchObject({ ticketId: 'a1' }); // the older ticket of the counter's own service first
    const again = attempt(
      r.ok ? r.state : toCounter,
      { type: 'counter:complete', counterId: 'c2', outcome: 'accepted' },
      staff('s2'),
    );
    const next = attempt(
      again.ok ? again.state : toCounter,
      { type: 'counter:call-next', counterId: 'c2' },
      staff('s2'),
    );
    expect(next.ok && next.events[0]).toMatchObject({ ticketId: 'g1' }); // then the tax ticket sent to this counter
    const called = run(s, [{ command: { type: 'counter:call', counterId: 'c1', ticketId: 'a1' } }]);
    expect(errorOf(attempt(called, { type: 'ticket:move', ticketId: 'a1', to: { serviceId: 'bdc' } }))).toBe(
      'ticket-not-waiting',
    );
  });

  it('pauses and resumes issuing for a service', () => {
    const s = run(fresh(), [{ command: { type: 'service:set-issuing', serviceId: 'tax', open: false } }]);
    expect(errorOf(attempt(s, issue('tax'), publicActor))).toBe('issuing-paused');
    expect(errorOf(attempt(s, issue('si'), publicActor))).toBe('applied');
    const again = attempt(s, { type: 'service:set-issuing', serviceId: 'tax', open: false });
    expect(again.ok && again.events).toEqual([]);
    const reopened = run(s, [{ command: { type: 'service:set-issuing', serviceId: 'tax', open: true } }]);
    expect(errorOf(attempt(reopened, issue('tax'), publicActor))).toBe('applied');
  });

  it('posts and removes notices for the walls', () => {
    const s = run(fresh(), [
      { command: { type: 'hall:post-notice', text: '今日 16:00 后社保窗口暂停取号' }, id: 'n1' },
    ]);
    expect(s.notices).toEqual([{ id: 'n1', text: '今日 16:00 后社保窗口暂停取号', at: T0 }]);
    const removed = run(s, [{ command: { type: 'hall:remove-notice', noticeId: 'n1' } }]);
    expect(removed.notices).toEqual([]);
    expect(errorOf(attempt(removed, { type: 'hall:remove-notice', noticeId: 'n1' }))).toBe('not-found');
  });

  it('is refused to staff, the public and devices', () => {
    const commands: Command[] = [
      { type: 'counter:set-services', counterId: 'c1', serviceIds: [] },
      { type: 'service:set-issuing', serviceId: 'tax', open: false },
      { type: 'hall:post-notice', text: 'x' },
      { type: 'ticket:move', ticketId: 'x', to: { serviceId: 'tax' } },
    ];
    const actors: Actor[] = [staff('s1'), publicActor, { kind: 'device', deviceId: 'kiosk' }];
    for (const actor of actors)
      for (const command of commands) expect(errorOf(attempt(fresh(), command, actor))).toBe('not-allowed');
  });
});

describe('configuration', () => {
  it('a counter of a hall without services is simply never called', () => {
    const s = run(fresh(smallHall()), [
      { command: { type: 'counter:open', counterId: 'c4', staffId: 's3' } },
      { command: issue('si') },
    ]);
    expect(errorOf(attempt(s, { type: 'counter:call-next', counterId: 'c4' }))).toBe('queue-empty');
  });
});
