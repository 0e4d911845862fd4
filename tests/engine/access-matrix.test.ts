import { describe, expect, it } from 'vitest';
import type { Actor, Command, CommandType } from '@yichuang/protocol';
import { COMMAND_TYPES, refusal, SYSTEM_COMMANDS } from '@yichuang/protocol';
import { factsOf } from '@yichuang/server';
import { busyHall, manager, run, staff, system } from '../support/factories.js';

/**
 * #12: the command half of the access matrix. Every command against every kind of sender: the
 * hall's rules either refuse it as `not-allowed` (this sender may not ask) or let it reach the
 * hall's other rules (which may still say no, for reasons of the hall's state). The transport
 * resolves credentials to these senders (tests/transport/access-matrix.test.ts); sockets and REST
 * then ask exactly this.
 */
const ACTORS = {
  public: { kind: 'public' },
  kiosk: { kind: 'device', deviceId: 'kiosk' },
  padC3: { kind: 'device', deviceId: 'pad-c3' },
  evaluatorC3: { kind: 'device', deviceId: 'eval-c3' },
  gateway: { kind: 'device', deviceId: 'gw' },
  clerkC1: staff('s1'),
  clerkC2: staff('s2'),
  manager,
  cityManager: staff('x-city', ['city-manager']),
  admin: staff('x-admin', ['admin']),
  otherHallManager: staff('x-mgr', ['manager', 'staff']),
} satisfies Record<string, Actor>;
type Who = keyof typeof ACTORS;
const EVERYONE = Object.keys(ACTORS) as Who[];
const MANAGERS: Who[] = ['manager', 'cityManager', 'admin'];
const AT_C1: Who[] = ['clerkC1', 'manager'];
const STAFF_ANYWHERE: Who[] = ['clerkC1', 'clerkC2', 'manager', 'cityManager', 'admin', 'otherHallManager'];

/**
 * Counter 1 calling a ticket (s1), counters 2 and 3 open, tickets waiting, a notice, an alert, and a
 * complaint case k1 with a number to call back, assigned to s2.
 */
const hall = run(busyHall(), [
  {
    command: {
      type: 'case:open',
      kind: 'complaint',
      description: '电话投诉',
      serviceIds: [],
      departments: [],
      applicant: { phone: '13900001111' },
    },
    id: 'k1',
  },
  { command: { type: 'case:assign', caseId: 'k1', staffId: 's2' } },
]);

/** One command of each type, and who may send it. */
const MATRIX: Array<{ command: Command; allowed: readonly Who[] }> = [
  {
    command: { type: 'ticket:issue', serviceId: 'tax', priority: 'normal' },
    allowed: EVERYONE.filter((w) => w !== 'padC3' && w !== 'evaluatorC3' && w !== 'gateway'),
  },
  {
    command: { type: 'ticket:issue', serviceId: 'tax', priority: 'special-care' },
    allowed: ['kiosk', 'clerkC1', 'clerkC2', ...MANAGERS],
  },
  { command: { type: 'ticket:carry-over', ticketIds: ['w2'] }, allowed: ['clerkC1', 'clerkC2', ...MANAGERS] },
  { command: { type: 'ticket:cancel', ticketId: 'w2' }, allowed: EVERYONE.filter((w) => w !== 'gateway') },
  // R9: the clerk serving the ticket (w1 is called to c1) and the hall's manager; nobody else.
  { command: { type: 'ticket:reveal-applicant', ticketId: 'w1', reason: '核对身份' }, allowed: AT_C1 },
  { command: { type: 'counter:open', counterId: 'c4' }, allowed: ['clerkC1', 'clerkC2', 'manager'] },
  { command: { type: 'counter:call-next', counterId: 'c1' }, allowed: AT_C1 },
  { command: { type: 'counter:call-next', counterId: 'c3' }, allowed: ['padC3', 'manager'] },
  { command: { type: 'counter:call', counterId: 'c1', ticketId: 'w2' }, allowed: AT_C1 },
  { command: { type: 'counter:recall', counterId: 'c1' }, allowed: AT_C1 },
  { command: { type: 'counter:start', counterId: 'c1' }, allowed: AT_C1 },
  { command: { type: 'counter:complete', counterId: 'c1', outcome: 'accepted' }, allowed: AT_C1 },
  { command: { type: 'counter:no-show', counterId: 'c1' }, allowed: AT_C1 },
  {
    command: { type: 'counter:transfer', counterId: 'c1', to: { serviceId: 'tax' }, note: '' },
    allowed: AT_C1,
  },
  { command: { type: 'counter:requeue', counterId: 'c1' }, allowed: AT_C1 },
  { command: { type: 'counter:pause', counterId: 'c1', reason: 'break', note: '' }, allowed: AT_C1 },
  { command: { type: 'counter:resume', counterId: 'c1' }, allowed: AT_C1 },
  { command: { type: 'counter:close', counterId: 'c1' }, allowed: AT_C1 },
  {
    command: { type: 'counter:report-incident', counterId: 'c1', kind: 'quarrel', note: '' },
    allowed: AT_C1,
  },
  { command: { type: 'alert:acknowledge', alertId: 'a1' }, allowed: MANAGERS },
  { command: { type: 'alert:assign', alertId: 'a1', staffId: 's3' }, allowed: MANAGERS },
  { command: { type: 'alert:resolve', alertId: 'a1', note: '' }, allowed: MANAGERS },
  { command: { type: 'counter:set-services', counterId: 'c2', serviceIds: ['tax'] }, allowed: MANAGERS },
  { command: { type: 'ticket:move', ticketId: 'w2', to: { serviceId: 'tax' } }, allowed: MANAGERS },
  { command: { type: 'service:set-issuing', serviceId: 'tax', open: false }, allowed: MANAGERS },
  { command: { type: 'hall:set-routing', policy: 'balanced' }, allowed: MANAGERS },
  { command: { type: 'hall:declare-emergency', kind: 'other', text: '演练' }, allowed: MANAGERS },
  { command: { type: 'hall:all-clear', emergencyId: 'none' }, allowed: MANAGERS },
  {
    command: { type: 'hall:emergency-shown', emergencyId: 'none', screen: 'x', kind: 'wall' },
    allowed: EVERYONE,
  },
  {
    command: {
      type: 'staff:record-leave',
      staffId: 's3',
      from: '2026-12-01',
      to: '2026-12-02',
      kind: 'annual',
      note: '',
    },
    allowed: MANAGERS,
  },
  { command: { type: 'staff:cancel-leave', leaveId: 'none' }, allowed: MANAGERS },
  { command: { type: 'hall:post-notice', text: '通知' }, allowed: MANAGERS },
  { command: { type: 'hall:remove-notice', noticeId: 'n1' }, allowed: MANAGERS },
  // Rated on the pad at its counter or on the applicant's phone (public: the ticket id is the capability).
  { command: { type: 'ticket:rate', ticketId: 'w2', level: 5 }, allowed: ['public', ...MANAGERS] },
  { command: { type: 'staff:deactivate', staffId: 's3', note: '' }, allowed: ['manager', 'admin'] },
  { command: { type: 'staff:reactivate', staffId: 's3' }, allowed: ['manager', 'admin'] },
  { command: { type: 'staff:change-roles', staffId: 's3', roles: ['staff'] }, allowed: ['admin'] },
  { command: { type: 'staff:end-sessions', staffId: 's1' }, allowed: ['clerkC1', 'manager', 'admin'] },
  { command: { type: 'session:sign-out', everywhere: true }, allowed: STAFF_ANYWHERE },
  { command: { type: 'device:deactivate', deviceId: 'kiosk', note: '' }, allowed: ['manager', 'admin'] },
  { command: { type: 'device:reactivate', deviceId: 'kiosk' }, allowed: ['manager', 'admin'] },
  { command: { type: 'numbers:reserve', serviceIds: ['tax'], size: 5 }, allowed: ['gateway'] },
  {
    command: { type: 'ticket:issue-offline', serviceId: 'tax', priority: 'normal', seq: 990, issuedAt: 1 },
    allowed: ['gateway'],
  },
  { command: { type: 'device:report', deviceId: 'kiosk', online: true, faults: [] }, allowed: ['gateway'] },
  { command: { type: 'counter:check-absence', counterId: 'c1', pausedAt: 1 }, allowed: [] },
  { command: { type: 'counter:check-empty-post', counterId: 'c1', since: 1 }, allowed: [] },
  { command: { type: 'alert:check-escalation', alertId: 'a1', escalations: 0 }, allowed: [] },
  { command: { type: 'ticket:close-rating', ticketId: 'w2' }, allowed: [] },
  { command: { type: 'hall:check-closing', closesAt: 1, mark: 30 }, allowed: [] },
  // #13: staff of the hall record problems and complaints; managers assign; the assignee works the case.
  {
    command: { type: 'case:open', kind: 'complaint', description: '来信', serviceIds: [], departments: [] },
    allowed: ['clerkC1', 'clerkC2', ...MANAGERS],
  },
  { command: { type: 'case:assign', caseId: 'k1', staffId: 's1' }, allowed: MANAGERS },
  {
    command: { type: 'case:record', caseId: 'k1', step: 'investigated', note: '核实' },
    allowed: ['clerkC2', ...MANAGERS],
  },
  { command: { type: 'case:close', caseId: 'k1', note: '办结' }, allowed: ['clerkC2', ...MANAGERS] },
  // R9: the assignee and the hall's own manager, who call applicants back.
  {
    command: { type: 'case:reveal-applicant', caseId: 'k1', reason: '回访' },
    allowed: ['clerkC2', 'manager'],
  },
  // R3: the catalogue is the admins'; R18: a notice by the clerk serving the ticket (w1 at c1) or a manager.
  {
    command: {
      type: 'service:set-catalogue',
      serviceId: 'tax',
      catalogue: {
        matterType: 'other',
        department: '税务局',
        conditions: '',
        guide: '',
        materials: [],
        legalDays: null,
        promisedDays: 0,
        notifyAndCommit: false,
        deficiencyDays: 5,
        authorisedStaff: [],
        fee: '',
      },
    },
    allowed: ['admin'],
  },
  {
    command: {
      type: 'ticket:issue-notice',
      ticketId: 'w1',
      kind: 'one-time',
      materialIds: ['x'],
      reason: '',
    },
    allowed: AT_C1,
  },
  {
    command: { type: 'case:check-deadline', caseId: 'k1', deadline: 'call-back', phase: 'remind' },
    allowed: [],
  },
];

describe('command access matrix (#12)', () => {
  it('names every command', () => {
    expect(new Set(MATRIX.map((m) => m.command.type))).toEqual(new Set<CommandType>(COMMAND_TYPES));
  });

  it.each(MATRIX)('$command.type', ({ command, allowed }) => {
    const facts = factsOf(hall);
    for (const who of EVERYONE) {
      const refused = refusal(facts, ACTORS[who], command);
      const label = `${command.type} by ${who}: ${refused ? `${refused.code} (${refused.message})` : 'allowed'}`;
      if (allowed.includes(who)) expect(refused?.code, label).not.toBe('not-allowed');
      else expect(refused?.code, label).toBe('not-allowed');
    }
    // The scheduler's commands are its own; it sends nothing else that needs a person.
    if (SYSTEM_COMMANDS.has(command.type))
      expect(refusal(facts, system, command)?.code).not.toBe('not-allowed');
  });

  it('refuses everything to a deactivated account and a switched-off device', () => {
    const off = run(hall, [
      { command: { type: 'staff:deactivate', staffId: 's1', note: '' } },
      { command: { type: 'device:deactivate', deviceId: 'kiosk', note: '' } },
    ]);
    for (const { command } of MATRIX) {
      expect(refusal(factsOf(off), ACTORS.clerkC1, command)?.code, command.type).toBe('not-allowed');
      expect(refusal(factsOf(off), ACTORS.kiosk, command)?.code, command.type).toBe('not-allowed');
    }
  });
});
