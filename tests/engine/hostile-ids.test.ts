import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Actor, CommandType } from '@yichuang/protocol';
import { COMMAND_TYPES, Id, parseCommand } from '@yichuang/protocol';
import { decide, fromSnapshot, toSnapshot } from '@yichuang/server';
import {
  busyHall,
  evaluatorC3,
  fresh,
  gateway,
  manager,
  MINUTE,
  run,
  smallHall,
  staff,
  system,
  T0,
} from '../support/factories.js';

/**
 * Ids that name a built-in of every plain object (`constructor`, `__proto__`, `toString`…) and
 * other strings a record keyed by id must not mistake for a record. Only those the protocol's
 * Id schema lets through can reach the engine; the others are refused at the door.
 */
const HOSTILE = [
  ...Object.getOwnPropertyNames(Object.prototype),
  ...Object.getOwnPropertyNames(Function.prototype),
  ...Object.getOwnPropertyNames(Array.prototype),
  'prototype',
  'size',
  'then',
  'NaN',
  'undefined',
  'null',
  '0',
  '-1',
  'C1',
  'c1 ',
  'c1\u0000',
  '../c1',
  '%2e%2e',
  'x'.repeat(65),
  '',
];
const THROUGH_THE_SCHEMA = HOSTILE.filter((s) => Id.safeParse(s).success);

type Template = { type: CommandType; payload: (id: string) => Record<string, unknown>; actor: Actor };

/** Every command, once per id it carries, with that id made hostile and everything else valid. */
const TEMPLATES: Template[] = [
  { type: 'ticket:issue', payload: (x) => ({ serviceId: x }), actor: manager },
  { type: 'ticket:cancel', payload: (x) => ({ ticketId: x }), actor: { kind: 'public' } },
  { type: 'ticket:reveal-applicant', payload: (x) => ({ ticketId: x, reason: '核对身份' }), actor: manager },
  { type: 'counter:open', payload: (x) => ({ counterId: x }), actor: manager },
  { type: 'counter:open', payload: (x) => ({ counterId: 'c4', staffId: x }), actor: manager },
  ...(
    [
      'counter:call-next',
      'counter:recall',
      'counter:start',
      'counter:no-show',
      'counter:requeue',
      'counter:pause',
      'counter:resume',
      'counter:close',
    ] as const
  ).flatMap((type) => [
    { type, payload: (x: string) => ({ counterId: x }), actor: manager },
    { type, payload: (x: string) => ({ counterId: x }), actor: staff('s1') },
  ]),
  { type: 'counter:complete', payload: (x) => ({ counterId: x, outcome: 'accepted' }), actor: manager },
  { type: 'counter:complete', payload: (x) => ({ counterId: x, outcome: 'accepted' }), actor: staff('s1') },
  { type: 'counter:call', payload: (x) => ({ counterId: x, ticketId: 'w2' }), actor: manager },
  { type: 'counter:call', payload: (x) => ({ counterId: 'c2', ticketId: x }), actor: staff('s2') },
  { type: 'counter:transfer', payload: (x) => ({ counterId: x, to: { serviceId: 'tax' } }), actor: manager },
  {
    type: 'counter:transfer',
    payload: (x) => ({ counterId: 'c1', to: { counterId: x } }),
    actor: staff('s1'),
  },
  {
    type: 'counter:transfer',
    payload: (x) => ({ counterId: 'c1', to: { serviceId: x } }),
    actor: staff('s1'),
  },
  { type: 'counter:set-services', payload: (x) => ({ counterId: x, serviceIds: ['tax'] }), actor: manager },
  { type: 'counter:set-services', payload: (x) => ({ counterId: 'c2', serviceIds: [x] }), actor: manager },
  { type: 'ticket:move', payload: (x) => ({ ticketId: x, to: { serviceId: 'tax' } }), actor: manager },
  { type: 'ticket:move', payload: (x) => ({ ticketId: 'w2', to: { counterId: x } }), actor: manager },
  { type: 'ticket:move', payload: (x) => ({ ticketId: 'w2', to: { serviceId: x } }), actor: manager },
  { type: 'service:set-issuing', payload: (x) => ({ serviceId: x, open: false }), actor: manager },
  { type: 'hall:remove-notice', payload: (x) => ({ noticeId: x }), actor: manager },
  { type: 'counter:check-absence', payload: (x) => ({ counterId: x, pausedAt: T0 }), actor: system },
  { type: 'counter:check-empty-post', payload: (x) => ({ counterId: x, since: T0 }), actor: system },
  { type: 'counter:report-incident', payload: (x) => ({ counterId: x, kind: 'quarrel' }), actor: manager },
  {
    type: 'counter:report-incident',
    payload: (x) => ({ counterId: x, kind: 'quarrel' }),
    actor: staff('s1'),
  },
  { type: 'alert:acknowledge', payload: (x) => ({ alertId: x }), actor: manager },
  { type: 'hall:all-clear', payload: (x) => ({ emergencyId: x }), actor: manager },
  { type: 'ticket:carry-over', payload: (x) => ({ ticketIds: [x] }), actor: manager },
  {
    type: 'staff:record-leave',
    payload: (x) => ({ staffId: x, from: '2026-11-27', to: '2026-11-28', kind: 'sick' }),
    actor: manager,
  },
  { type: 'staff:cancel-leave', payload: (x) => ({ leaveId: x }), actor: manager },
  {
    type: 'hall:emergency-shown',
    payload: (x) => ({ emergencyId: x, screen: 'scr-1', kind: 'wall' }),
    actor: { kind: 'public' },
  },
  { type: 'alert:assign', payload: (x) => ({ alertId: x, staffId: 's3' }), actor: manager },
  { type: 'alert:assign', payload: (x) => ({ alertId: 'a1', staffId: x }), actor: manager },
  { type: 'alert:resolve', payload: (x) => ({ alertId: x }), actor: manager },
  { type: 'alert:check-escalation', payload: (x) => ({ alertId: x, escalations: 0 }), actor: system },
  { type: 'ticket:close-rating', payload: (x) => ({ ticketId: x }), actor: system },
  { type: 'ticket:rate', payload: (x) => ({ ticketId: x, level: 5 }), actor: evaluatorC3 },
  { type: 'numbers:reserve', payload: (x) => ({ serviceIds: [x], size: 5 }), actor: gateway },
  {
    type: 'ticket:issue-offline',
    payload: (x) => ({ serviceId: x, seq: 995, issuedAt: T0 }),
    actor: gateway,
  },
  { type: 'device:report', payload: (x) => ({ deviceId: x, online: false }), actor: gateway },
  { type: 'staff:deactivate', payload: (x) => ({ staffId: x }), actor: manager },
  { type: 'staff:reactivate', payload: (x) => ({ staffId: x }), actor: manager },
  {
    type: 'staff:change-roles',
    payload: (x) => ({ staffId: x, roles: ['staff'] }),
    actor: staff('m1', ['admin']),
  },
  { type: 'staff:end-sessions', payload: (x) => ({ staffId: x }), actor: manager },
  { type: 'device:deactivate', payload: (x) => ({ deviceId: x }), actor: manager },
  { type: 'device:reactivate', payload: (x) => ({ deviceId: x }), actor: manager },
  {
    type: 'service:set-catalogue',
    payload: (x) => ({
      serviceId: x,
      catalogue: { matterType: 'other', department: '部门', materials: [], legalDays: null, promisedDays: 0 },
    }),
    actor: staff('m1', ['admin']),
  },
  {
    type: 'ticket:issue-notice',
    payload: (x) => ({ ticketId: x, kind: 'one-time', materialIds: ['a'] }),
    actor: manager,
  },
  {
    type: 'case:open',
    payload: (x) => ({ kind: 'complaint', description: '投诉', serviceIds: [x], departments: [] }),
    actor: manager,
  },
  {
    type: 'case:open',
    payload: (x) => ({ kind: 'complaint', description: '投诉', ticketId: x }),
    actor: manager,
  },
  {
    type: 'case:open',
    payload: (x) => ({ kind: 'complaint', description: '投诉', staffId: x }),
    actor: manager,
  },
  { type: 'case:assign', payload: (x) => ({ caseId: x, staffId: 's1' }), actor: manager },
  {
    type: 'case:record',
    payload: (x) => ({ caseId: x, step: 'investigated', note: '核实' }),
    actor: manager,
  },
  { type: 'case:close', payload: (x) => ({ caseId: x, note: '办结' }), actor: manager },
  { type: 'case:reveal-applicant', payload: (x) => ({ caseId: x, reason: '回访' }), actor: manager },
  {
    type: 'case:check-deadline',
    payload: (x) => ({ caseId: x, deadline: 'close', phase: 'missed' }),
    actor: system,
  },
];

/** Actors whose own id is hostile: none of them is anybody in this hall. */
const HOSTILE_ACTORS = (x: string): Actor[] => [
  staff(x),
  staff(x, ['manager', 'staff']),
  { kind: 'device', deviceId: x },
];

describe('hostile ids', () => {
  const hall = busyHall();
  const now = T0 + 30 * MINUTE;

  it('covers every command that carries an id', () => {
    const withIds = COMMAND_TYPES.filter(
      (t) =>
        t !== 'hall:post-notice' &&
        t !== 'hall:set-routing' &&
        t !== 'hall:declare-emergency' &&
        t !== 'hall:check-closing' &&
        t !== 'session:sign-out',
    );
    expect(new Set(TEMPLATES.map((t) => t.type))).toEqual(new Set(withIds));
    expect(THROUGH_THE_SCHEMA).toEqual(expect.arrayContaining(['constructor', '__proto__', 'toString']));
  });

  it('are refused by every command, whoever sends them, and change nothing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TEMPLATES),
        fc.constantFrom(...HOSTILE),
        fc.boolean(),
        (template, x, hostileActor) => {
          const parsed = parseCommand(template.type, template.payload(x));
          // Ids the schema refuses never reach the engine: the transport answers invalid-payload.
          if (!parsed.ok) {
            expect(THROUGH_THE_SCHEMA).not.toContain(x);
            return;
          }
          const actors = hostileActor ? HOSTILE_ACTORS(x) : [template.actor];
          for (const actor of actors) {
            const before = toSnapshot(hall);
            const d = decide(hall, { command: parsed.command, actor, id: 'fresh-id' }, now);
            expect(
              d.ok,
              `${template.type} ${JSON.stringify(parsed.command)} by ${JSON.stringify(actor)}`,
            ).toBe(false);
            expect(toSnapshot(hall)).toEqual(before);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never come back as records from a snapshot', () => {
    const again = fromSnapshot(smallHall(), JSON.parse(JSON.stringify(toSnapshot(busyHall()))));
    for (const x of THROUGH_THE_SCHEMA) {
      expect(again.tickets.get(x)).toBeUndefined();
      expect(again.counters.get(x)).toBeUndefined();
      expect(again.numbering.get(x)).toBeUndefined();
    }
  });

  it('can be real ids of a hall, and then work like any other', () => {
    const base = smallHall();
    const config = smallHall({
      counters: base.counters.map((c) => (c.id === 'c2' ? { ...c, id: 'constructor' } : c)),
      services: base.services.map((s) => (s.id === 'bdc' ? { ...s, id: '__proto__' } : s)),
    });
    const s = run(fresh(config), [
      { command: { type: 'counter:set-services', counterId: 'constructor', serviceIds: ['__proto__'] } },
      { command: { type: 'counter:open', counterId: 'constructor' }, actor: staff('s2') },
      {
        command: { type: 'ticket:issue', serviceId: '__proto__', priority: 'normal', channel: 'kiosk' },
        id: 'hasOwnProperty',
      },
      { command: { type: 'counter:call-next', counterId: 'constructor' }, actor: staff('s2') },
    ]);
    expect(s.tickets.get('hasOwnProperty')).toMatchObject({ status: 'called', counterId: 'constructor' });
    expect(s.numbering.get('__proto__')).toMatchObject({ last: 1 });
    const again = fromSnapshot(config, JSON.parse(JSON.stringify(toSnapshot(s))));
    expect(again).toEqual(s);
  });

  it('leave a ticket at its counter when a transfer names one', () => {
    // The defect seen: a transfer to counter `constructor` was accepted and stranded the ticket.
    for (const x of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const d = decide(
        hall,
        {
          command: { type: 'counter:transfer', counterId: 'c1', to: { counterId: x }, note: '' },
          actor: staff('s1'),
          id: 'f',
        },
        now,
      );
      expect(d).toMatchObject({ ok: false, error: { code: 'unknown-counter' } });
    }
  });
});

/** The old snapshot shape (records as objects keyed by id) still loads. */
describe('snapshots saved before records were Maps', () => {
  it('load into the same hall', () => {
    const s = busyHall();
    const snap = toSnapshot(s);
    const old = {
      ...snap,
      counters: Object.fromEntries(snap.counters.map((c) => [c.id, c])),
      tickets: Object.fromEntries(snap.tickets.map((t) => [t.id, t])),
      numbering: Object.fromEntries(snap.numbering),
    };
    expect(fromSnapshot(smallHall(), JSON.parse(JSON.stringify(old)))).toEqual(s);
  });
});
