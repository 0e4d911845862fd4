import { describe, expect, it } from 'vitest';
import type { Actor, Command } from '@yichuang/protocol';
import { ApplicantInput, maskName, maskPhone, sealCommand } from '@yichuang/protocol';
import { fromSnapshot, toSnapshot, transition, type HallState } from '@yichuang/server';
import { fresh, manager, MINUTE, publicActor, run, smallHall, staff, T0 } from '../support/factories.js';

/** #12, R9: what the hall keeps of an applicant, who sees it, and the one-ticket rule. */
const ALICE = 'a'.repeat(64);
const BOB = 'b'.repeat(64);
const hall = smallHall({
  services: smallHall().services.map((s) =>
    s.id === 'bdc' ? { ...s, identification: 'required' as const } : s,
  ),
});
const issue = (
  serviceId: string,
  applicant?: Extract<Command, { type: 'ticket:issue' }>['applicant'],
): Command => ({
  type: 'ticket:issue',
  serviceId,
  priority: 'normal',
  ...(applicant ? { applicant } : {}),
});
const attempt = (s: HallState, command: Command, actor: Actor = publicActor, at = T0 + 30 * MINUTE) =>
  transition(s, { command, actor, id: `x${s.version}` }, at);

describe('applicant data on tickets (#12, R9)', () => {
  it('keeps the details on file, shows staff only a masked form, and never an ID number', () => {
    const s = run(fresh(hall), [
      {
        command: issue('tax', { name: '欧阳娜娜', phone: '13912345678', idHash: ALICE }),
        actor: publicActor,
        id: 't1',
      },
    ]);
    expect(s.tickets.get('t1')!.applicant).toEqual({
      name: '欧**娜',
      phone: '139****5678',
      identified: true,
    });
    expect(s.applicants.get('t1')).toEqual({ name: '欧阳娜娜', phone: '13912345678', idHash: ALICE });
    // A snapshot keeps them (the hub restarts with them) and rebuilds the one-ticket index.
    const back = fromSnapshot(
      hall,
      JSON.parse(JSON.stringify(toSnapshot(s))) as ReturnType<typeof toSnapshot>,
    );
    expect(back.applicants.get('t1')).toEqual(s.applicants.get('t1'));
    expect(attempt(back, issue('tax', { idHash: ALICE })).ok).toBe(false);
  });

  it('records only the named fields, even from a command that was never sealed', () => {
    const wire = ApplicantInput.parse({ name: '王小明', idNumber: '11010519491231002X' });
    const unsealed = {
      type: 'ticket:issue',
      serviceId: 'tax',
      priority: 'normal',
      applicant: wire,
    } as Command;
    const r = attempt(fresh(hall), unsealed);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(JSON.stringify(r.events)).not.toContain('11010519491231002X');
    // Sealed as the transport does, the ID number becomes its hash.
    const sealed = sealCommand({ ...unsealed, applicant: wire } as never, () => BOB);
    expect(sealed).toMatchObject({ applicant: { name: '王小明', idHash: BOB } });
    expect(JSON.stringify(sealed)).not.toContain('11010519491231002X');
  });

  it('refuses a ticket without an ID number where the service requires one', () => {
    const r = attempt(fresh(hall), issue('bdc', { name: '王小明' }));
    expect(r).toMatchObject({ ok: false, error: { code: 'identification-required' } });
    expect(attempt(fresh(hall), issue('bdc', { idHash: ALICE })).ok).toBe(true);
    // Staff issuing at the counter follow the same rule.
    expect(attempt(fresh(hall), issue('bdc'), manager)).toMatchObject({
      ok: false,
      error: { code: 'identification-required' },
    });
  });

  it('gives one person one live ticket per service, and another once it is finished', () => {
    let s = run(fresh(hall), [
      { command: { type: 'counter:open', counterId: 'c3' }, actor: staff('s3') },
      { command: issue('bdc', { idHash: ALICE }), actor: publicActor, id: 'a1' },
    ]);
    expect(attempt(s, issue('bdc', { idHash: ALICE }))).toMatchObject({
      ok: false,
      error: { code: 'already-holding' },
    });
    // Another person, or the same person for another service, may.
    expect(attempt(s, issue('bdc', { idHash: BOB })).ok).toBe(true);
    expect(attempt(s, issue('tax', { idHash: ALICE })).ok).toBe(true);
    // Called and being served, still held; completed, free again.
    s = run(
      s,
      [{ command: { type: 'counter:call-next', counterId: 'c3' }, actor: staff('s3') }],
      T0 + 40 * MINUTE,
    );
    expect(attempt(s, issue('bdc', { idHash: ALICE }))).toMatchObject({
      ok: false,
      error: { code: 'already-holding' },
    });
    s = run(
      s,
      [
        { command: { type: 'counter:start', counterId: 'c3' }, actor: staff('s3') },
        { command: { type: 'counter:complete', counterId: 'c3', outcome: 'accepted' }, actor: staff('s3') },
      ],
      T0 + 41 * MINUTE,
    );
    expect(attempt(s, issue('bdc', { idHash: ALICE }), publicActor, T0 + 50 * MINUTE).ok).toBe(true);
  });

  it('lets the next day start clean: yesterday’s applicants are let go with their tickets', () => {
    const s = run(fresh(hall), [
      { command: issue('tax', { name: '王小明', idHash: ALICE }), actor: publicActor, id: 'y1' },
      { command: { type: 'ticket:cancel', ticketId: 'y1' }, actor: publicActor },
    ]);
    const tomorrow = run(s, [{ command: issue('tax'), actor: publicActor }], T0 + 24 * 60 * MINUTE);
    expect(tomorrow.applicants.has('y1')).toBe(false);
    expect(tomorrow.idHolders.has(ALICE)).toBe(false);
  });

  it('lets the clerk serving a ticket, its first contact and the hall’s manager reveal, and records why', () => {
    let s = run(fresh(hall), [
      { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1') },
      { command: { type: 'counter:open', counterId: 'c2' }, actor: staff('s2') },
      { command: issue('si', { name: '王小明', phone: '13812345678' }), actor: publicActor, id: 'w1' },
      { command: issue('si'), actor: publicActor, id: 'w2' },
      { command: { type: 'counter:call', counterId: 'c1', ticketId: 'w1' }, actor: staff('s1') },
    ]);
    const reveal = (ticketId: string): Command => ({
      type: 'ticket:reveal-applicant',
      ticketId,
      reason: '电话回访',
    });
    const r = attempt(s, reveal('w1'), staff('s1'));
    expect(r.ok && r.events).toEqual([
      expect.objectContaining({
        type: 'ticket:applicant-revealed',
        ticketId: 'w1',
        staffId: 's1',
        reason: '电话回访',
      }),
    ]);
    expect(attempt(s, reveal('w1'), manager).ok).toBe(true);
    for (const who of [
      staff('s2'),
      staff('x-city', ['city-manager']),
      staff('x-admin', ['admin']),
      publicActor,
    ])
      expect(attempt(s, reveal('w1'), who)).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    expect(attempt(s, reveal('w2'), manager)).toMatchObject({
      ok: false,
      error: { code: 'no-applicant-data' },
    });
    // Once served, the clerk who served it may still (a call back); the colleague may not.
    s = run(
      s,
      [
        { command: { type: 'counter:start', counterId: 'c1' }, actor: staff('s1') },
        {
          command: { type: 'counter:complete', counterId: 'c1', outcome: 'one-time-notice' },
          actor: staff('s1'),
        },
      ],
      T0 + 50 * MINUTE,
    );
    expect(attempt(s, reveal('w1'), staff('s1'), T0 + 60 * MINUTE).ok).toBe(true);
    expect(attempt(s, reveal('w1'), staff('s2'), T0 + 60 * MINUTE).ok).toBe(false);
    // The reveal changes nothing in the hall but its version (the property tests replay it from logs).
    const done = attempt(s, reveal('w1'), staff('s1'), T0 + 60 * MINUTE);
    expect(done.ok && done.state.tickets).toEqual(s.tickets);
    expect(done.ok && done.state.version).toBe(s.version + 1);
  });

  it('masks names and numbers keeping only the first and last characters', () => {
    expect([
      maskName('张三'),
      maskName('张三丰'),
      maskName('欧阳娜娜'),
      maskName('Li Ming'),
      maskName('王'),
    ]).toEqual(['张*', '张*丰', '欧**娜', 'L*****g', '*']);
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('validates ID numbers by their check character and mobile numbers by their prefix', () => {
    expect(ApplicantInput.safeParse({ idNumber: '11010519491231002X' }).success).toBe(true);
    expect(ApplicantInput.safeParse({ idNumber: '11010519491231002x' }).data).toEqual({
      idNumber: '11010519491231002X',
    });
    expect(ApplicantInput.safeParse({ idNumber: '110105194912310021' }).success).toBe(false);
    expect(ApplicantInput.safeParse({ idNumber: '1101051949' }).success).toBe(false);
    expect(ApplicantInput.safeParse({ phone: '13812345678' }).success).toBe(true);
    expect(ApplicantInput.safeParse({ phone: '12812345678' }).success).toBe(false);
    const bad = ApplicantInput.safeParse({ idNumber: '110105194912310021', phone: '12812345678' });
    // The refusal names the fields, never the values (they could end up in a log line).
    expect(JSON.stringify(bad.error?.issues.map((i) => i.message))).not.toMatch(/1101051949|12812345678/);
  });
});
