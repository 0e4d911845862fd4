import { describe, expect, it } from 'vitest';
import type { Actor, Command } from '@yichuang/protocol';
import { toPublicEvent } from '@yichuang/protocol';
import { fromSnapshot, publicSnapshot, toSnapshot, transition, type HallState } from '@yichuang/server';
import { fresh, manager, MINUTE, publicActor, run, staff, T0 } from '../support/factories.js';

/** R38: emergency broadcasts with the clock as an argument. */

const attempt = (s: HallState, command: Command, actor: Actor = manager, at = T0 + MINUTE, id = 'em-1') =>
  transition(s, { command, actor, id }, at);
const errorOf = (r: ReturnType<typeof attempt>) => (r.ok ? 'applied' : r.error.code);
const stateOf = (r: ReturnType<typeof attempt>) => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.state;
};
const issue: Command = { type: 'ticket:issue', serviceId: 'tax', priority: 'normal', channel: 'kiosk' };
const declare = (kind: 'fire' | 'illness' | 'power-cut' | 'other', extra: Partial<Command> = {}) =>
  ({ type: 'hall:declare-emergency', kind, text: '', ...extra }) as Command;

describe('emergency broadcast (R38)', () => {
  it('a fire stops issuing and is evacuated by its playbook; the public sees what to do, not who declared it', () => {
    const r = attempt(fresh(), declare('fire', { text: '三楼起火，请走东侧楼梯' }));
    expect(r.ok && r.events).toEqual([
      expect.objectContaining({
        type: 'hall:emergency-declared',
        emergencyId: 'em-1',
        kind: 'fire',
        text: '三楼起火，请走东侧楼梯',
        stopsIssuing: true,
        evacuate: true,
        staffId: 'm1',
      }),
    ]);
    const s = stateOf(r);
    expect(errorOf(attempt(s, issue, publicActor))).toBe('emergency');
    expect(publicSnapshot(s).emergency).toEqual({
      id: 'em-1',
      kind: 'fire',
      text: '三楼起火，请走东侧楼梯',
      stopsIssuing: true,
      evacuate: true,
      declaredAt: T0 + MINUTE,
    });
    const pub = toPublicEvent({ ...(r.ok ? r.events[0]! : ({} as never)), version: 1 });
    expect(pub).not.toHaveProperty('staffId');
  });

  it('an illness does not stop issuing unless the manager says so; only a manager declares', () => {
    expect(errorOf(attempt(stateOf(attempt(fresh(), declare('illness'))), issue, publicActor))).toBe(
      'applied',
    );
    const stopped = stateOf(attempt(fresh(), declare('illness', { stopIssuing: true })));
    expect(errorOf(attempt(stopped, issue, publicActor))).toBe('emergency');
    expect(errorOf(attempt(fresh(), declare('fire'), staff('s1')))).toBe('not-allowed');
    expect(errorOf(attempt(fresh(), declare('fire'), publicActor))).toBe('not-allowed');
  });

  it('counts each screen that showed it once, and refuses receipts for an emergency not in force', () => {
    let s = stateOf(attempt(fresh(), declare('power-cut')));
    const shown = (screen: string, kind: 'wall' | 'panel', emergencyId = 'em-1') =>
      attempt(s, { type: 'hall:emergency-shown', emergencyId, screen, kind }, publicActor, T0 + 2 * MINUTE);
    s = stateOf(shown('scr-wall-1', 'wall'));
    const again = shown('scr-wall-1', 'wall');
    expect(again.ok && again.events).toEqual([]);
    s = stateOf(shown('panel-c1', 'panel'));
    expect(s.emergency!.receipts).toEqual([
      { screen: 'scr-wall-1', kind: 'wall', at: T0 + 2 * MINUTE },
      { screen: 'panel-c1', kind: 'panel', at: T0 + 2 * MINUTE },
    ]);
    expect(errorOf(shown('scr-x', 'wall', 'old-one'))).toBe('no-emergency');
  });

  it('the all-clear restores issuing; a new declaration replaces the one in force', () => {
    const s = stateOf(attempt(fresh(), declare('fire')));
    expect(errorOf(attempt(s, { type: 'hall:all-clear', emergencyId: 'nope' }))).toBe('no-emergency');
    const replaced = stateOf(
      attempt(s, declare('other', { text: '演练结束前请勿离开座位' }), manager, T0 + 2 * MINUTE, 'em-2'),
    );
    expect(replaced.emergency).toMatchObject({
      id: 'em-2',
      kind: 'other',
      stopsIssuing: false,
      receipts: [],
    });
    const clear = stateOf(attempt(replaced, { type: 'hall:all-clear', emergencyId: 'em-2' }));
    expect(clear.emergency).toBeNull();
    expect(errorOf(attempt(clear, issue, publicActor))).toBe('applied');
  });

  it('survives a restart: the snapshot keeps the emergency and its receipts', () => {
    const s = run(fresh(), [
      { command: declare('power-cut'), id: 'em-1' },
      {
        command: { type: 'hall:emergency-shown', emergencyId: 'em-1', screen: 'scr-a', kind: 'wall' },
        actor: publicActor,
      },
    ]);
    const back = fromSnapshot(s.config, JSON.parse(JSON.stringify(toSnapshot(s))));
    expect(back.emergency).toEqual(s.emergency);
    expect(errorOf(attempt(back, issue, publicActor))).toBe('emergency');
  });
});
