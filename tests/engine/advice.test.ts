import { describe, expect, it } from 'vitest';
import type { Command } from '@yichuang/protocol';
import { dispatchAdvice, projectWaits, arrivalForecast } from '@yichuang/protocol';
import { staffSnapshot, type HallState } from '@yichuang/server';
import { fresh, manager, MINUTE, run, staff, T0 } from '../support/factories.js';

const issue = (serviceId: string): Command => ({
  type: 'ticket:issue',
  serviceId,
  priority: 'normal',
  channel: 'kiosk',
});

/** `n` tickets for a service over the half hour before `until`. */
function arrivals(s: HallState, serviceId: string, n: number, until: number): HallState {
  return run(
    s,
    Array.from({ length: n }, (_, i) => ({
      command: issue(serviceId),
      at: until - 30 * MINUTE + (i * 30 * MINUTE) / n,
    })),
  );
}

const now = T0 + 60 * MINUTE;
const working = (s: HallState) =>
  [...s.counters.values()]
    .filter((c) => c.state !== 'closed' && c.state !== 'paused')
    .map((c) => ({ id: c.id, serviceIds: c.serviceIds, staffId: c.staffId }));

/** Applies an advice's commands as the manager would with one click. */
const apply = (s: HallState, commands: Command[]) =>
  run(
    s,
    commands.map((command) => ({ command, actor: manager, at: now })),
  );

describe('dispatch advice (#10 item 3)', () => {
  it('adds a service at risk to a counter that can take it, and says by how much waits fall', () => {
    // Tax: 20 applicants in the last half hour at counter 1 (tax and social insurance); counter 2
    // serves social insurance only and is idle.
    let s = run(fresh(), [
      { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1'), at: T0 },
      { command: { type: 'counter:open', counterId: 'c2' }, actor: staff('s2'), at: T0 },
    ]);
    s = arrivals(s, 'tax', 20, now);
    const advice = dispatchAdvice(staffSnapshot(s), now);
    const add = advice.find((a) => a.kind === 'add-service' && a.counterId === 'c2');
    expect(add).toMatchObject({ kind: 'add-service', serviceId: 'tax' });
    const tax = add!.effects.find((e) => e.serviceId === 'tax')!;
    expect(tax.after!).toBeLessThan(tax.before!);
    expect(add!.gain).toBeGreaterThan(0);
    // One click: the counter now serves tax, and the projection agrees with the advice.
    const after = apply(s, add!.commands);
    expect(after.counters.get('c2')!.serviceIds).toEqual(['si', 'tax']);
    const snap = staffSnapshot(after);
    expect(projectWaits(snap, working(after), arrivalForecast(snap, now)).get('tax')).toBeCloseTo(
      tax.after!,
      5,
    );
  });

  it('opens a closed counter with a free staff member for a service nobody serves', () => {
    let s = run(fresh(), [
      { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1'), at: T0 },
    ]);
    s = arrivals(s, 'bdc', 6, now);
    const advice = dispatchAdvice(staffSnapshot(s), now);
    expect(advice[0]).toMatchObject({ kind: 'open-counter', counterId: 'c3' });
    expect(advice[0]!.effects).toEqual([{ serviceId: 'bdc', before: null, after: expect.any(Number) }]);
    const after = apply(s, advice[0]!.commands);
    expect(after.counters.get('c3')!.state).toBe('open');
    // R7: the staff member it proposed is on leave today: the next free one is proposed instead.
    const proposed = (advice[0] as { staffId: string }).staffId;
    const onLeave = run(s, [
      {
        command: {
          type: 'staff:record-leave',
          staffId: proposed,
          from: '2026-11-27',
          to: '2026-11-27',
          kind: 'sick',
          note: '',
        },
        at: now,
      },
    ]);
    const next = dispatchAdvice(staffSnapshot(onLeave), now)[0] as { kind: string; staffId: string };
    expect(next.kind).toBe('open-counter');
    expect(next.staffId).not.toBe(proposed);
  });

  it('moves a staff member from an idle counter when nobody is free', () => {
    // s1 at counter 1, s2 at counter 2 (social insurance, idle), s3 at the complaint window; the
    // manager is left out of the staff list, so nobody is free; real estate (counter 3) is closed.
    let s = run(fresh(), [
      { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1'), at: T0 },
      { command: { type: 'counter:open', counterId: 'c2' }, actor: staff('s2'), at: T0 },
      { command: { type: 'counter:open', counterId: 'c4', staffId: 's3' }, actor: manager, at: T0 },
    ]);
    s = arrivals(s, 'bdc', 6, now);
    const snap = staffSnapshot({
      ...s,
      config: { ...s.config, staff: s.config.staff.filter((x) => x.id !== 'm1') },
    });
    const advice = dispatchAdvice(snap, now);
    const move = advice.find((a) => a.kind === 'move-staff');
    expect(move).toMatchObject({ kind: 'move-staff', toCounterId: 'c3' });
    const after = apply(s, move!.commands);
    expect(after.counters.get('c3')!.state).toBe('open');
  });

  it('in a quiet hall, suggests closing an idle counter nobody will miss, and nothing when busy', () => {
    const s = run(fresh(), [
      { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1'), at: T0 },
      { command: { type: 'counter:open', counterId: 'c2' }, actor: staff('s2'), at: T0 },
    ]);
    const quiet = dispatchAdvice(staffSnapshot(s), now);
    expect(quiet.map((a) => a.kind)).toContain('close-counter');
    for (const a of quiet) expect(a.kind).toBe('close-counter');
    // Social insurance busy: closing counter 2 would hurt, so it is not suggested.
    const busy = arrivals(s, 'si', 25, now);
    expect(dispatchAdvice(staffSnapshot(busy), now).some((a) => a.kind === 'close-counter')).toBe(false);
  });
});
