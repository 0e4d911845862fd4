import type { Alert } from './alerts.js';
import { caseRefusal } from './case-rules.js';
import { catalogueRefusal, noticeRefusal } from './notice-rules.js';
import type { ErrorBody, Id } from './common.js';
import { GATEWAY_OWN_COMMANDS, SYSTEM_COMMANDS, type Actor, type Command } from './commands.js';
import type { DeviceKind, Service } from './hall.js';
import {
  adminOf,
  isManager,
  isStaffOfHall,
  keepsAccounts,
  managerOf,
  no,
  switchedOff,
  worksCountersHere,
  type HallFacts,
} from './hall-facts.js';
import { callingOrder } from './ordering.js';
import { isBadReview } from './ratings.js';
import { lowerBound } from './queues.js';
import type { Channel, Ticket } from './ticket.js';
import { ABSENCE_LIMIT_MS } from './limits.js';
import { isWorking, predictWait, withPaused, type Server, type WaitBand } from './waits.js';

export * from './hall-facts.js';
export { ABSENCE_LIMIT_MS };

// ---- Named guards: each answers why not, or null (the actor's own in hall-facts.ts). ----

/**
 * #12: a service that requires identification issues only with an ID number, and one live ticket
 * (waiting, called or being served) per person: a second one would hold two places in the line.
 */
function identification(
  h: HallFacts,
  service: Pick<Service, 'name' | 'identification' | 'id'>,
  idHash: string | undefined,
): ErrorBody | null {
  if (idHash === undefined)
    return service.identification === 'required'
      ? no('identification-required', `${service.name} needs the applicant's ID number.`)
      : null;
  return h.holder(service.id, idHash)
    ? no('already-holding', `This ID number already holds a ticket for ${service.name}: one at a time.`)
    : null;
}

/**
 * #12, R9: who may see an applicant's name and number in full: the clerk the ticket is with or who
 * served it, its first contact (R23), or a manager of the hall; not a city manager, admin or device.
 */
export function mayRevealApplicant(h: HallFacts, a: Actor, ticketId: Id): ErrorBody | null {
  if (a.kind !== 'staff' || !isStaffOfHall(h, a))
    return no('not-allowed', 'Only staff of this hall see an applicant’s details.');
  const t = h.ticket(ticketId);
  if (!t) return no('unknown-ticket', `No ticket ${ticketId}.`);
  const atTheirCounter =
    (t.status === 'called' || t.status === 'serving') &&
    t.counterId !== null &&
    h.counterStatus(t.counterId)?.staffId === a.staffId;
  const theirs = atTheirCounter || t.servedByStaffId === a.staffId || t.firstContactStaffId === a.staffId;
  if (!theirs && !a.roles.includes('manager'))
    return no('not-allowed', `Ticket ${t.number} is not one you are serving or served.`);
  if (!t.applicant || (t.applicant.name === null && t.applicant.phone === null))
    return no('no-applicant-data', `Ticket ${t.number} has no name or number on file.`);
  return null;
}

/** A staff member of this hall, named by a command. */
const knownStaff = (h: HallFacts, staffId: Id) =>
  h.account(staffId) ? null : no('unknown-staff', `No staff member ${staffId} in this hall.`);

/** A device of this hall, named by a command. */
const knownDevice = (h: HallFacts, deviceId: Id) =>
  h.devices.some((d) => d.id === deviceId) ? null : no('not-found', `No device ${deviceId} in this hall.`);

/** The counter exists and the actor may work it: its signed-in staff, a manager, or its own device. */
export function mayWorkCounter(h: HallFacts, counterId: Id, a: Actor): ErrorBody | null {
  const counter = h.counters.find((c) => c.id === counterId);
  const status = h.counterStatus(counterId);
  if (!counter || !status) return no('unknown-counter', `No counter ${counterId} in this hall.`);
  if (a.kind === 'staff') {
    if (!isStaffOfHall(h, a)) return no('not-allowed', 'You are not staff of this hall.');
    if (isManager(a) || status.staffId === a.staffId) return null;
    return no('not-allowed', `Counter ${counter.number} is not the counter you signed in to.`);
  }
  // A window's own terminal or caller keypad works it; its rating pad and display do not.
  const device = a.kind === 'device' ? h.devices.find((d) => d.id === a.deviceId) : undefined;
  if (device?.counterId === counterId && (device.kind === 'counter-terminal' || device.kind === 'keypad'))
    return null;
  return no('not-allowed', 'Only the staff member signed in to this counter may do that.');
}

const numberOf = (h: HallFacts, counterId: Id | null) =>
  h.counters.find((c) => c.id === counterId)?.number ?? counterId;

/** The counter is open and free to call. */
export function readyToCall(h: HallFacts, counterId: Id): ErrorBody | null {
  const n = numberOf(h, counterId);
  switch (h.counterStatus(counterId)?.state) {
    case 'open':
      return null;
    case 'closed':
    case undefined:
      return no('counter-closed', `Counter ${n} is closed: open it first.`);
    case 'paused':
      return no('counter-paused', `Counter ${n} is paused: resume it first.`);
    case 'calling':
    case 'serving':
      return no('counter-busy', `Counter ${n} still has a ticket: finish it first.`);
  }
}

/** The ticket at the counter now, if any. */
export function ticketAt(h: HallFacts, counterId: Id): Ticket | undefined {
  const id = h.counterStatus(counterId)?.ticketId;
  return id ? h.ticket(id) : undefined;
}

/** The counter has a ticket; with `calledOnly`, one called and not yet being served. */
export function hasTicket(h: HallFacts, counterId: Id, calledOnly: false | string): ErrorBody | null {
  const t = ticketAt(h, counterId);
  if (!t) return no('no-current-ticket', `Counter ${numberOf(h, counterId)} has no ticket.`);
  if (calledOnly && t.status !== 'called') return no('already-serving', calledOnly.replace('{n}', t.number));
  return null;
}

/** What places a ticket in the queues. */
export type Placed = Pick<
  Ticket,
  'id' | 'status' | 'serviceId' | 'targetCounterId' | 'priority' | 'queuedAt' | 'issuedAt'
> & { appointmentAt?: number | null };

/** Whether counter `counterId` may call waiting ticket `t`: a ticket sent to a counter only there. */
export function eligible(
  h: HallFacts,
  counterId: Id,
  t: Pick<Ticket, 'status' | 'serviceId' | 'targetCounterId'>,
): boolean {
  if (t.status !== 'waiting') return false;
  if (t.targetCounterId !== null) return t.targetCounterId === counterId;
  return h.counterStatus(counterId)?.serviceIds.includes(t.serviceId) ?? false;
}

/**
 * How many waiting tickets will be called before `ticket`: those the counters that may call it
 * (the open ones, or all of them while none is open) take first in the calling order, whatever
 * their service. A counter serving two services calls the older tickets of both before this one,
 * so counting only this ticket's own service would tell its holder "0 ahead" too early.
 */
export function aheadOf(h: HallFacts, ticket: Placed): number {
  if (ticket.status !== 'waiting') return 0;
  // The counters that may call it: the open ones, or all of them while none is open.
  const mine: Id[] = [];
  const open: Id[] = [];
  for (const c of h.counters) {
    if (!eligible(h, c.id, ticket)) continue;
    mine.push(c.id);
    if (h.counterStatus(c.id)?.state !== 'closed') open.push(c.id);
  }
  const ids = new Set(open.length > 0 ? open : mine);
  // What those counters call: the queues of the services they serve, and tickets sent to one of them.
  const services = new Set<Id>();
  for (const id of ids) for (const sid of h.counterStatus(id)?.serviceIds ?? []) services.add(sid);
  const q = h.queues();
  let n = 0;
  for (const sid of services) n += lowerBound(q.byService.get(sid) ?? [], ticket);
  for (const t of q.targeted)
    if (t.id !== ticket.id && ids.has(t.targetCounterId!) && callingOrder(t, ticket) < 0) n++;
  return n;
}

/**
 * The expected wait of a waiting ticket (null when it is not waiting or no counter that may call it
 * works now): its place in its own queue, and how fast the working counters that may call it
 * drain that queue, each at its staff member's own pace once the hall has learnt it and with the
 * share of its time the queue gets beside the other services it serves.
 */
export function ticketWait(h: HallFacts, ticket: Placed): WaitBand | null {
  if (ticket.status !== 'waiting') return null;
  const q = h.queues();
  const own = ticket.targetCounterId === null ? (q.byService.get(ticket.serviceId) ?? []) : q.targeted;
  return waitOf(h, ticket, lowerBound(own, ticket));
}

/** The expected wait of a normal ticket taken now for `serviceId`: everybody waiting for its counters goes first. */
export function newTicketWaitOf(h: HallFacts, serviceId: Id): WaitBand | null {
  return waitOf(
    h,
    { status: 'waiting', serviceId, targetCounterId: null },
    h.queues().byService.get(serviceId)?.length ?? 0,
  );
}

/** The expected wait of a waiting ticket with `position` tickets before it in its own queue (see `ticketWait`). */
export function waitOf(
  h: HallFacts,
  ticket: Pick<Ticket, 'status' | 'serviceId' | 'targetCounterId'>,
  position: number,
): WaitBand | null {
  if (ticket.status !== 'waiting') return null;
  const q = h.queues();
  const servers: Server[] = [];
  const paused: Server[] = [];
  // Loops rather than callbacks: every ticket view and every simulated issue asks for this.
  for (const c of h.counters) {
    const status = h.counterStatus(c.id);
    if (!status || !eligible(h, c.id, ticket)) continue;
    const working = isWorking(status.state);
    if (!working && status.state !== 'paused') continue;
    const own = h.handling(ticket.serviceId, status.staffId);
    let share = 1;
    if (ticket.targetCounterId === null) {
      // Work waiting per service at this counter (the ticket's own queue holds at least it and those before it).
      const mine = Math.max(q.byService.get(ticket.serviceId)?.length ?? 0, position + 1) * own.meanMinutes;
      let all = 0;
      for (const sid of status.serviceIds)
        all +=
          sid === ticket.serviceId
            ? mine
            : (q.byService.get(sid)?.length ?? 0) * h.handling(sid, status.staffId).meanMinutes;
      share = all > 0 ? mine / all : 1;
    }
    (working ? servers : paused).push({
      meanMinutes: own.meanMinutes,
      cv: own.cv,
      free: status.state === 'open',
      share,
    });
  }
  return withPaused(predictWait(position, servers), position, servers, paused);
}

/** The actor is one of this hall's devices of kind `kind`. */
function isDevice(h: HallFacts, a: Actor, kind: DeviceKind) {
  return a.kind === 'device' && h.devices.some((d) => d.id === a.deviceId && d.kind === kind);
}

/**
 * #12: who the hall trusts with a head start (special care, appointments): its staff and managers,
 * and its dispensers (a kiosk paired with its dispenser token, the hardware through the gateway),
 * where a guide confirms special care. Never an anonymous caller, a wall or a window terminal.
 */
export function trustedWithPriority(h: HallFacts, a: Actor): boolean {
  return (
    (a.kind === 'staff' && (isStaffOfHall(h, a) || managerOf(h, a) === null)) || isDevice(h, a, 'dispenser')
  );
}

/** #12: a ticket's channel is what its credential is, not what the caller says. */
export function channelFor(h: HallFacts, a: Actor): Channel {
  if (a.kind === 'staff') return 'counter';
  if (isDevice(h, a, 'dispenser') || isDevice(h, a, 'gateway')) return 'kiosk';
  if (a.kind === 'public') return 'mobile';
  return 'api';
}

/** The hall's edge gateway speaks for its hardware. */
export function isGatewayOf(h: HallFacts, a: Actor): ErrorBody | null {
  return isDevice(h, a, 'gateway') ? null : no('not-allowed', 'Only the hall’s edge gateway may do that.');
}

/** `seq` lies in a block reserved for `deviceId` and is not used yet. */
export function reservedFor(h: HallFacts, deviceId: Id, serviceId: Id, seq: number): ErrorBody | null {
  const block = h.numberBlocks.find(
    (b) => b.deviceId === deviceId && b.serviceId === serviceId && b.from <= seq && seq <= b.to,
  );
  if (!block || block.used.includes(seq))
    return no(
      'number-not-reserved',
      `Number ${seq} of ${serviceId} is not reserved for ${deviceId}, or is used.`,
    );
  return null;
}

/** R34: a completed ticket is rated once, by the evaluation pad at its counter (or a manager for it). */
export function mayRate(h: HallFacts, a: Actor, ticketId: Id): ErrorBody | null {
  const t = h.ticket(ticketId);
  if (!t) return no('unknown-ticket', `No ticket ${ticketId}.`);
  const padHere =
    a.kind === 'device' &&
    h.devices.some((d) => d.id === a.deviceId && d.kind === 'evaluator' && d.counterId === t.counterId);
  // The applicant rates on the pad facing them or on their phone (the ticket's id is its capability).
  if (!padHere && a.kind !== 'public' && managerOf(h, a))
    return no('not-allowed', `Ticket ${t.number} is rated at the counter that served it, or on the phone.`);
  if (t.status !== 'completed') return no('ticket-not-completed', `Ticket ${t.number} is not completed.`);
  if (t.rating) return no('already-rated', `Ticket ${t.number} is already rated.`);
  if (t.ratingNotGiven) return no('rating-closed', `The time to rate ${t.number} is over.`);
  return null;
}

/** R36: a number to call back goes with a bad review only (praise needs no call). */
function callBackOnBadReview(r: { level: number; phone?: string | undefined }): ErrorBody | null {
  return r.phone !== undefined && !isBadReview(r.level)
    ? no('invalid-payload', 'A number to call back goes with a bad review only.')
    : null;
}

/** The alert exists and is not resolved. */
export function openAlert(h: HallFacts, alertId: Id): ErrorBody | null {
  const a = h.alert(alertId);
  if (!a) return no('unknown-alert', `No alert ${alertId}.`);
  if (a.resolvedAt !== null) return no('alert-resolved', 'This alert is already resolved.');
  return null;
}

/** An alert about a counter nobody attends is dealt with by sending someone to cover it (R6). */
export const isCoverAlert = (a: Pick<Alert, 'kind' | 'counterId'>) =>
  (a.kind === 'absence' || a.kind === 'empty-post') && a.counterId !== null;

/** Who a manager sends for an alert: staff of this hall; a cover must be free to take the counter. */
export function mayTakeAlert(h: HallFacts, alertId: Id, staffId: Id): ErrorBody | null {
  const staff = h.staff.find((s) => s.id === staffId);
  if (!staff) return no('unknown-staff', `No staff member ${staffId} in this hall.`);
  const a = h.alert(alertId)!;
  if (!isCoverAlert(a)) return null;
  const counter = h.counterStatus(a.counterId!);
  if (!counter || counter.state === 'closed')
    return no('counter-closed', `Counter ${numberOf(h, a.counterId)} is closed: nobody needs to cover it.`);
  if (counter.staffId === staffId)
    return no('staff-already-signed-in', `${staff.name} already holds counter ${numberOf(h, a.counterId)}.`);
  for (const c of h.counters)
    if (h.counterStatus(c.id)?.staffId === staffId)
      return no(
        'staff-already-signed-in',
        `${staff.name} is signed in at counter ${c.number}: close it first.`,
      );
  return null;
}

/** R38: emergency `id` is the one in force (a receipt or an all-clear for an old one is refused). */
export function emergencyInForce(h: HallFacts, id: Id): ErrorBody | null {
  return h.emergency?.id === id ? null : no('no-emergency', `Emergency ${id} is not in force.`);
}

/** Someone waits whom this counter may call. */
export function someoneWaitsFor(h: HallFacts, counterId: Id): ErrorBody | null {
  const q = h.queues();
  for (const sid of h.counterStatus(counterId)?.serviceIds ?? [])
    if (q.byService.get(sid)?.length) return null;
  if (q.targeted.some((t) => t.targetCounterId === counterId)) return null;
  return no('queue-empty', `Nobody is waiting for counter ${numberOf(h, counterId)}.`);
}

/** A transfer or move may send a ticket to a service of this hall, or to another counter that is open. */
export function validTarget(
  h: HallFacts,
  to: { serviceId: Id } | { counterId: Id },
  fromCounterId: Id | null,
): ErrorBody | null {
  if ('serviceId' in to) {
    if (!h.services.some((s) => s.id === to.serviceId))
      return no('unknown-service', `No service ${to.serviceId} in this hall.`);
    return null;
  }
  const target = h.counterStatus(to.counterId);
  if (!target) return no('unknown-counter', `No counter ${to.counterId} in this hall.`);
  if (to.counterId === fromCounterId)
    return no('invalid-target', 'A ticket cannot be transferred to the counter it is at.');
  // Nobody staffs a closed window: the applicant would wait for it in vain.
  if (target.state === 'closed')
    return no('target-closed', `Counter ${numberOf(h, to.counterId)} is closed: choose an open counter.`);
  return null;
}

/** The ticket exists and waits in a queue. */
function waitingTicket(h: HallFacts, ticketId: Id): ErrorBody | null {
  const t = h.ticket(ticketId);
  if (!t) return no('unknown-ticket', `No ticket ${ticketId}.`);
  if (t.status === 'called' || t.status === 'serving')
    return no(
      'ticket-not-waiting',
      `Ticket ${t.number} is already called to counter ${numberOf(h, t.counterId)}.`,
    );
  if (t.status !== 'waiting') return no('ticket-finished', `Ticket ${t.number} is already finished.`);
  return null;
}

const first = (...checks: Array<() => ErrorBody | null>): ErrorBody | null => {
  for (const c of checks) {
    const r = c();
    if (r) return r;
  }
  return null;
};

/**
 * Why the hall would refuse `command` from `actor` now, or null if it would accept it. The engine
 * decides with this before it records anything, and the screens enable exactly what it allows.
 * One thing only the hub knows: whether a service still has numbers left today. Guards are chained
 * with `??` (each runs only if those before it passed) or `first` (thunks, for rarer commands).
 */
export function refusal(h: HallFacts, actor: Actor, cmd: Command): ErrorBody | null {
  if (SYSTEM_COMMANDS.has(cmd.type) && actor.kind !== 'system')
    return no('not-allowed', `${cmd.type} is sent by the hub's scheduler only.`);
  const off = switchedOff(h, actor);
  if (off) return off;
  if (isDevice(h, actor, 'gateway') && !GATEWAY_OWN_COMMANDS.has(cmd.type))
    return no('not-allowed', 'The gateway acts as one of the hall’s devices, not on its own.');
  const at = (counterId: Id) => () => mayWorkCounter(h, counterId, actor);
  switch (cmd.type) {
    case 'ticket:issue': {
      const service = h.services.find((s) => s.id === cmd.serviceId);
      if (!service) return no('unknown-service', `No service ${cmd.serviceId} in this hall.`);
      // #12: an appointment's head start comes only from those the hall trusts with it: staff, or a
      // dispenser (not a wall's display token, not a window's terminal).
      // Devices issue only as a dispenser (the kiosk, or the hardware through the gateway).
      if (actor.kind === 'device' && !isDevice(h, actor, 'dispenser'))
        return no('not-allowed', 'Only a dispenser issues tickets among the hall’s devices.');
      if (cmd.priority !== 'normal' && !trustedWithPriority(h, actor))
        return no(
          'not-allowed',
          `${cmd.priority === 'appointment' ? 'Appointment' : 'Special-care'} tickets are issued by staff or a dispenser.`,
        );
      if (cmd.appointmentAt !== undefined && cmd.priority !== 'appointment')
        return no('invalid-payload', 'An appointment time goes with an appointment ticket only.');
      if (h.issuingPaused.includes(service.id))
        return no('issuing-paused', `Tickets for ${service.name} are not issued right now.`);
      if (h.emergency?.stopsIssuing)
        return no('emergency', 'The hall is dealing with an emergency: no tickets are issued now.');
      const identified = identification(h, service, cmd.applicant?.idHash);
      if (identified) return identified;
      if (cmd.carryOver !== undefined) {
        const c = h.carryOver(cmd.carryOver);
        if (!c) return no('unknown-carry-over', `No carry-over code ${cmd.carryOver}.`);
        if (c.redeemedBy !== null) return no('carry-over-used', `Carry-over code ${c.code} is already used.`);
        if (c.serviceId !== cmd.serviceId)
          return no('invalid-payload', `Carry-over code ${c.code} is for another service.`);
      }
      return null;
    }
    case 'ticket:reveal-applicant':
      return mayRevealApplicant(h, actor, cmd.ticketId);
    case 'ticket:carry-over': {
      if (!isStaffOfHall(h, actor) && managerOf(h, actor))
        return no('not-allowed', 'Staff of the hall give carry-over codes.');
      for (const id of cmd.ticketIds) {
        const refused = waitingTicket(h, id);
        if (refused) return refused;
      }
      return null;
    }
    case 'ticket:cancel': {
      const t = h.ticket(cmd.ticketId);
      if (!t) return no('unknown-ticket', `No ticket ${cmd.ticketId}.`);
      if (t.status === 'called' || t.status === 'serving')
        return no('ticket-not-waiting', `Ticket ${t.number} is already at a counter.`);
      if (t.status !== 'waiting') return no('ticket-finished', `Ticket ${t.number} is already finished.`);
      return null;
    }
    case 'counter:open':
      return openRefusal(h, actor, cmd.counterId, cmd.staffId);
    case 'counter:call-next':
      return (
        mayWorkCounter(h, cmd.counterId, actor) ??
        readyToCall(h, cmd.counterId) ??
        someoneWaitsFor(h, cmd.counterId)
      );
    case 'counter:call':
      return first(
        at(cmd.counterId),
        () => readyToCall(h, cmd.counterId),
        () => waitingTicket(h, cmd.ticketId),
        () =>
          eligible(h, cmd.counterId, h.ticket(cmd.ticketId)!)
            ? null
            : no(
                'counter-does-not-serve',
                `Counter ${numberOf(h, cmd.counterId)} does not serve ticket ${h.ticket(cmd.ticketId)!.number}.`,
              ),
      );
    case 'counter:recall':
    case 'counter:start':
      return (
        mayWorkCounter(h, cmd.counterId, actor) ??
        hasTicket(h, cmd.counterId, 'Ticket {n} is already being served.')
      );
    case 'counter:no-show':
      return (
        mayWorkCounter(h, cmd.counterId, actor) ??
        hasTicket(h, cmd.counterId, 'Ticket {n} came and is being served: complete it instead.')
      );
    case 'counter:complete':
    case 'counter:requeue':
      return mayWorkCounter(h, cmd.counterId, actor) ?? hasTicket(h, cmd.counterId, false);
    case 'counter:transfer':
      return first(
        at(cmd.counterId),
        () => hasTicket(h, cmd.counterId, false),
        () => validTarget(h, cmd.to, cmd.counterId),
      );
    case 'counter:pause':
      return mayWorkCounter(h, cmd.counterId, actor) ?? readyToCall(h, cmd.counterId);
    case 'counter:resume':
      return first(at(cmd.counterId), () =>
        h.counterStatus(cmd.counterId)?.state === 'paused'
          ? null
          : no('counter-not-paused', `Counter ${numberOf(h, cmd.counterId)} is not paused.`),
      );
    case 'counter:close':
      return first(at(cmd.counterId), () => {
        const s = h.counterStatus(cmd.counterId)!;
        if (s.state === 'closed') return no('counter-closed', `Counter ${numberOf(h, s.id)} is closed.`);
        if (s.ticketId !== null)
          return no('counter-busy', `Counter ${numberOf(h, s.id)} still has a ticket: finish it first.`);
        return null;
      });
    case 'counter:set-services':
      return first(
        () => managerOf(h, actor),
        () =>
          h.counters.some((c) => c.id === cmd.counterId)
            ? null
            : no('unknown-counter', `No counter ${cmd.counterId} in this hall.`),
        () => {
          const unknown = cmd.serviceIds.find((id) => !h.services.some((s) => s.id === id));
          return unknown ? no('unknown-service', `No service ${unknown} in this hall.`) : null;
        },
      );
    case 'ticket:move':
      return first(
        () => managerOf(h, actor),
        () => {
          const t = h.ticket(cmd.ticketId);
          if (!t) return no('unknown-ticket', `No ticket ${cmd.ticketId}.`);
          return t.status === 'waiting'
            ? null
            : no('ticket-not-waiting', `Ticket ${t.number} is not waiting.`);
        },
        () => validTarget(h, cmd.to, null),
      );
    case 'service:set-issuing':
      return first(
        () => managerOf(h, actor),
        () =>
          h.services.some((s) => s.id === cmd.serviceId)
            ? null
            : no('unknown-service', `No service ${cmd.serviceId} in this hall.`),
      );
    case 'hall:post-notice':
    case 'hall:set-routing':
    case 'hall:declare-emergency':
      return managerOf(h, actor);
    case 'staff:record-leave':
      return first(
        () => managerOf(h, actor),
        () => knownStaff(h, cmd.staffId),
        () => (cmd.from <= cmd.to ? null : no('invalid-payload', 'Leave ends before it starts.')),
      );
    case 'staff:cancel-leave':
      return (
        managerOf(h, actor) ??
        (h.leave.some((l) => l.id === cmd.leaveId) ? null : no('not-found', `No leave ${cmd.leaveId}.`))
      );
    case 'staff:deactivate':
      return first(
        () => keepsAccounts(h, actor),
        () => knownStaff(h, cmd.staffId),
        () =>
          actor.kind === 'staff' && actor.staffId === cmd.staffId
            ? no('not-allowed', 'You cannot deactivate your own account.')
            : null,
        () =>
          h.account(cmd.staffId)!.active ? null : no('no-change', 'The account is already deactivated.'),
      );
    case 'staff:reactivate':
      return first(
        () => keepsAccounts(h, actor),
        () => knownStaff(h, cmd.staffId),
        () => (h.account(cmd.staffId)!.active ? no('no-change', 'The account is active.') : null),
      );
    case 'staff:change-roles':
      return first(
        () => adminOf(actor),
        () => knownStaff(h, cmd.staffId),
        () =>
          actor.kind === 'staff' && actor.staffId === cmd.staffId
            ? no('not-allowed', 'Another admin changes your roles.')
            : null,
      );
    case 'staff:end-sessions':
      return first(
        () => (actor.kind === 'staff' && actor.staffId === cmd.staffId ? null : keepsAccounts(h, actor)),
        () => knownStaff(h, cmd.staffId),
      );
    case 'session:sign-out':
      return actor.kind === 'staff' && (cmd.everywhere || actor.sessionId !== undefined)
        ? null
        : no('not-allowed', 'Only a signed-in session signs out.');
    case 'device:deactivate':
      return first(
        () => keepsAccounts(h, actor),
        () => knownDevice(h, cmd.deviceId),
        () => (h.deviceBlocked(cmd.deviceId) ? no('no-change', 'The device is already deactivated.') : null),
      );
    case 'device:reactivate':
      return first(
        () => keepsAccounts(h, actor),
        () => knownDevice(h, cmd.deviceId),
        () => (h.deviceBlocked(cmd.deviceId) ? null : no('no-change', 'The device is active.')),
      );
    case 'hall:all-clear':
      return managerOf(h, actor) ?? emergencyInForce(h, cmd.emergencyId);
    case 'hall:emergency-shown':
      return emergencyInForce(h, cmd.emergencyId);
    case 'hall:remove-notice':
      return first(
        () => managerOf(h, actor),
        () =>
          h.notices.some((n) => n.id === cmd.noticeId) ? null : no('not-found', `No notice ${cmd.noticeId}.`),
      );
    case 'ticket:rate':
      return mayRate(h, actor, cmd.ticketId) ?? callBackOnBadReview(cmd);
    case 'numbers:reserve':
      return first(
        () => isGatewayOf(h, actor),
        () => {
          const unknown = cmd.serviceIds.find((id) => !h.services.some((s) => s.id === id));
          return unknown ? no('unknown-service', `No service ${unknown} in this hall.`) : null;
        },
      );
    case 'ticket:issue-offline':
      return first(
        () => isGatewayOf(h, actor),
        () =>
          h.services.some((s) => s.id === cmd.serviceId)
            ? null
            : no('unknown-service', `No service ${cmd.serviceId} in this hall.`),
        () => reservedFor(h, (actor as { deviceId: Id }).deviceId, cmd.serviceId, cmd.seq),
      );
    case 'device:report':
      return first(
        () => (actor.kind === 'system' ? null : isGatewayOf(h, actor)),
        () =>
          h.devices.some((d) => d.id === cmd.deviceId)
            ? null
            : no('not-found', `No device ${cmd.deviceId} in this hall.`),
      );
    case 'counter:report-incident':
      return mayWorkCounter(h, cmd.counterId, actor);
    case 'alert:acknowledge':
      return first(
        () => managerOf(h, actor),
        () => openAlert(h, cmd.alertId),
        () =>
          h.alert(cmd.alertId)!.acknowledgedAt === null
            ? null
            : no('already-acknowledged', 'This alert is already acknowledged.'),
      );
    case 'alert:assign':
      return first(
        () => managerOf(h, actor),
        () => openAlert(h, cmd.alertId),
        () => mayTakeAlert(h, cmd.alertId, cmd.staffId),
      );
    case 'alert:resolve':
      return managerOf(h, actor) ?? openAlert(h, cmd.alertId);
    case 'counter:check-absence':
    case 'counter:check-empty-post':
      return h.counterStatus(cmd.counterId)
        ? null
        : no('unknown-counter', `No counter ${cmd.counterId} in this hall.`);
    case 'hall:check-closing':
      return null;
    case 'alert:check-escalation':
      return h.alert(cmd.alertId) ? null : no('unknown-alert', `No alert ${cmd.alertId}.`);
    case 'service:set-catalogue':
      return catalogueRefusal(h, actor, cmd);
    case 'ticket:issue-notice':
      return noticeRefusal(h, actor, cmd);
    case 'case:open':
    case 'case:assign':
    case 'case:record':
    case 'case:close':
    case 'case:reveal-applicant':
    case 'case:check-deadline':
      return caseRefusal(h, actor, cmd);
    case 'ticket:close-rating': {
      const t = h.ticket(cmd.ticketId);
      if (!t) return no('unknown-ticket', `No ticket ${cmd.ticketId}.`);
      return t.status === 'completed' && !t.rating && !t.ratingNotGiven
        ? null
        : no('no-change', `Ticket ${t.number} is not waiting for a rating.`);
    }
  }
}

/** A staff member signs in to a closed counter (a manager may sign someone else in). */
function openRefusal(h: HallFacts, actor: Actor, counterId: Id, who: Id | undefined): ErrorBody | null {
  if (actor.kind !== 'staff') return no('not-allowed', 'A counter is opened by a staff member.');
  const staffId = who ?? actor.staffId;
  if (staffId !== actor.staffId && managerOf(h, actor))
    return no('not-allowed', 'Only a manager may sign someone else in to a counter.');
  if (staffId === actor.staffId && !worksCountersHere(h, actor))
    return no('not-allowed', 'You do not work a counter in this hall.');
  const account = h.account(staffId);
  if (!account) return no('unknown-staff', `No staff member ${staffId} in this hall.`);
  if (!account.active) return no('not-allowed', `The account of ${staffId} is deactivated.`);
  const counter = h.counters.find((c) => c.id === counterId);
  const status = h.counterStatus(counterId);
  if (!counter || !status) return no('unknown-counter', `No counter ${counterId} in this hall.`);
  if (status.state !== 'closed')
    return no('counter-not-closed', `Counter ${counter.number} is already open.`);
  for (const c of h.counters) {
    if (h.counterStatus(c.id)?.staffId === staffId)
      return no(
        'staff-already-signed-in',
        `${h.staff.find((s) => s.id === staffId)!.name} is signed in at counter ${c.number}: close it first.`,
      );
  }
  return null;
}

/** Whether the hall would accept `command` from `actor` now (the screens enable exactly this). */
export const can = (h: HallFacts, actor: Actor, cmd: Command): boolean => refusal(h, actor, cmd) === null;

/**
 * R26: the waiting tickets not expected to be called before `closesAt`, by the live predictions
 * (a ticket no working window may call is at risk too), in calling order per service.
 */
export function atRiskAtClosing(h: HallFacts, now: number, closesAt: number): Ticket[] {
  const out: Ticket[] = [];
  const q = h.queues();
  for (const list of [...q.byService.values(), q.targeted])
    for (const t of list) {
      const wait = ticketWait(h, t);
      if (wait === null || now + wait.minutes * 60_000 > closesAt) out.push(t);
    }
  return out;
}
