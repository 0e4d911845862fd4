import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import type { Actor, Command, HallConfig } from '@yichuang/protocol';
import { ServiceCatalogue } from '@yichuang/protocol';
import { fromSnapshot, staffSnapshot, toSnapshot, transition, type HallState } from '@yichuang/server';
import { fresh, manager, MINUTE, run, smallHall, staff } from '../support/factories.js';

/**
 * #13: the service catalogue (R3, R27, R28, R39) and the written notices a counter gives from it
 * (R18, R24): exactly the ticked materials, numbered per hall, kind and year, recorded on the ticket.
 */
const ZONE = 'Asia/Shanghai';
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const local = (t: number) => DateTime.fromMillis(t, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm");

const REAL_ESTATE = ServiceCatalogue.parse({
  matterType: 'confirmation',
  department: '市不动产登记中心',
  guide: '买卖双方到场递交材料，缴纳税费后受理。',
  materials: [
    { id: 'application', name: '不动产登记申请书', form: 'original' },
    { id: 'title', name: '不动产权属证书', form: 'original' },
    { id: 'contract', name: '存量房买卖合同', form: 'original', copies: 2 },
    { id: 'marital', name: '婚姻状况证明', form: 'copy', deficiencyAllowed: true },
  ],
  legalDays: 30,
  promisedDays: 5,
  authorisedStaff: ['s3', 'm1'],
});

/** The small hall with a catalogue entry for 不动产 (counter 3). */
function hall(): HallConfig {
  const base = smallHall();
  return {
    ...base,
    services: base.services.map((s) => (s.id === 'bdc' ? { ...s, catalogue: REAL_ESTATE } : s)),
  };
}

const FRIDAY = at('2026-02-13T10:00');
const attempt = (s: HallState, command: Command, actor: Actor, when = FRIDAY + 10 * MINUTE, id = 'n1') =>
  transition(s, { command, actor, id }, when);
const errorOf = (r: ReturnType<typeof attempt>) => (r.ok ? 'applied' : r.error.code);

/** Ticket w1 (不动产) being served at counter 3 by `clerk`. */
function serving(clerk = 's3', config = hall()): HallState {
  return run(
    fresh(config),
    [
      { command: { type: 'counter:open', counterId: 'c3', staffId: clerk } },
      { command: { type: 'ticket:issue', serviceId: 'bdc', priority: 'normal' }, id: 'w1' },
      { command: { type: 'counter:call-next', counterId: 'c3' }, actor: staff(clerk) },
      { command: { type: 'counter:start', counterId: 'c3' }, actor: staff(clerk) },
    ],
    FRIDAY,
  );
}

const oneTime = (materialIds: string[]): Command => ({
  type: 'ticket:issue-notice',
  ticketId: 'w1',
  kind: 'one-time',
  materialIds,
  reason: '',
});

describe('the one-time notice (R18, R24)', () => {
  it('lists exactly the ticked materials, is numbered per kind and year, and is recorded on the ticket', () => {
    const r = attempt(serving(), oneTime(['title', 'contract']), staff('s3'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const notice = r.state.writtenNotices.get('n1')!;
    expect(notice).toMatchObject({
      kind: 'one-time',
      number: '(2026)告字第000001号',
      ticketNumber: 'D001',
      counterId: 'c3',
      staffId: 's3',
      materials: [
        { id: 'title', name: '不动产权属证书', form: 'original', copies: 1 },
        { id: 'contract', name: '存量房买卖合同', form: 'original', copies: 2 },
      ],
    });
    expect(r.state.tickets.get('w1')!.notices).toEqual(['n1']);
    // The next one-time notice of the year follows; another kind has its own numbers.
    const second = attempt(r.state, oneTime(['application']), staff('s3'), FRIDAY + 11 * MINUTE, 'n2');
    expect(second.ok && second.state.writtenNotices.get('n2')!.number).toBe('(2026)告字第000002号');
    const refusal: Command = {
      type: 'ticket:issue-notice',
      ticketId: 'w1',
      kind: 'non-acceptance',
      materialIds: [],
      reason: '申请人非产权人，且无授权委托书',
    };
    const third = attempt(r.state, refusal, staff('s3'), FRIDAY + 12 * MINUTE, 'n3');
    expect(third.ok && third.state.writtenNotices.get('n3')).toMatchObject({
      number: '(2026)不字第000001号',
      reason: '申请人非产权人，且无授权委托书',
    });
    // Staff screens get the notices for reprints, and the snapshot keeps them.
    if (third.ok) {
      expect(
        staffSnapshot(third.state)
          .writtenNotices.map((n) => n.id)
          .sort(),
      ).toEqual(['n1', 'n3']);
      expect(fromSnapshot(hall(), JSON.parse(JSON.stringify(toSnapshot(third.state))))).toEqual(third.state);
    }
  });

  it('is refused without a missing material, with one not on the list, or from a clerk not serving it', () => {
    const s = serving();
    expect(errorOf(attempt(s, oneTime([]), staff('s3')))).toBe('invalid-payload');
    expect(errorOf(attempt(s, oneTime(['passport']), staff('s3')))).toBe('invalid-payload');
    expect(errorOf(attempt(s, oneTime(['title']), staff('s1')))).toBe('not-allowed');
    expect(errorOf(attempt(s, oneTime(['title']), { kind: 'public' }))).toBe('not-allowed');
    const reasonless: Command = {
      type: 'ticket:issue-notice',
      ticketId: 'w1',
      kind: 'non-acceptance',
      materialIds: [],
      reason: '',
    };
    expect(errorOf(attempt(s, reasonless, staff('s3')))).toBe('invalid-payload');
  });

  it('needs the service in the catalogue', () => {
    const s = run(
      fresh(hall()),
      [
        { command: { type: 'counter:open', counterId: 'c2', staffId: 's2' } },
        { command: { type: 'ticket:issue', serviceId: 'si', priority: 'normal' }, id: 'w1' },
        { command: { type: 'counter:call-next', counterId: 'c2' }, actor: staff('s2') },
      ],
      FRIDAY,
    );
    expect(errorOf(attempt(s, oneTime(['title']), staff('s2')))).toBe('not-in-catalogue');
  });

  it('may be given by the clerk who served the ticket after it is completed (a reprint is the same record)', () => {
    const done = run(
      serving(),
      [
        {
          command: { type: 'counter:complete', counterId: 'c3', outcome: 'one-time-notice' },
          actor: staff('s3'),
        },
      ],
      FRIDAY + 5 * MINUTE,
    );
    expect(errorOf(attempt(done, oneTime(['title']), staff('s3')))).toBe('applied');
  });
});

describe('the acceptance notice (R18, R27, R39)', () => {
  const accept = (materialIds: string[] = []): Command => ({
    type: 'ticket:issue-notice',
    ticketId: 'w1',
    kind: 'acceptance',
    materialIds,
    reason: '',
  });

  it('promises completion in the service’s working days, across the Spring Festival', () => {
    const r = attempt(serving(), accept(), staff('s3'));
    // Friday 13 February + 5 working days: 14th (make-up Saturday), 24th, 25th, 26th, 27th.
    expect(r.ok && r.state.writtenNotices.get('n1')).toMatchObject({
      number: '(2026)受字第000001号',
      promisedDays: 5,
      owedUntil: null,
    });
    expect(r.ok && local(r.state.writtenNotices.get('n1')!.dueBy!)).toBe('2026-02-27T23:59');
    expect(r.ok && r.state.cases.size).toBe(0);
  });

  it('with a material owed (容缺), records it and opens its follow-up for the clerk, with a deadline', () => {
    const r = attempt(serving(), accept(['marital']), staff('s3'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const notice = r.state.writtenNotices.get('n1')!;
    expect(notice.materials.map((m) => m.name)).toEqual(['婚姻状况证明']);
    expect(local(notice.owedUntil!)).toBe('2026-02-27T23:59');
    const c = r.state.cases.get('n1-owed')!;
    expect(c).toMatchObject({
      kind: 'deficiency',
      assignedTo: 's3',
      ticketNumber: 'D001',
      description: '婚姻状况证明',
    });
    expect(c.deadlines).toEqual([expect.objectContaining({ name: 'supplement', due: notice.owedUntil })]);
    // The clerk records the material when it comes; the case closes.
    const done = run(
      r.state,
      [
        {
          command: {
            type: 'case:record',
            caseId: 'n1-owed',
            step: 'supplemented',
            note: '已补交结婚证复印件',
          },
          actor: staff('s3'),
        },
        { command: { type: 'case:close', caseId: 'n1-owed', note: '材料齐全' }, actor: staff('s3') },
      ],
      at('2026-02-24T10:00'),
    );
    expect(done.cases.get('n1-owed')!.deadlines[0]!.metAt).toBe(at('2026-02-24T10:00'));
  });

  it('owes only what the catalogue allows to be owed', () => {
    expect(errorOf(attempt(serving(), accept(['title']), staff('s3')))).toBe('invalid-payload');
  });

  it('is given only by staff the department authorised (R39); a one-time notice by any clerk serving it', () => {
    const s = serving('s1');
    expect(errorOf(attempt(s, accept(), staff('s1')))).toBe('not-allowed');
    expect(errorOf(attempt(s, oneTime(['title']), staff('s1')))).toBe('applied');
    expect(errorOf(attempt(s, accept(), manager))).toBe('applied');
  });
});

describe('the catalogue kept by an admin (R3)', () => {
  const admin = staff('ad', ['admin']);
  const set = (catalogue: unknown): Command => ({
    type: 'service:set-catalogue',
    serviceId: 'si',
    catalogue: ServiceCatalogue.parse(catalogue),
  });
  const SI = {
    matterType: 'public-service',
    department: '人社局',
    materials: [{ id: 'id-card', name: '居民身份证', form: 'original' }],
    legalDays: null,
    promisedDays: 0,
  };

  it('is changed by an admin only, in force at once for notices and staff screens', () => {
    expect(errorOf(attempt(fresh(hall()), set(SI), manager))).toBe('not-allowed');
    const r = attempt(fresh(hall()), set(SI), admin);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(staffSnapshot(r.state).services.find((s) => s.id === 'si')!.catalogue).toMatchObject({
      department: '人社局',
    });
    const s = run(
      r.state,
      [
        { command: { type: 'counter:open', counterId: 'c2', staffId: 's2' } },
        { command: { type: 'ticket:issue', serviceId: 'si', priority: 'normal' }, id: 'w1' },
        { command: { type: 'counter:call-next', counterId: 'c2' }, actor: staff('s2') },
      ],
      FRIDAY + MINUTE,
    );
    expect(errorOf(attempt(s, oneTime(['id-card']), staff('s2'), FRIDAY + 20 * MINUTE))).toBe('applied');
    expect(fromSnapshot(hall(), JSON.parse(JSON.stringify(toSnapshot(s))))).toEqual(s);
  });

  it('refuses an entry that does not hold together', () => {
    const twice = { ...SI, materials: [...SI.materials, ...SI.materials] };
    expect(attempt(fresh(hall()), set(twice), admin)).toMatchObject({
      ok: false,
      error: { code: 'invalid-payload', message: expect.stringContaining('twice') },
    });
    expect(errorOf(attempt(fresh(hall()), set({ ...SI, legalDays: 3, promisedDays: 5 }), admin))).toBe(
      'invalid-payload',
    );
    expect(errorOf(attempt(fresh(hall()), set({ ...SI, authorisedStaff: ['nobody'] }), admin))).toBe(
      'invalid-payload',
    );
  });
});
