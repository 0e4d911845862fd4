import { describe, expect, it } from 'vitest';
import type { Actor, Command, HallEvent } from '@yichuang/protocol';
import { alertOrder, DEFAULT_RULES } from '@yichuang/protocol';
import { dueTimers, fromSnapshot, toSnapshot, transition, type HallState } from '@yichuang/server';
import { fresh, manager, MINUTE, run, smallHall, staff, system, T0 } from '../support/factories.js';

/** The live rules of #11 with the clock as an argument: absence, empty post, devices, incidents, escalation. */

const attempt = (s: HallState, command: Command, at: number, actor: Actor = manager, id = 'x1') =>
  transition(s, { command, actor, id }, at);
const events = (r: ReturnType<typeof attempt>): HallEvent[] => (r.ok ? r.events : []);
const errorOf = (r: ReturnType<typeof attempt>) => (r.ok ? 'applied' : r.error.code);
const stateOf = (r: ReturnType<typeof attempt>) => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.state;
};
/** The timer of a kind the hall wants now. */
const timer = (s: HallState, type: Command['type']) => dueTimers(s).find((t) => t.command.type === type);
/** Delivers the timer of a kind at its time, from the scheduler. */
function fire(s: HallState, type: Command['type'], id = 'alert-1') {
  const t = timer(s, type);
  if (!t) throw new Error(`no ${type} timer`);
  return { at: t.at, r: attempt(s, t.command, t.at, system, id) };
}

const pause = (counterId: string, at: number, by = 's1'): { command: Command; actor: Actor; at: number } => ({
  command: { type: 'counter:pause', counterId, reason: 'material', note: '去档案室取材料' },
  actor: staff(by),
  at,
});
const resume = (counterId: string, at: number, by = 's1') => ({
  command: { type: 'counter:resume', counterId } as Command,
  actor: staff(by),
  at,
});

/** Counter c1 opened by s1 at T0, nothing waiting. */
const openedC1 = () =>
  run(fresh(), [{ command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1'), at: T0 }]);

describe('absence (R6): the time a counter is left unattended', () => {
  it('adds up pause, resume, pause with nothing served between, and alerts at 15 minutes', () => {
    // Paused 10 minutes, back for 1 (nothing called), paused again: the limit falls 5 minutes into the second pause.
    const s = run(openedC1(), [
      pause('c1', T0 + MINUTE),
      resume('c1', T0 + 11 * MINUTE),
      pause('c1', T0 + 12 * MINUTE),
    ]);
    expect(s.counters.get('c1')).toMatchObject({ absentSince: T0 + MINUTE, absentMs: 10 * MINUTE });
    const { at, r } = fire(s, 'counter:check-absence');
    expect(at).toBe(T0 + 17 * MINUTE);
    expect(events(r)).toEqual([
      expect.objectContaining({
        type: 'alert:raised',
        alertId: 'alert-1',
        kind: 'absence',
        severity: 'warning',
        rule: 'R6',
        counterId: 'c1',
        staffId: 's1',
        detail: 'material',
        note: '去档案室取材料',
      }),
    ]);
    // Delivered a minute early (another node's clock), the same timer raises nothing.
    const t = timer(s, 'counter:check-absence')!;
    expect(events(attempt(s, t.command, t.at - MINUTE, system))).toEqual([]);
  });

  it('starts again after a ticket is called: serving in between is being there', () => {
    const s = run(openedC1(), [
      pause('c1', T0 + MINUTE),
      resume('c1', T0 + 11 * MINUTE),
      {
        command: { type: 'ticket:issue', serviceId: 'tax', priority: 'normal', channel: 'kiosk' },
        at: T0 + 11 * MINUTE,
      },
      {
        command: { type: 'counter:call-next', counterId: 'c1' },
        actor: staff('s1'),
        at: T0 + 12 * MINUTE,
      },
      {
        command: { type: 'counter:no-show', counterId: 'c1' },
        actor: staff('s1'),
        at: T0 + 14 * MINUTE,
      },
      pause('c1', T0 + 15 * MINUTE),
    ]);
    expect(s.counters.get('c1')).toMatchObject({ absentSince: T0 + 15 * MINUTE, absentMs: 0 });
    expect(timer(s, 'counter:check-absence')!.at).toBe(T0 + 30 * MINUTE);
  });

  it('follows the hall’s configured limit', () => {
    const s = run(fresh(smallHall({ rules: { ...DEFAULT_RULES, absenceLimitMinutes: 5 } })), [
      { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1'), at: T0 },
      pause('c1', T0 + MINUTE),
    ]);
    expect(timer(s, 'counter:check-absence')!.at).toBe(T0 + 6 * MINUTE);
  });

  it('a manager sends a cover, who takes the counter; the alert resolves and the absence ends', () => {
    const paused = run(openedC1(), [pause('c1', T0 + MINUTE)]);
    const raised = stateOf(fire(paused, 'counter:check-absence').r);
    expect(raised.counters.get('c1')!.absenceExceeded).toBe(true);
    // s2 is at counter c2: a cover must be free.
    const busy = run(
      raised,
      [{ command: { type: 'counter:open', counterId: 'c2' }, actor: staff('s2') }],
      T0 + 17 * MINUTE,
    );
    expect(
      errorOf(attempt(busy, { type: 'alert:assign', alertId: 'alert-1', staffId: 's2' }, T0 + 18 * MINUTE)),
    ).toBe('staff-already-signed-in');
    expect(
      errorOf(
        attempt(
          raised,
          { type: 'alert:assign', alertId: 'alert-1', staffId: 's3' },
          T0 + 18 * MINUTE,
          staff('s2'),
        ),
      ),
    ).toBe('not-allowed');
    const r = attempt(raised, { type: 'alert:assign', alertId: 'alert-1', staffId: 's3' }, T0 + 18 * MINUTE);
    expect(events(r).map((e) => e.type)).toEqual(['alert:assigned', 'counter:covered', 'alert:resolved']);
    expect(events(r)[2]).toMatchObject({ alertId: 'alert-1', staffId: null, resolution: 'covered' });
    const covered = stateOf(r);
    expect(covered.counters.get('c1')).toMatchObject({
      state: 'open',
      staffId: 's3',
      absentSince: null,
      absenceExceeded: false,
    });
    expect(covered.alerts.get('alert-1')).toMatchObject({
      assignedTo: 's3',
      acknowledgedBy: 'm1',
      resolvedAt: T0 + 18 * MINUTE,
      resolvedBy: null,
    });
    // The absent clerk no longer holds the counter; nothing is due for it.
    expect(dueTimers(covered)).toEqual([]);
    expect(
      errorOf(
        attempt(covered, { type: 'counter:call-next', counterId: 'c1' }, T0 + 19 * MINUTE, staff('s1')),
      ),
    ).toBe('not-allowed');
  });

  it('ends with the clerk back at work: a call resolves the alert', () => {
    const paused = run(openedC1(), [pause('c1', T0 + MINUTE)]);
    const raised = stateOf(fire(paused, 'counter:check-absence').r);
    const s = run(raised, [
      resume('c1', T0 + 20 * MINUTE),
      {
        command: { type: 'ticket:issue', serviceId: 'tax', priority: 'normal', channel: 'kiosk' },
        at: T0 + 20 * MINUTE,
      },
    ]);
    // Back but not serving yet: still the same absence, still open.
    expect(s.alerts.get('alert-1')!.resolvedAt).toBeNull();
    const r = attempt(s, { type: 'counter:call-next', counterId: 'c1' }, T0 + 21 * MINUTE, staff('s1'));
    expect(events(r).at(-1)).toMatchObject({
      type: 'alert:resolved',
      alertId: 'alert-1',
      resolution: 'served',
    });
  });
});

describe('empty post (R5): an open counter nobody works while people wait for it', () => {
  const waiting = () =>
    run(openedC1(), [
      {
        command: { type: 'ticket:issue', serviceId: 'tax', priority: 'normal', channel: 'kiosk' },
        at: T0 + 3 * MINUTE,
      },
    ]);

  it('alerts once the first waiting applicant has waited the limit at an idle counter', () => {
    expect(timer(openedC1(), 'counter:check-empty-post')).toBeUndefined(); // nobody waits
    const s = waiting();
    const { at, r } = fire(s, 'counter:check-empty-post');
    expect(at).toBe(T0 + 13 * MINUTE);
    expect(events(r)).toEqual([
      expect.objectContaining({
        type: 'alert:raised',
        kind: 'empty-post',
        rule: 'R5',
        counterId: 'c1',
        staffId: 's1',
      }),
    ]);
    // Raised once: no second timer for the same idle spell.
    expect(timer(stateOf(r), 'counter:check-empty-post')).toBeUndefined();
  });

  it('is not raised when the counter acted first, and resolves when it acts later', () => {
    const s = waiting();
    const t = timer(s, 'counter:check-empty-post')!;
    const called = run(s, [
      { command: { type: 'counter:call-next', counterId: 'c1' }, actor: staff('s1'), at: t.at - MINUTE },
    ]);
    expect(events(attempt(called, t.command, t.at, system))).toEqual([]);
    const raised = stateOf(fire(s, 'counter:check-empty-post').r);
    const r = attempt(raised, pause('c1', t.at + MINUTE).command, t.at + MINUTE, staff('s1'));
    expect(events(r).at(-1)).toMatchObject({ type: 'alert:resolved', resolution: 'paused' });
  });
});

describe('escalation and the manager’s actions', () => {
  const incident = () =>
    stateOf(
      attempt(
        openedC1(),
        { type: 'counter:report-incident', counterId: 'c1', kind: 'illness', note: '申请人晕倒' },
        T0 + 2 * MINUTE,
        staff('s1'),
        'inc-1',
      ),
    );

  it('a clerk’s incident report is a critical alert at once (R20), only from their own counter', () => {
    const s = incident();
    expect(s.alerts.get('inc-1')).toMatchObject({
      kind: 'incident',
      severity: 'critical',
      rule: 'R20',
      counterId: 'c1',
      staffId: 's1',
      detail: 'illness',
      note: '申请人晕倒',
    });
    expect(
      errorOf(
        attempt(
          s,
          { type: 'counter:report-incident', counterId: 'c1', kind: 'quarrel', note: '' },
          T0,
          staff('s2'),
        ),
      ),
    ).toBe('not-allowed');
  });

  it('escalates an alert nobody acknowledged, twice at most; acknowledging stops it', () => {
    let s = incident();
    const first = fire(s, 'alert:check-escalation');
    expect(first.at).toBe(T0 + 7 * MINUTE);
    expect(events(first.r)).toEqual([
      expect.objectContaining({
        type: 'alert:escalated',
        alertId: 'inc-1',
        escalations: 1,
        severity: 'critical',
      }),
    ]);
    s = stateOf(first.r);
    // The first step's timer delivered again does nothing.
    expect(
      events(
        attempt(
          s,
          { type: 'alert:check-escalation', alertId: 'inc-1', escalations: 0 },
          T0 + 20 * MINUTE,
          system,
        ),
      ),
    ).toEqual([]);
    const second = fire(s, 'alert:check-escalation');
    expect(second.at).toBe(T0 + 12 * MINUTE);
    s = stateOf(second.r);
    expect(s.alerts.get('inc-1')!.escalations).toBe(2);
    expect(timer(s, 'alert:check-escalation')).toBeUndefined();

    const acked = stateOf(
      attempt(incident(), { type: 'alert:acknowledge', alertId: 'inc-1' }, T0 + 3 * MINUTE),
    );
    expect(acked.alerts.get('inc-1')).toMatchObject({
      acknowledgedAt: T0 + 3 * MINUTE,
      acknowledgedBy: 'm1',
    });
    expect(timer(acked, 'alert:check-escalation')).toBeUndefined();
    expect(errorOf(attempt(acked, { type: 'alert:acknowledge', alertId: 'inc-1' }, T0 + 4 * MINUTE))).toBe(
      'already-acknowledged',
    );
  });

  it('a manager resolves an alert with a note; a resolved one is closed to further actions', () => {
    const s = stateOf(
      attempt(
        incident(),
        { type: 'alert:resolve', alertId: 'inc-1', note: '已送医，家属陪同' },
        T0 + 9 * MINUTE,
      ),
    );
    expect(s.alerts.get('inc-1')).toMatchObject({
      resolvedAt: T0 + 9 * MINUTE,
      resolvedBy: 'm1',
      resolution: '已送医，家属陪同',
    });
    for (const cmd of [
      { type: 'alert:acknowledge', alertId: 'inc-1' },
      { type: 'alert:resolve', alertId: 'inc-1', note: '' },
      { type: 'alert:assign', alertId: 'inc-1', staffId: 's2' },
    ] as Command[])
      expect(errorOf(attempt(s, cmd, T0 + 10 * MINUTE))).toBe('alert-resolved');
    expect(errorOf(attempt(s, { type: 'alert:acknowledge', alertId: 'nope' }, T0))).toBe('unknown-alert');
    // An incident's assignee acts on it; nobody takes over the counter.
    const assigned = attempt(
      incident(),
      { type: 'alert:assign', alertId: 'inc-1', staffId: 's3' },
      T0 + 3 * MINUTE,
    );
    expect(events(assigned).map((e) => e.type)).toEqual(['alert:assigned']);
  });

  it('lists open alerts first, the most severe first, then the history newest first', () => {
    const a = { severity: 'warning', raisedAt: 1, resolvedAt: null } as const;
    const list = [
      { ...a, id: 'old-done', resolvedAt: 5, raisedAt: 1 },
      { ...a, id: 'warn' },
      { ...a, id: 'crit', severity: 'critical' },
      { ...a, id: 'new-done', resolvedAt: 9, raisedAt: 8 },
    ] as unknown as Parameters<typeof alertOrder>[0][];
    expect(list.sort(alertOrder).map((x) => x.id)).toEqual(['crit', 'warn', 'new-done', 'old-done']);
  });
});

describe('devices and the pre-shift check', () => {
  // Friday 09:00 in Shanghai: open by this configuration.
  const weekdays = [{ open: '09:00', close: '17:00' }];
  const openHall = () => fresh(smallHall({ openingHours: { fri: weekdays } }));
  const report = (deviceId: string, online: boolean): Command => ({
    type: 'device:report',
    deviceId,
    online,
    faults: [],
  });

  it('a device lost while the hall is open is an alert; back online resolves it; at night it is not', () => {
    const gateway: Actor = { kind: 'device', deviceId: 'gw' };
    const r = attempt(openHall(), report('eval-c3', false), T0 + MINUTE, gateway, 'dev-1');
    expect(events(r)[1]).toMatchObject({
      type: 'alert:raised',
      kind: 'device-offline',
      severity: 'warning',
      deviceId: 'eval-c3',
      counterId: 'c3',
    });
    const back = attempt(stateOf(r), report('eval-c3', true), T0 + 5 * MINUTE, gateway);
    expect(events(back).at(-1)).toMatchObject({
      type: 'alert:resolved',
      alertId: 'dev-1',
      resolution: 'back-online',
    });
    // The hub reports its own gateway: without it no device answers, so it is critical.
    const gw = attempt(openHall(), report('gw', false), T0 + MINUTE, system, 'dev-2');
    expect(events(gw)[1]).toMatchObject({ kind: 'device-offline', severity: 'critical', deviceId: 'gw' });
    const night = attempt(openHall(), report('eval-c3', false), T0 + 10 * 60 * MINUTE, gateway);
    expect(events(night).map((e) => e.type)).toEqual(['device:health-changed']);
  });

  it('records the pre-shift check with the opening (R17) and alerts on a failing item', () => {
    const check = { pc: true, caller: true, pad: false, forms: true, note: '评价器无法开机' };
    const r = attempt(fresh(), { type: 'counter:open', counterId: 'c1', check }, T0, staff('s1'), 'chk-1');
    expect(stateOf(r).counters.get('c1')!.check).toEqual(check);
    expect(events(r)[1]).toMatchObject({
      type: 'alert:raised',
      kind: 'pre-shift-fault',
      rule: 'R17',
      detail: 'pad',
      note: '评价器无法开机',
    });
    const ok = attempt(
      fresh(),
      { type: 'counter:open', counterId: 'c1', check: { ...check, pad: true } },
      T0,
      staff('s1'),
    );
    expect(events(ok).map((e) => e.type)).toEqual(['counter:opened']);
  });
});

describe('surviving a restart', () => {
  it('a snapshot and a replay of the log give back the same alerts and the same timers', () => {
    const s = run(openedC1(), [
      pause('c1', T0 + MINUTE),
      {
        command: { type: 'counter:report-incident', counterId: 'c1', kind: 'quarrel', note: '' },
        actor: staff('s1'),
        at: T0 + 2 * MINUTE,
      },
    ]);
    const back = fromSnapshot(s.config, JSON.parse(JSON.stringify(toSnapshot(s))));
    expect(dueTimers(back)).toEqual(dueTimers(s));
    expect([...back.alerts.values()]).toEqual([...s.alerts.values()]);
    expect(back.counters.get('c1')).toEqual(s.counters.get('c1'));
  });

  it('resolved alerts leave the live hall at the next day; open ones stay', () => {
    let s = run(openedC1(), [
      {
        command: { type: 'counter:report-incident', counterId: 'c1', kind: 'quarrel', note: '' },
        actor: staff('s1'),
        at: T0,
        id: 'i1',
      },
      {
        command: { type: 'counter:report-incident', counterId: 'c1', kind: 'other', note: '' },
        actor: staff('s1'),
        at: T0,
        id: 'i2',
      },
      { command: { type: 'alert:resolve', alertId: 'i1', note: '' }, at: T0 + MINUTE },
    ]);
    s = run(s, [{ command: { type: 'hall:post-notice', text: '次日' }, at: T0 + 24 * 60 * MINUTE }]);
    expect([...s.alerts.keys()]).toEqual(['i2']);
  });
});
