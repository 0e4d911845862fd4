import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import type { Actor, Command } from '@yichuang/protocol';
import { callBackContact, caseFigures, CommandPayloads, departmentList, stepsLeft } from '@yichuang/protocol';
import { dueTimers, fromSnapshot, toSnapshot, transition, type HallState } from '@yichuang/server';
import {
  evaluatorC3,
  fresh,
  manager,
  MINUTE,
  publicActor,
  run,
  smallHall,
  staff,
  system,
} from '../support/factories.js';

/**
 * #13: follow-up cases (R14, R33, R36) with their deadlines in working days. The clock and the
 * calendar are the engine's arguments: each test sets the instant, and China's 2026 schedule
 * (the Spring Festival from 15 to 23 February, make-up Saturdays on the 14th and the 28th) counts.
 */
const ZONE = 'Asia/Shanghai';
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const local = (t: number) => DateTime.fromMillis(t, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm");
const WEEK = { open: '09:00', close: '17:00' };
/** The test hall, open on weekdays 09:00–17:00 and on Saturdays (make-up days) 09:00–12:00. */
const hall = () =>
  smallHall({
    openingHours: {
      mon: [WEEK],
      tue: [WEEK],
      wed: [WEEK],
      thu: [WEEK],
      fri: [WEEK],
      sat: [{ open: '09:00', close: '12:00' }],
    },
  });

const attempt = (s: HallState, command: Command, actor: Actor, when: number, id = 'new') =>
  transition(s, { command, actor, id }, when);
const errorOf = (r: ReturnType<typeof attempt>) => (r.ok ? 'applied' : r.error.code);
const applied = (r: ReturnType<typeof attempt>) => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r;
};

/** Ticket w1 for 不动产, issued with a name and number, served at counter 3 by s3 and completed at `when`. */
function completed(when: number, applicant = true): HallState {
  return run(
    fresh(hall()),
    [
      { command: { type: 'counter:open', counterId: 'c3' }, actor: staff('s3') },
      {
        command: {
          type: 'ticket:issue',
          serviceId: 'bdc',
          priority: 'normal',
          ...(applicant ? { applicant: { name: '欧阳娜娜', phone: '13912345678' } } : {}),
        },
        id: 'w1',
      },
      { command: { type: 'counter:call-next', counterId: 'c3' }, actor: staff('s3') },
      { command: { type: 'counter:complete', counterId: 'c3', outcome: 'accepted' }, actor: staff('s3') },
    ],
    when - 4 * MINUTE,
  );
}

/** A 非常不满意 for w1 on Friday 13 February 2026, the last working day before the Spring Festival. */
const FRIDAY = at('2026-02-13T16:30');
function badReview(applicant = true, phone?: string): HallState {
  const r = attempt(
    completed(FRIDAY, applicant),
    {
      type: 'ticket:rate',
      ticketId: 'w1',
      level: 1,
      comment: '态度很差',
      aspects: ['attitude'],
      ...(phone ? { phone } : {}),
    },
    evaluatorC3,
    FRIDAY,
    'k1',
  );
  return applied(r).state;
}

describe('bad reviews open a follow-up case (R36)', () => {
  it('opens a case about the ticket, its window and its clerk, with deadlines across the Spring Festival', () => {
    const s = badReview();
    const c = s.cases.get('k1')!;
    expect(c).toMatchObject({
      kind: 'bad-review',
      number: '2026-0001',
      ticketNumber: 'D001',
      serviceIds: ['bdc'],
      counterId: 'c3',
      staffId: 's3',
      level: 1,
      description: '态度很差',
      named: true,
      // R9: staff see the applicant masked.
      applicant: { name: '欧**娜', phone: '139****5678', identified: false },
    });
    expect(s.tickets.get('w1')!.rating).toMatchObject({ level: 1, aspects: ['attitude'] });
    // Call back within 1 working day: Saturday the 14th is a make-up working day. Rectify within 15:
    // the nine days of the holiday do not count, the make-up Saturday on the 28th does.
    expect(c.deadlines.map((d) => [d.name, local(d.due)])).toEqual([
      ['call-back', '2026-02-14T23:59'],
      ['rectify', '2026-03-12T23:59'],
    ]);
    // The full details are kept for the call back, not on the case staff see.
    expect(s.caseApplicants.get('k1')).toEqual({ name: '欧阳娜娜', phone: '13912345678' });
  });

  it('does not open one for 基本满意 or better', () => {
    for (const level of [3, 4, 5]) {
      const r = applied(
        attempt(completed(FRIDAY), { type: 'ticket:rate', ticketId: 'w1', level }, evaluatorC3, FRIDAY),
      );
      expect(r.state.cases.size, String(level)).toBe(0);
    }
  });

  it('is anonymous without a name or number, unless the applicant leaves a number with the review', () => {
    expect(badReview(false).cases.get('k1')!.named).toBe(false);
    const named = badReview(false, '13700001111');
    expect(named.cases.get('k1')).toMatchObject({ named: true, applicant: { phone: '137****1111' } });
    // A number to call back goes with a bad review only.
    const praise: Command = { type: 'ticket:rate', ticketId: 'w1', level: 5, phone: '13700001111' };
    expect(errorOf(attempt(completed(FRIDAY), praise, evaluatorC3, FRIDAY))).toBe('invalid-payload');
  });

  it('numbers cases per hall and year', () => {
    let s = badReview();
    s = applied(
      attempt(
        s,
        {
          type: 'case:open',
          kind: 'complaint',
          description: '电话投诉：材料反复提交',
          serviceIds: [],
          departments: [],
        },
        staff('s1'),
        FRIDAY + MINUTE,
        'k2',
      ),
    ).state;
    expect(s.cases.get('k2')!.number).toBe('2026-0002');
    s = applied(
      attempt(
        s,
        { type: 'case:open', kind: 'complaint', description: '来信投诉', serviceIds: [], departments: [] },
        manager,
        at('2027-01-04T10:00'),
        'k3',
      ),
    ).state;
    expect(s.cases.get('k3')!.number).toBe('2027-0001');
  });
});

describe('the follow-up loop: assign → investigate → rectify → call back → close (R36)', () => {
  const assigned = () =>
    applied(
      attempt(
        badReview(),
        { type: 'case:assign', caseId: 'k1', staffId: 's1' },
        manager,
        FRIDAY + 5 * MINUTE,
      ),
    ).state;

  it('is assigned by a manager, and worked by its assignee or a manager only', () => {
    const s = badReview();
    expect(
      errorOf(attempt(s, { type: 'case:assign', caseId: 'k1', staffId: 's1' }, staff('s2'), FRIDAY)),
    ).toBe('not-allowed');
    const a = assigned();
    expect(a.cases.get('k1')).toMatchObject({
      assignedTo: 's1',
      entries: [{ step: 'assigned', by: 'm1', note: '李娜' }],
    });
    const investigate: Command = {
      type: 'case:record',
      caseId: 'k1',
      step: 'investigated',
      note: '调取录像，核实属实',
    };
    expect(errorOf(attempt(a, investigate, staff('s2'), FRIDAY + 6 * MINUTE))).toBe('not-allowed');
    expect(errorOf(attempt(a, investigate, staff('s1'), FRIDAY + 6 * MINUTE))).toBe('applied');
    expect(errorOf(attempt(a, investigate, manager, FRIDAY + 6 * MINUTE))).toBe('applied');
    expect(errorOf(attempt(a, { type: 'case:assign', caseId: 'nope', staffId: 's1' }, manager, FRIDAY))).toBe(
      'unknown-case',
    );
  });

  it('takes only its own kind’s steps, and a call back only with someone to call', () => {
    const a = assigned();
    const hand: Command = {
      type: 'case:record',
      caseId: 'k1',
      step: 'handed-over',
      note: '转交',
      department: '市不动产登记中心',
    };
    expect(errorOf(attempt(a, hand, manager, FRIDAY + 6 * MINUTE))).toBe('case-step-not-allowed');
    const anonymous = applied(
      attempt(badReview(false), { type: 'case:assign', caseId: 'k1', staffId: 's1' }, manager, FRIDAY),
    ).state;
    const callBack: Command = { type: 'case:record', caseId: 'k1', step: 'called-back', note: '已回访' };
    expect(errorOf(attempt(anonymous, callBack, staff('s1'), FRIDAY + MINUTE))).toBe('case-step-not-allowed');
    // A hand-over names the department, and only a hand-over does.
    const noDepartment: Command = { type: 'case:record', caseId: 'k1', step: 'handed-over', note: '转交' };
    expect(errorOf(attempt(a, noDepartment, manager, FRIDAY + 6 * MINUTE))).toBe('invalid-payload');
    const department: Command = {
      type: 'case:record',
      caseId: 'k1',
      step: 'investigated',
      note: '核实',
      department: 'x',
    };
    expect(errorOf(attempt(a, department, manager, FRIDAY + 6 * MINUTE))).toBe('invalid-payload');
  });

  it('closes a named case only after the call back; the deadlines it met are met, the rest waived', () => {
    let s = assigned();
    const close: Command = { type: 'case:close', caseId: 'k1', note: '已致歉' };
    expect(errorOf(attempt(s, close, manager, FRIDAY + 10 * MINUTE))).toBe('case-not-called-back');
    s = run(
      s,
      [
        {
          command: { type: 'case:record', caseId: 'k1', step: 'investigated', note: '核实属实' },
          actor: staff('s1'),
        },
        {
          command: {
            type: 'case:record',
            caseId: 'k1',
            step: 'called-back',
            note: '电话回访，申请人表示理解',
          },
          actor: staff('s1'),
        },
        { command: close, actor: staff('s1') },
      ],
      at('2026-02-14T10:00'),
    );
    const c = s.cases.get('k1')!;
    expect(c.closedAt).not.toBeNull();
    expect(c.deadlines.find((d) => d.name === 'call-back')).toMatchObject({
      metAt: at('2026-02-14T10:01'),
      waived: false,
    });
    // Closed without a rectification: no longer due, and the rate says so.
    expect(c.deadlines.find((d) => d.name === 'rectify')).toMatchObject({ metAt: null, waived: true });
    expect(caseFigures(s.cases.values())).toMatchObject({
      named: 1,
      calledBack: 1,
      rectified: 0,
      followUpRate: 1,
      rectificationRate: 0,
    });
    // Once closed, the applicant's details are let go and nothing more is recorded on it.
    expect(s.caseApplicants.has('k1')).toBe(false);
    expect(
      errorOf(
        attempt(
          s,
          { type: 'case:record', caseId: 'k1', step: 'rectified', note: '培训' },
          manager,
          at('2026-02-14T11:00'),
        ),
      ),
    ).toBe('case-closed');
    expect(dueTimers(s).filter((t) => t.command.type === 'case:check-deadline')).toEqual([]);
  });

  it('reminds the handler before each deadline (before the hall closes that day) and alerts the managers when one passes', () => {
    const s = assigned();
    const timers = dueTimers(s).filter((t) => t.command.type === 'case:check-deadline');
    // Saturday the 14th closes at 12:00: the reminder comes two hours before.
    expect(timers.map((t) => [t.key, local(t.at)])).toEqual([
      ['case-remind:k1:call-back', '2026-02-14T10:00'],
      ['case-missed:k1:call-back', '2026-02-14T23:59'],
      ['case-remind:k1:rectify', '2026-03-12T15:00'],
      ['case-missed:k1:rectify', '2026-03-12T23:59'],
    ]);
    // A timer delivered early does nothing.
    expect(applied(attempt(s, timers[1]!.command, system, at('2026-02-14T20:00'))).events).toEqual([]);
    const reminded = applied(attempt(s, timers[0]!.command, system, timers[0]!.at));
    expect(reminded.events).toEqual([
      expect.objectContaining({ type: 'case:reminded', caseId: 'k1', deadline: 'call-back' }),
    ]);
    expect(dueTimers(reminded.state).some((t) => t.key === 'case-remind:k1:call-back')).toBe(false);
    const missed = applied(attempt(reminded.state, timers[1]!.command, system, timers[1]!.at, 'a1'));
    expect(missed.events.map((e) => e.type)).toEqual(['case:deadline-missed', 'alert:raised']);
    const alert = missed.state.alerts.get('a1')!;
    expect(alert).toMatchObject({
      kind: 'case-overdue',
      rule: 'R36',
      caseId: 'k1',
      staffId: 's1',
      detail: 'call-back',
      note: '2026-0001',
    });
    // The call back, late, ends the alert; the deadline shows it was missed.
    const late = applied(
      attempt(
        missed.state,
        { type: 'case:record', caseId: 'k1', step: 'called-back', note: '周二回访' },
        staff('s1'),
        at('2026-02-24T09:30'),
      ),
    );
    expect(late.state.alerts.get('a1')).toMatchObject({ resolvedBy: null, resolution: 'called-back' });
    expect(late.state.cases.get('k1')!.deadlines[0]).toMatchObject({
      missedAt: timers[1]!.at,
      metAt: at('2026-02-24T09:30'),
    });
    expect(caseFigures(late.state.cases.values()).missed).toBe(1);
  });

  it('shows the applicant in full to its handler or the hall’s manager, with a reason, and to nobody else', () => {
    const s = assigned();
    const reveal: Command = { type: 'case:reveal-applicant', caseId: 'k1', reason: '电话回访' };
    expect(errorOf(attempt(s, reveal, staff('s2'), FRIDAY + 6 * MINUTE))).toBe('not-allowed');
    expect(errorOf(attempt(s, reveal, staff('x', ['city-manager']), FRIDAY + 6 * MINUTE))).toBe(
      'not-allowed',
    );
    expect(errorOf(attempt(s, reveal, publicActor, FRIDAY + 6 * MINUTE))).toBe('not-allowed');
    const r = applied(attempt(s, reveal, staff('s1'), FRIDAY + 6 * MINUTE));
    expect(r.events).toEqual([
      expect.objectContaining({ type: 'case:applicant-revealed', staffId: 's1', reason: '电话回访' }),
    ]);
    expect(errorOf(attempt(s, reveal, manager, FRIDAY + 6 * MINUTE))).toBe('applied');
    const anonymous = applied(
      attempt(badReview(false), { type: 'case:assign', caseId: 'k1', staffId: 's1' }, manager, FRIDAY),
    ).state;
    expect(errorOf(attempt(anonymous, reveal, staff('s1'), FRIDAY + MINUTE))).toBe('no-applicant-data');
  });

  it('outlives the day and a snapshot; a closed case leaves the live state after 92 days', () => {
    const s = assigned();
    const nextWeek = run(
      s,
      [{ command: { type: 'ticket:issue', serviceId: 'tax', priority: 'normal' } }],
      at('2026-02-24T09:00'),
    );
    expect(nextWeek.tickets.has('w1')).toBe(false);
    expect(nextWeek.cases.get('k1')!.assignedTo).toBe('s1');
    expect(nextWeek.caseApplicants.get('k1')).toBeDefined();
    expect(fromSnapshot(hall(), JSON.parse(JSON.stringify(toSnapshot(nextWeek))))).toEqual(nextWeek);
    const closed = run(
      nextWeek,
      [
        { command: { type: 'case:record', caseId: 'k1', step: 'called-back', note: '已回访' } },
        { command: { type: 'case:close', caseId: 'k1', note: '已致歉' } },
      ],
      at('2026-02-24T10:00'),
    );
    const later = (iso: string) =>
      run(closed, [{ command: { type: 'ticket:issue', serviceId: 'tax', priority: 'normal' } }], at(iso));
    expect(later('2026-05-20T09:00').cases.has('k1')).toBe(true);
    // Closed on 24 February: kept through 27 May, gone from the first event of the 28th.
    expect(later('2026-05-27T09:00').cases.has('k1')).toBe(true);
    expect(later('2026-05-28T09:00').cases.has('k1')).toBe(false);
  });
});

describe('“办不成事” cases (R14)', () => {
  const open = (complexity: 'simple' | 'complex', remit: 'inside' | 'outside', when: number) =>
    attempt(
      fresh(hall()),
      {
        type: 'case:open',
        kind: 'cannot-do',
        description: '二手房过户被要求提供已注销企业的证明，几个窗口都说不归自己管',
        serviceIds: ['bdc', 'tax'],
        departments: ['市不动产登记中心', '区税务局'],
        complexity,
        remit,
        applicant: { name: '陈立', phone: '13600002222' },
      },
      staff('s1'),
      when,
      'k1',
    );

  it('closes a simple problem the same day and a complex one within 5 working days', () => {
    const simple = applied(open('simple', 'outside', FRIDAY)).state.cases.get('k1')!;
    expect(simple.deadlines.map((d) => [d.name, local(d.due)])).toEqual([['close', '2026-02-13T23:59']]);
    const complex = applied(open('complex', 'outside', FRIDAY)).state.cases.get('k1')!;
    expect(complex.deadlines.map((d) => [d.name, local(d.due)])).toEqual([['close', '2026-02-27T23:59']]);
    // R14: the clerk who recorded it leads it.
    expect(complex).toMatchObject({
      openedBy: 's1',
      assignedTo: 's1',
      departments: ['市不动产登记中心', '区税务局'],
      named: true,
    });
  });

  it('hands an inside-remit problem to a department the same day, and closes it only after that', () => {
    const s = applied(open('complex', 'inside', at('2026-02-12T10:00'))).state;
    expect(s.cases.get('k1')!.deadlines.map((d) => [d.name, local(d.due)])).toEqual([
      ['hand-over', '2026-02-12T23:59'],
      ['close', '2026-02-26T23:59'],
    ]);
    const close: Command = { type: 'case:close', caseId: 'k1', note: '已答复' };
    expect(errorOf(attempt(s, close, manager, at('2026-02-12T11:00')))).toBe('case-step-not-allowed');
    const handed = run(
      s,
      [
        {
          command: {
            type: 'case:record',
            caseId: 'k1',
            step: 'handed-over',
            note: '已告知申请人由登记中心张科长负责',
            department: '市不动产登记中心',
          },
        },
      ],
      at('2026-02-12T11:00'),
    );
    expect(handed.cases.get('k1')).toMatchObject({ handledBy: '市不动产登记中心' });
    expect(handed.cases.get('k1')!.deadlines[0]!.metAt).toBe(at('2026-02-12T11:00'));
    const closed = run(handed, [{ command: close }], at('2026-02-25T15:00'));
    expect(caseFigures(closed.cases.values())).toMatchObject({
      cannotDo: 1,
      closedInTime: 1,
      cannotDoRate: 1,
    });
  });

  it('tells an outside-remit applicant where to go instead of handing over', () => {
    const s = applied(open('simple', 'outside', FRIDAY)).state;
    const hand: Command = {
      type: 'case:record',
      caseId: 'k1',
      step: 'handed-over',
      note: '转交',
      department: '省厅',
    };
    expect(errorOf(attempt(s, hand, manager, FRIDAY + MINUTE))).toBe('case-step-not-allowed');
    const answered = run(
      s,
      [
        {
          command: {
            type: 'case:record',
            caseId: 'k1',
            step: 'answered',
            note: '属省级事权，已告知到省政务大厅3楼办理',
          },
        },
        { command: { type: 'case:close', caseId: 'k1', note: '已答复' } },
      ],
      FRIDAY + 2 * MINUTE,
    );
    expect(answered.cases.get('k1')!.closedAt).not.toBeNull();
  });

  it('alerts under R14 when the day ends with a simple problem unanswered', () => {
    const s = applied(open('simple', 'outside', at('2026-02-12T10:00'))).state;
    const timer = dueTimers(s).find((t) => t.key === 'case-missed:k1:close')!;
    expect(local(timer.at)).toBe('2026-02-12T23:59');
    expect(dueTimers(s).find((t) => t.key === 'case-remind:k1:close')).toMatchObject({
      at: at('2026-02-12T15:00'),
    });
    const r = applied(attempt(s, timer.command, system, timer.at, 'a1'));
    expect(r.state.alerts.get('a1')).toMatchObject({ kind: 'case-overdue', rule: 'R14' });
  });

  it('refuses a problem without its size and remit, or naming what the hall does not have', () => {
    const bare = CommandPayloads['case:open'].parse({ kind: 'cannot-do', description: '办不成' });
    expect(errorOf(attempt(fresh(hall()), { type: 'case:open', ...bare }, staff('s1'), FRIDAY))).toBe(
      'invalid-payload',
    );
    const unknown = attempt(
      fresh(hall()),
      { type: 'case:open', kind: 'complaint', description: '投诉', serviceIds: ['nope'], departments: [] },
      staff('s1'),
      FRIDAY,
    );
    expect(errorOf(unknown)).toBe('unknown-service');
    expect(
      errorOf(
        attempt(
          fresh(hall()),
          { type: 'case:open', kind: 'complaint', description: '投诉', serviceIds: [], departments: [] },
          publicActor,
          FRIDAY,
        ),
      ),
    ).toBe('not-allowed');
  });
});

describe('what the screens offer (one home for the rules)', () => {
  it('offers the steps that fit a case now, from the same rule the hall checks', () => {
    const named = badReview().cases.get('k1')!;
    expect(stepsLeft(named)).toEqual(['investigated', 'rectified', 'called-back']);
    // Nobody to call: no call back offered; outside the remit: no hand-over.
    expect(stepsLeft(badReview(false).cases.get('k1')!)).toEqual(['investigated', 'rectified']);
    expect(departmentList('市人社局、区市场监管局, 税务局；\n')).toEqual([
      '市人社局',
      '区市场监管局',
      '税务局',
    ]);
    expect(callBackContact(' ', '')).toBeNull();
    expect(callBackContact(' 陈立 ', '13600002222')).toEqual({ name: '陈立', phone: '13600002222' });
  });
});
