import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Actor, Command, VersionedEvent } from '@yichuang/protocol';
import {
  can,
  CaseStep,
  ServiceCatalogue,
  dueAt,
  eligible,
  ErrorCode,
  EVENT_TYPES,
  factsOfSnapshot,
  queuesOf,
  addDays,
  periodsOfDate,
  refusal,
  SYSTEM_COMMANDS,
  ticketWait,
} from '@yichuang/protocol';
import {
  applyEvents,
  decide,
  dueTimers,
  initialState,
  staffSnapshot,
  factsOf,
  MAX_HEAD_START_MS,
  orderKey,
  OVERDUE,
  transition,
  type HallState,
} from '@yichuang/server';
import { evaluatorC3, gateway, manager, MINUTE, smallHall, staff, system, T0 } from '../support/factories.js';

// Open around the clock, so devices lost at any step of a run raise their alert.
const allDay = [{ open: '00:00', close: '23:59' }];
const open = smallHall({
  openingHours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
});
/** #13: two services in the catalogue, so counters give notices (one of them only by s3 and m1). */
const catalogueOf = (authorisedStaff: string[]) =>
  ServiceCatalogue.parse({
    matterType: 'other',
    department: '部门',
    materials: [
      { id: 'a', name: '申请书', form: 'original' },
      { id: 'b', name: '身份证', form: 'copy' },
      { id: 'owe', name: '证明', form: 'copy', deficiencyAllowed: true },
    ],
    legalDays: 10,
    promisedDays: 3,
    authorisedStaff,
  });
const config = {
  ...open,
  services: open.services.map((s) =>
    s.id === 'bdc'
      ? { ...s, catalogue: catalogueOf(['s3', 'm1']) }
      : s.id === 'tax'
        ? { ...s, catalogue: catalogueOf([]) }
        : s,
  ),
};
const counters = ['c1', 'c2', 'c3', 'c4', 'c-unknown'];
const services = ['tax', 'si', 'bdc', 'nope'];
const staffIds = ['s1', 's2', 's3', 'm1'];

/** A ticket reference resolved against the tickets that exist when the step runs. */
const ticketPick = fc.nat(50);

type Step = { make: (s: HallState) => Command; actor: Actor; dt: number };

const counterId = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...counters.slice(0, 4)) },
  { weight: 1, arbitrary: fc.constant('c-unknown') },
);
const command: fc.Arbitrary<(s: HallState) => Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({
        sid: fc.constantFrom(...services),
        p: fc.constantFrom('normal', 'special-care', 'appointment'),
        // Some appointments come with their booked time, up to an hour either side of now.
        slot: fc.option(fc.integer({ min: -60 * MINUTE, max: 60 * MINUTE }), { nil: undefined }),
        // #12: some applicants give details; two people's ID hashes, so that some hold a ticket already.
        who: fc.oneof(
          { weight: 4, arbitrary: fc.constant(undefined) },
          {
            weight: 1,
            arbitrary: fc.record({
              name: fc.constantFrom('王小明', '欧阳娜娜'),
              idHash: fc.constantFrom('a'.repeat(64), 'b'.repeat(64)),
            }),
          },
        ),
      })
      .map(({ sid, p, slot, who }) => (s: HallState): Command => ({
        type: 'ticket:issue',
        serviceId: sid,
        priority: p,
        channel: 'kiosk',
        ...(who ? { applicant: who } : {}),
        // Sometimes on a ticket that is not an appointment, to be refused.
        ...(slot === undefined || (p !== 'appointment' && slot % 7 !== 0)
          ? {}
          : { appointmentAt: lastAt(s) + slot }),
      })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        c: counterId,
        st: fc.option(fc.constantFrom(...staffIds), { nil: undefined }),
        // R17: mostly the panel's full check, sometimes none (REST) or one with an item failing.
        check: fc.option(fc.record({ pc: fc.boolean(), caller: fc.constant(true) }), { nil: undefined }),
      })
      .map(({ c, st, check }) => (): Command => ({
        type: 'counter:open',
        counterId: c,
        ...(st ? { staffId: st } : {}),
        ...(check ? { check: { ...check, pad: true, forms: true, note: '' } } : {}),
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        c: counterId,
        kind: fc.constantFrom('quarrel', 'illness', 'power-cut') as fc.Arbitrary<'quarrel'>,
      })
      .map(({ c, kind }) => (): Command => ({
        type: 'counter:report-incident',
        counterId: c,
        kind,
        note: '',
      })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({
        i: fc.nat(10),
        what: fc.constantFrom('acknowledge', 'assign', 'resolve', 'escalate'),
        st: fc.constantFrom(...staffIds, 'nobody'),
      })
      .map(({ i, what, st }) => (s: HallState): Command => {
        const alerts = [...s.alerts.values()];
        // Mostly an open alert, the one a manager would act on; a cover for a counter left alone.
        const open = alerts.filter((a) => a.resolvedAt === null);
        const covers = open.filter((a) => a.kind === 'absence' || a.kind === 'empty-post');
        const pool = i % 4 === 0 ? alerts : what === 'assign' && covers.length > 0 ? covers : open;
        const a = pool[i % Math.max(1, pool.length)];
        const alertId = a?.id ?? 'no-alert';
        if (what === 'acknowledge') return { type: 'alert:acknowledge', alertId };
        // A manager sends someone free (not at a counter) to cover, mostly; sometimes whoever (refused).
        const free = staffIds.filter((id) => ![...s.counters.values()].some((c) => c.staffId === id));
        const cover = i % 3 !== 0 && free.length > 0 ? free[i % free.length]! : st;
        if (what === 'assign') return { type: 'alert:assign', alertId, staffId: cover };
        if (what === 'resolve') return { type: 'alert:resolve', alertId, note: '已处理' };
        return { type: 'alert:check-escalation', alertId, escalations: a?.escalations ?? 0 };
      }),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        kind: fc.constantFrom('fire', 'illness', 'power-cut') as fc.Arbitrary<'fire'>,
        // Cleared as often as declared: an emergency in force stops most of the hall's work.
        what: fc.constantFrom('declare', 'clear', 'shown', 'shown'),
        screen: fc.constantFrom('scr-1', 'scr-2', 'panel-c1'),
      })
      .map(({ kind, what, screen }) => (s: HallState): Command => {
        const emergencyId = s.emergency?.id ?? 'none';
        if (what === 'declare') return { type: 'hall:declare-emergency', kind, text: '' };
        if (what === 'clear') return { type: 'hall:all-clear', emergencyId };
        return { type: 'hall:emergency-shown', emergencyId, screen, kind: 'wall' };
      }),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ i: ticketPick, n: fc.integer({ min: 1, max: 3 }), redeem: fc.boolean() })
      .map(({ i, n, redeem }) => (s: HallState): Command => {
        // Carry a few tickets over, or come back with a code given earlier (valid or not yet).
        const codes = [...s.carryOvers.values()];
        const c = codes[i % Math.max(1, codes.length)];
        if (redeem && c)
          return {
            type: 'ticket:issue',
            serviceId: c.serviceId,
            priority: 'normal',
            channel: 'kiosk',
            carryOver: c.code,
          };
        return {
          type: 'ticket:carry-over',
          ticketIds: Array.from({ length: n }, (_, k) => pickTicket(s, i + k)),
        };
      }),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        st: fc.constantFrom(...staffIds, 'nobody'),
        days: fc.integer({ min: -1, max: 3 }),
        cancel: fc.boolean(),
      })
      .map(({ st, days, cancel }) => (s: HallState): Command => {
        const mine = [...s.leave.values()][0];
        if (cancel && mine) return { type: 'staff:cancel-leave', leaveId: mine.id };
        const from = s.day || '2026-11-27';
        const to = days < 0 ? '2026-01-01' : addDays(from, days);
        return { type: 'staff:record-leave', staffId: st, from, to, kind: 'annual', note: '' };
      }),
  },
  {
    weight: 2,
    // R8: accounts and devices switched off and on, roles changed, sessions ended.
    arbitrary: fc
      .record({
        st: fc.constantFrom(...staffIds, 'nobody'),
        // Switching back on twice as often as off, so the hall does not run short of staff and devices.
        op: fc.integer({ min: 0, max: 8 }),
        roles: fc.subarray(['staff', 'manager', 'city-manager', 'admin'] as const, { minLength: 1 }),
        device: fc.constantFrom('pad-c3', 'gw', 'nothing'),
      })
      .map(({ st, op, roles, device }) => (s: HallState): Command => {
        // Switching back on is tried on what is switched off, when something is.
        const off = [...s.accounts.values()].find((a) => !a.active)?.staffId;
        const blocked = [...s.deviceBlocks.keys()][0];
        switch (op) {
          case 0:
            // Not the manager most steps act as: a hall whose manager left would reach few events.
            return { type: 'staff:deactivate', staffId: st === 'm1' ? 's3' : st, note: '离职' };
          case 1:
          case 2:
            return { type: 'staff:reactivate', staffId: off ?? st };
          case 3:
            return { type: 'staff:change-roles', staffId: st, roles: [...roles] };
          case 4:
            return { type: 'staff:end-sessions', staffId: st };
          case 5:
            return { type: 'session:sign-out', everywhere: roles.length > 2 };
          case 6:
            return { type: 'device:deactivate', deviceId: device, note: '' };
          default:
            return { type: 'device:reactivate', deviceId: blocked ?? device };
        }
      }),
  },
  {
    weight: 1,
    // R26: a closing mark of the hall's day (it closes at 23:59 here), or a made-up instant.
    arbitrary: fc
      .record({ mark: fc.constantFrom(60, 30, 5), made: fc.boolean() })
      .map(({ mark, made }) => (s: HallState): Command => {
        const closesAt = s.day
          ? periodsOfDate(s.config.openingHours, s.config.timeZone, s.day)[0]?.closesAt
          : undefined;
        return {
          type: 'hall:check-closing',
          closesAt: made || !closesAt ? lastAt(s) + mark * MINUTE : closesAt,
          mark,
        };
      }),
  },
  {
    weight: 1,
    arbitrary: counterId.map((c) => (s: HallState): Command => ({
      type: 'counter:check-empty-post',
      counterId: c,
      since: s.counters.get(c)?.since ?? 0,
    })),
  },
  {
    weight: 5,
    arbitrary: counterId.map((c) => (): Command => ({ type: 'counter:call-next', counterId: c })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ c: counterId, i: ticketPick }).map(({ c, i }) => (s: HallState): Command => ({
      type: 'counter:call',
      counterId: c,
      ticketId: pickTicket(s, i),
    })),
  },
  {
    weight: 1,
    arbitrary: counterId.map((c) => (s: HallState): Command => ({
      type: 'counter:recall',
      counterId: busy(s, c),
    })),
  },
  {
    weight: 2,
    arbitrary: counterId.map((c) => (s: HallState): Command => ({
      type: 'counter:start',
      counterId: busy(s, c),
    })),
  },
  {
    weight: 3,
    arbitrary: counterId.map((c) => (s: HallState): Command => ({
      type: 'counter:complete',
      counterId: busy(s, c),
      outcome: 'accepted',
    })),
  },
  {
    weight: 1,
    arbitrary: counterId.map((c) => (s: HallState): Command => ({
      type: 'counter:no-show',
      counterId: busy(s, c),
    })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({
        c: counterId,
        to: fc.oneof(
          fc.constantFrom(...services).map((serviceId) => ({ serviceId })),
          counterId.map((cid) => ({ counterId: cid })),
        ),
      })
      .map(({ c, to }) => (): Command => ({ type: 'counter:transfer', counterId: c, to, note: '' })),
  },
  {
    weight: 1,
    arbitrary: counterId.map((c) => (): Command => ({ type: 'counter:requeue', counterId: c })),
  },
  {
    weight: 2,
    arbitrary: counterId.map((c) => (): Command => ({
      type: 'counter:pause',
      counterId: c,
      reason: 'break',
      note: '',
    })),
  },
  { weight: 2, arbitrary: counterId.map((c) => (): Command => ({ type: 'counter:resume', counterId: c })) },
  { weight: 1, arbitrary: counterId.map((c) => (): Command => ({ type: 'counter:close', counterId: c })) },
  {
    weight: 1,
    arbitrary: ticketPick.map((i) => (s: HallState): Command => ({
      type: 'ticket:reveal-applicant',
      ticketId: pickTicket(s, i),
      reason: '核对身份',
    })),
  },
  {
    weight: 1,
    arbitrary: ticketPick.map((i) => (s: HallState): Command => ({
      type: 'ticket:cancel',
      ticketId: pickTicket(s, i),
    })),
  },
  {
    weight: 1,
    // As the scheduler would: a ticket whose rating window is open, mostly; sometimes any (refused).
    arbitrary: ticketPick.map((i) => (s: HallState): Command => {
      const open = [...s.ratingsOpen.keys()];
      const ticketId = i % 4 !== 0 && open.length > 0 ? open[i % open.length]! : pickTicket(s, i);
      return { type: 'ticket:close-rating', ticketId };
    }),
  },
  {
    weight: 1,
    arbitrary: counterId.map((c) => (s: HallState): Command => ({
      type: 'counter:check-absence',
      counterId: c,
      pausedAt: s.counters.get(c)?.since ?? 0,
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ c: counterId, ids: fc.subarray(services) })
      .map(({ c, ids }) => (): Command => ({ type: 'counter:set-services', counterId: c, serviceIds: ids })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        i: ticketPick,
        to: fc.oneof(
          fc.constantFrom(...services).map((serviceId) => ({ serviceId })),
          counterId.map((cid) => ({ counterId: cid })),
        ),
      })
      .map(({ i, to }) => (s: HallState): Command => ({
        type: 'ticket:move',
        ticketId: pickTicket(s, i),
        to,
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ sid: fc.constantFrom(...services), open: fc.boolean() })
      .map(({ sid, open }) => (): Command => ({ type: 'service:set-issuing', serviceId: sid, open })),
  },
  { weight: 1, arbitrary: fc.constant((): Command => ({ type: 'hall:post-notice', text: '通知' })) },
  {
    weight: 1,
    arbitrary: fc
      .record({
        policy: fc.constantFrom('fifo', 'balanced') as fc.Arbitrary<'fifo'>,
        run: fc.integer({ min: 1, max: 3 }),
      })
      .map(({ policy, run }) => (): Command => ({ type: 'hall:set-routing', policy, specialCareRun: run })),
  },
  {
    weight: 1,
    arbitrary: fc.nat(3).map((i) => (s: HallState): Command => ({
      type: 'hall:remove-notice',
      noticeId: s.notices[i]?.id ?? 'none',
    })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ i: ticketPick, level: fc.integer({ min: 1, max: 5 }) })
      .map(({ i, level }) => (s: HallState): Command => ({
        type: 'ticket:rate',
        // Mostly a completed ticket, the one a pad would be asked about.
        ticketId: i % 5 === 0 ? pickTicket(s, i) : pickCompleted(s, i),
        level,
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ ids: fc.subarray(services, { minLength: 1 }), size: fc.integer({ min: 1, max: 30 }) })
      .map(({ ids, size }) => (): Command => ({ type: 'numbers:reserve', serviceIds: ids, size })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        b: fc.nat(6),
        k: fc.nat(31),
        back: fc.nat(30 * MINUTE),
        p: fc.constantFrom('normal', 'special-care') as fc.Arbitrary<'normal'>,
      })
      .map(({ b, k, back, p }) => (s: HallState): Command => {
        const block = s.numberBlocks[b];
        return {
          type: 'ticket:issue-offline',
          serviceId: block?.serviceId ?? 'tax',
          priority: p,
          seq: block ? Math.min(block.from + k, 999) : 999,
          issuedAt: Math.max(0, lastAt(s) - back),
        };
      }),
  },
  {
    weight: 3,
    // Mostly for a ticket at a counter, as its clerk would.
    arbitrary: fc
      .record({
        i: ticketPick,
        kind: fc.constantFrom<'acceptance' | 'non-acceptance' | 'one-time'>(
          'acceptance',
          'non-acceptance',
          'one-time',
        ),
        ids: fc.subarray(['a', 'b', 'owe', 'zz']),
        why: fc.constantFrom('', '不符合法定形式'),
      })
      .map(({ i, kind, ids, why }) => (s: HallState): Command => {
        const at = [...s.counters.values()].flatMap((c) => (c.ticketId ? [c.ticketId] : []));
        const ticketId = i % 4 !== 0 && at.length > 0 ? at[i % at.length]! : pickTicket(s, i);
        return { type: 'ticket:issue-notice', ticketId, kind, materialIds: ids, reason: why };
      }),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ sid: fc.constantFrom(...services), days: fc.integer({ min: 0, max: 12 }) })
      .map(({ sid, days }) => (): Command => ({
        type: 'service:set-catalogue',
        serviceId: sid,
        catalogue: { ...catalogueOf([]), promisedDays: days },
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        kind: fc.constantFrom<'complaint' | 'cannot-do'>('complaint', 'cannot-do'),
        complexity: fc.constantFrom<'simple' | 'complex'>('simple', 'complex'),
        remit: fc.constantFrom<'inside' | 'outside'>('inside', 'outside'),
        named: fc.boolean(),
        i: ticketPick,
      })
      .map(({ kind, complexity, remit, named, i }) => (s: HallState): Command => ({
        type: 'case:open',
        kind,
        description: '反映问题',
        serviceIds: [],
        departments: [],
        ...(i % 2 === 0 ? { ticketId: pickTicket(s, i) } : {}),
        ...(kind === 'cannot-do' ? { complexity, remit } : {}),
        ...(named ? { applicant: { phone: '13900001111' } } : {}),
      })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ i: fc.nat(5), who: fc.constantFrom('s1', 's2', 's3', 'nobody') })
      .map(({ i, who }) => (s: HallState): Command => ({
        type: 'case:assign',
        caseId: pickCase(s, i),
        staffId: who,
      })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({ i: fc.nat(5), step: fc.constantFrom(...CaseStep.options) })
      .map(({ i, step }) => (s: HallState): Command => ({
        type: 'case:record',
        caseId: pickCase(s, i),
        step,
        note: '处理情况',
        ...(step === 'handed-over' ? { department: '市不动产登记中心' } : {}),
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .nat(5)
      .map((i) => (s: HallState): Command => ({ type: 'case:close', caseId: pickCase(s, i), note: '办结' })),
  },
  {
    weight: 1,
    arbitrary: fc.nat(5).map((i) => (s: HallState): Command => ({
      type: 'case:reveal-applicant',
      caseId: pickCase(s, i),
      reason: '回访',
    })),
  },
  {
    weight: 2,
    // As the scheduler would: the earliest timer of an open case, mostly; sometimes any (nothing to do).
    arbitrary: fc.nat(5).map((i) => (s: HallState): Command => {
      const due = dueTimers(s).filter((t) => t.command.type === 'case:check-deadline');
      const earliest = due.sort((a, b) => a.at - b.at)[0];
      return i % 4 !== 0 && earliest
        ? earliest.command
        : { type: 'case:check-deadline', caseId: pickCase(s, i), deadline: 'close', phase: 'missed' };
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ d: fc.constantFrom('gw', 'eval-c3', 'kiosk', 'nope'), online: fc.boolean() })
      .map(({ d, online }) => (): Command => ({ type: 'device:report', deviceId: d, online, faults: [] })),
  },
);

/** About when the hall's latest ticket was issued (offline tickets were printed a while before). */
const lastAt = (s: HallState) => Math.max(T0, ...[...s.tickets.values()].map((t) => t.issuedAt));

function pickCompleted(s: HallState, i: number): string {
  const done = [...s.tickets.values()].filter((t) => t.status === 'completed');
  return done.length === 0 ? 'none' : done[i % done.length]!.id;
}

/**
 * Mostly a counter with a ticket at it (as the clerk at work there would act), drawn from `c`; the
 * unknown counter and one draw in three stay as drawn, to be refused.
 */
function busy(s: HallState, c: string): string {
  const at = [...s.counters.values()].filter((x) => x.ticketId !== null).map((x) => x.id);
  const n = counters.indexOf(c);
  return c === 'c-unknown' || at.length === 0 || n % 3 === 2 ? c : at[n % at.length]!;
}

function pickCase(s: HallState, i: number): string {
  const ids = [...s.cases.keys()];
  return ids.length === 0 || i >= ids.length ? `missing-case-${i}` : ids[i]!;
}

function pickTicket(s: HallState, i: number): string {
  const ids = [...s.tickets.keys()];
  return ids.length === 0 || i >= ids.length ? `missing-${i}` : ids[i]!;
}

const actor: fc.Arbitrary<Actor> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(manager) },
  { weight: 3, arbitrary: fc.constantFrom('s1', 's2', 's3').map((id) => staff(id)) },
  { weight: 1, arbitrary: fc.constant<Actor>({ kind: 'public' }) },
  { weight: 1, arbitrary: fc.constant<Actor>({ kind: 'system' }) },
  { weight: 1, arbitrary: fc.constant<Actor>({ kind: 'device', deviceId: 'pad-c3' }) },
  { weight: 2, arbitrary: fc.constant(gateway) },
  { weight: 1, arbitrary: fc.constant(evaluatorC3) },
  { weight: 1, arbitrary: fc.constant(staff('ad', ['admin'])) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('s1', 's2')
      .map((id): Actor => ({ kind: 'staff', staffId: id, roles: ['staff'], sessionId: `session-${id}` })),
  },
);

// Mostly seconds to minutes apart, sometimes hours, so runs cross midnight in Shanghai.
const dt = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 5 * MINUTE }) },
  { weight: 1, arbitrary: fc.integer({ min: MINUTE, max: 10 * 60 * MINUTE }) },
);
const steps = fc.array(fc.record({ make: command, actor, dt }), {
  minLength: 1,
  maxLength: 150,
  size: 'max',
}) as fc.Arbitrary<Step[]>;

/** Checks that every ticket is in exactly one place and no ticket is at two counters. */
function checkPlaces(s: HallState) {
  const atCounter = new Map<string, string>();
  for (const c of [...s.counters.values()]) {
    if (c.ticketId === null) {
      expect(['closed', 'open', 'paused']).toContain(c.state);
      continue;
    }
    expect(['calling', 'serving']).toContain(c.state);
    expect(atCounter.has(c.ticketId), `ticket ${c.ticketId} at two counters`).toBe(false);
    atCounter.set(c.ticketId, c.id);
  }
  for (const t of [...s.tickets.values()]) {
    if (t.status === 'called' || t.status === 'serving') {
      expect(atCounter.get(t.id), `ticket ${t.number} is ${t.status} but no counter holds it`).toBe(
        t.counterId,
      );
    } else {
      expect(atCounter.has(t.id)).toBe(false);
      if (t.status === 'waiting') expect(t.counterId).toBeNull();
    }
  }
  const signedIn = [...s.counters.values()].flatMap((c) => (c.staffId ? [c.staffId] : []));
  expect(new Set(signedIn).size).toBe(signedIn.length);
}

function runSteps(
  list: Step[],
  onStep: (before: HallState, after: HallState, events: VersionedEvent[], cmd: Command, now: number) => void,
) {
  let s = initialState(config);
  let now = T0;
  const all: VersionedEvent[] = [];
  list.forEach((step, i) => {
    now += step.dt;
    const cmd = step.make(s);
    const before = structuredClone(s);
    // Timer commands come mostly from the scheduler, as in the hub; sometimes from a client, to be refused.
    const actor = SYSTEM_COMMANDS.has(cmd.type) && step.dt % 4 !== 0 ? system : step.actor;
    const r = transition(s, { command: cmd, actor, id: `t${i}` }, now);
    expect(s).toEqual(before); // the engine never mutates its input
    if (r.ok) {
      onStep(s, r.state, r.events, cmd, now);
      all.push(...r.events);
      s = r.state;
    } else {
      expect(ErrorCode.options).toContain(r.error.code);
      expect(r.error.message.length).toBeGreaterThan(0);
    }
  });
  return { state: s, events: all };
}

describe('engine properties over random command sequences', () => {
  it('never throws, keeps every ticket in exactly one place, and never calls a ticket to two counters', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(
        steps,
        (list) =>
          void runSteps(list, (_b, after, events) => {
            checkPlaces(after);
            // The waiting index is exactly the waiting tickets, in calling order.
            expect(after.queues).toEqual(queuesOf(after.tickets.values()));
            for (const e of events) seen.set(e.type, (seen.get(e.type) ?? 0) + 1);
          }),
      ),
      // A fixed seed: this run must reach every kind of event (checked below), which a random one
      // does only most of the time; the other properties here draw fresh sequences on every run.
      { numRuns: 1000, seed: 1 },
    );
    // The generator must reach every kind of event, or the checks above prove little.
    // (`counter:absence-exceeded` is only in logs from before alerts: an absence is an `alert:raised` now.)
    const missing = EVENT_TYPES.filter((t) => t !== 'counter:absence-exceeded' && !seen.has(t));
    expect(missing).toEqual([]);
  }, 180_000);

  it('numbers rise by one per service per local day, and no number is issued twice, offline or not', () => {
    fc.assert(
      fc.property(steps, (list) => {
        const last = new Map<string, number>();
        const issued = new Set<string>();
        runSteps(list, (_b, _a, events) => {
          for (const e of events) {
            if (e.type !== 'ticket:issued') continue;
            expect(issued.has(`${e.day}/${e.number}`), `${e.number} issued twice on ${e.day}`).toBe(false);
            issued.add(`${e.day}/${e.number}`);
            // Offline numbers come from blocks reserved above the day's sequence.
            if (e.offline) continue;
            const key = `${e.serviceId}/${e.day}`;
            expect(e.seq).toBe((last.get(key) ?? 0) + 1);
            expect(e.number.slice(1)).toBe(String(e.seq).padStart(3, '0'));
            last.set(key, e.seq);
          }
        });
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  it('replaying the events rebuilds the same state, with versions gapless', () => {
    fc.assert(
      fc.property(steps, (list) => {
        const { state, events } = runSteps(list, () => {});
        events.forEach((e, i) => expect(e.version).toBe(i + 1));
        const replayed = applyEvents(
          initialState(config),
          JSON.parse(JSON.stringify(events)) as VersionedEvent[],
        );
        expect(replayed).toEqual(state);
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  it('call-next only takes a ticket the counter may serve, and no class starves under either policy', () => {
    const policies = new Set<string>();
    fc.assert(
      fc.property(steps, (list) => {
        runSteps(list, (before, _after, events, cmd) => {
          // An explicit `counter:call` of one ticket is the clerk's choice; only call-next follows the policy.
          if (cmd.type !== 'counter:call-next') return;
          for (const e of events) {
            if (e.type !== 'ticket:called') continue;
            policies.add(before.routing.policy);
            const chosen = before.tickets.get(e.ticketId)!;
            expect(eligible(factsOf(before), e.counterId, chosen)).toBe(true);
            for (const t of [...before.tickets.values()]) {
              if (t.id === chosen.id || !eligible(factsOf(before), e.counterId, t)) continue;
              if (before.routing.policy === 'fifo') {
                expect(orderKey(t)).toBeGreaterThanOrEqual(orderKey(chosen));
                // Hence nobody due longer than the largest head start ago is overtaken.
                expect(dueAt(t) + MAX_HEAD_START_MS).toBeGreaterThanOrEqual(dueAt(chosen));
              } else {
                // Balanced: nobody is overtaken by a ticket queued more than twice their target
                // (plus the largest head start) after them, whatever arrives.
                const target = config.services.find((x) => x.id === t.serviceId)!.targetWaitMinutes;
                expect(dueAt(t) + OVERDUE * target * MINUTE + MAX_HEAD_START_MS).toBeGreaterThanOrEqual(
                  dueAt(chosen),
                );
              }
            }
          }
        });
      }),
      // A fixed seed: the check below wants both policies exercised, which a random run reaches only
      // most of the time (one CI run saw only fifo).
      { numRuns: 300, seed: 1 },
    );
    expect([...policies].sort()).toEqual(['balanced', 'fifo']);
  }, 120_000);

  it('every waiting ticket has an expected wait that is never negative and lies in its band', () => {
    let predicted = 0;
    fc.assert(
      fc.property(steps, (list) => {
        runSteps(list, (_b, after) => {
          const facts = factsOf(after);
          for (const t of after.queues.byService.values())
            for (const ticket of t) {
              const w = ticketWait(facts, ticket);
              if (w === null) continue;
              predicted++;
              expect(w.low).toBeGreaterThanOrEqual(0);
              expect(w.low).toBeLessThanOrEqual(w.minutes);
              expect(w.minutes).toBeLessThanOrEqual(w.high);
            }
        });
      }),
      // A fixed seed: the check below wants enough waiting tickets to have been predicted, which a
      // random run reaches only most of the time (one CI run stopped at 230).
      { numRuns: 160, seed: 1 },
    );
    expect(predicted).toBeGreaterThan(300);
  }, 120_000);

  // What only the hub knows: numbers left today, and what depends on the clock (opening hours, the
  // day a carry-over code is good on); the screens leave those to the hub's answer.
  // #12: and who holds a ticket already (staff never hold applicants' ID hashes).
  // And whether a gateway still holds enough of today's numbers.
  const HUB_ONLY = new Set([
    'numbers-exhausted',
    'numbers-held',
    'hall-closed',
    'carry-over-not-valid',
    'already-holding',
  ]);
  it("a staff screen's view answers `can` exactly as the engine decides (one home for the hall rules)", () => {
    let compared = 0;
    let accepted = 0;
    fc.assert(
      fc.property(steps, (list) => {
        let s = initialState(config);
        let now = T0;
        list.forEach((step, i) => {
          now += step.dt;
          const cmd = step.make(s);
          const env = { command: cmd, actor: step.actor, id: `t${i}` };
          const decided = decide(s, env, now);
          // The panel holds a staff snapshot, not the engine's state.
          const panel = factsOfSnapshot(staffSnapshot(s));
          if (decided.ok) {
            expect(refusal(panel, step.actor, cmd)).toBeNull();
            accepted++;
          } else if (!HUB_ONLY.has(decided.error.code)) {
            expect(refusal(panel, step.actor, cmd)).toEqual(decided.error);
            expect(can(panel, step.actor, cmd)).toBe(false);
          }
          compared++;
          const r = transition(s, env, now);
          if (r.ok) s = r.state;
        });
      }),
      { numRuns: 200 },
    );
    // Enough of the steps are accepted for the comparison to mean something (about one in eight).
    expect(accepted).toBeGreaterThan(compared / 20);
  });
});
