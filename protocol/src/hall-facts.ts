import { CROSS_HALL_ROLES, type Account } from './access.js';
import type { Alert } from './alerts.js';
import type { Case } from './cases.js';
import type { Actor } from './commands.js';
import type { ErrorBody, ErrorCode, Id } from './common.js';
import type { Emergency } from './emergencies.js';
import type { Counter, DeviceKind, Service, StaffPublic } from './hall.js';
import type { Leave } from './leave.js';
import { queuesOf, type Queues } from './queues.js';
import type { CarryOver, CounterStatus, Ticket } from './ticket.js';
import type { Notice, NumberBlock, StaffSnapshot } from './views.js';
import { estimatesOf, handlingIn, type Estimate } from './waits.js';

/**
 * What the hall's rules read of a hall. The engine's state and a staff client's snapshot both
 * provide it, so the hub and the counter panel answer "may this be done now?" with the same code.
 */
export interface HallFacts {
  readonly services: readonly Pick<
    Service,
    'id' | 'name' | 'expectedMinutes' | 'identification' | 'catalogue'
  >[];
  readonly counters: readonly Pick<Counter, 'id' | 'number'>[];
  readonly staff: readonly Pick<StaffPublic, 'id' | 'name'>[];
  readonly devices: readonly { id: Id; kind: DeviceKind; counterId?: Id | null | undefined }[];
  readonly issuingPaused: readonly Id[];
  readonly numberBlocks: readonly NumberBlock[];
  readonly notices: readonly Notice[];
  /** The emergency in force (R38), if any. */
  readonly emergency: Pick<Emergency, 'id' | 'stopsIssuing'> | null;
  counterStatus(id: Id): CounterStatus | undefined;
  ticket(id: Id): Ticket | undefined;
  tickets(): Iterable<Ticket>;
  /** The waiting tickets in calling order, per service (the engine keeps them indexed). */
  queues(): Queues;
  /** How long `serviceId` takes at a counter staffed by `staffId`, as the hall has learnt it. */
  handling(serviceId: Id, staffId: Id | null): Estimate;
  /** An alert of the hall, open or of today's history. */
  alert(id: Id): Alert | undefined;
  /** A carry-over code still valid or used recently (R26). */
  carryOver(code: string): CarryOver | undefined;
  /** Leave recorded for today or later (R7). */
  readonly leave: readonly Leave[];
  /** R8: a staff member's account as the hall has it now (null: not staff of this hall). */
  account(staffId: Id): Account | null;
  /** A device a manager deactivated. */
  deviceBlocked(deviceId: Id): boolean;
  /** #12: the live ticket of `serviceId` held by the person with this ID hash (only the hub knows). */
  holder(serviceId: Id, idHash: string): Ticket | undefined;
  /** #13: a follow-up case, open or closed recently. */
  case(id: Id): Case | undefined;
}

/** The facts of a staff snapshot, looked up by id through Maps (an id never names a built-in). */
export function factsOfSnapshot(s: StaffSnapshot): HallFacts {
  const status = new Map(s.counterStatus.map((c) => [c.id, c]));
  const tickets = new Map(s.tickets.map((t) => [t.id, t]));
  const estimates = estimatesOf(s.estimates);
  const alerts = new Map(s.alerts.map((a) => [a.id, a]));
  const carryOvers = new Map(s.carryOvers.map((c) => [c.code, c]));
  const accounts = new Map(s.accounts.map((a) => [a.staffId, a]));
  const blocked = new Set(s.deviceBlocks.map((b) => b.deviceId));
  const cases = new Map(s.cases.map((c) => [c.id, c]));
  let queues: Queues | null = null;
  return {
    services: s.services,
    counters: s.counters,
    staff: s.staff,
    devices: s.devices,
    issuingPaused: s.issuingPaused,
    numberBlocks: s.numberBlocks,
    notices: s.notices,
    emergency: s.emergency,
    counterStatus: (id) => status.get(id),
    ticket: (id) => tickets.get(id),
    tickets: () => tickets.values(),
    queues: () => (queues ??= queuesOf(s.tickets)),
    handling: (serviceId, staffId) => handlingIn(estimates, s.services, serviceId, staffId),
    alert: (id) => alerts.get(id),
    carryOver: (code) => carryOvers.get(code),
    leave: s.leave,
    account: (id) => accounts.get(id) ?? null,
    deviceBlocked: (id) => blocked.has(id),
    // Staff never hold applicants' ID hashes: only the hub answers the one-ticket rule.
    holder: () => undefined,
    case: (id) => cases.get(id),
  };
}

export const no = (code: ErrorCode, message: string): ErrorBody => ({ code, message });

// ---- Named guards: each answers why not, or null. ----

/** A manager, a city manager or an admin (by role; `managerOf` checks where). */
export const isManager = (a: Actor) =>
  a.kind === 'staff' && a.roles.some((r) => r === 'manager' || r === 'city-manager' || r === 'admin');

/** The actor is an active staff member of this hall. */
export const isStaffOfHall = (h: HallFacts, a: Actor) =>
  a.kind === 'staff' && h.account(a.staffId)?.active === true;

/** The actor works counters here: window staff (or a manager) of this hall. City managers and admins do not. */
export const worksCountersHere = (h: HallFacts, a: Actor) =>
  isStaffOfHall(h, a) && a.kind === 'staff' && (a.roles.includes('staff') || a.roles.includes('manager'));

/** The actor's roles reach every hall of the installation (see `access.ts`). */
const crossHall = (a: Actor) => a.kind === 'staff' && a.roles.some((r) => CROSS_HALL_ROLES.includes(r));

/** Dispatch is for the hall's managers, the city's managers and the installation's admins. */
export function managerOf(h: HallFacts, a: Actor): ErrorBody | null {
  if (a.kind !== 'staff' || !isManager(a)) return no('not-allowed', 'Only a hall manager may do that.');
  if (!crossHall(a) && !(isStaffOfHall(h, a) && a.roles.includes('manager')))
    return no('not-allowed', 'You are not a manager of this hall.');
  return null;
}

/** R8: accounts are kept by the hall's own managers and the installation's admins (not city managers). */
export function keepsAccounts(h: HallFacts, a: Actor): ErrorBody | null {
  if (a.kind === 'staff' && a.roles.includes('admin')) return null;
  if (a.kind === 'staff' && a.roles.includes('manager') && isStaffOfHall(h, a)) return null;
  return no('not-allowed', 'Accounts are kept by the hall’s managers and the admins.');
}

/** Roles are the admins' to give. */
export function adminOf(a: Actor): ErrorBody | null {
  return a.kind === 'staff' && a.roles.includes('admin')
    ? null
    : no('not-allowed', 'Only an admin may change roles.');
}

/** R8: a deactivated account or device acts no more, whatever credential it still holds. */
export function switchedOff(h: HallFacts, a: Actor): ErrorBody | null {
  if (a.kind === 'staff' && h.account(a.staffId)?.active === false)
    return no('not-allowed', 'This account is deactivated.');
  if (a.kind === 'device' && h.deviceBlocked(a.deviceId))
    return no('not-allowed', `Device ${a.deviceId} is deactivated.`);
  return null;
}
