import type {
  Actor,
  Command,
  Counter,
  CounterStatus,
  ErrorBody,
  ErrorCode,
  HallEvent,
  Id,
  Ticket,
} from '@yichuang/protocol';
import { SYSTEM_COMMANDS } from '@yichuang/protocol';
import { localDay } from './local-day.js';
import { ABSENCE_LIMIT_MS } from './timers.js';
import { eligible, nextFor } from './policies/ordering.js';
import type { HallState } from './state.js';

/** A command with who sent it and the fresh id the shell drew for anything it creates. */
export type CommandEnvelope = { command: Command; actor: Actor; id: Id };

/** The engine's answer: the events to record, or why nothing happens. */
export type Decision = { ok: true; events: HallEvent[] } | { ok: false; error: ErrorBody };

/** Ticket numbers are the prefix and three digits, so 999 a day per service. */
export const MAX_NUMBER = 999;

const reject = (code: ErrorCode, message: string): Decision => ({ ok: false, error: { code, message } });
const accept = (...events: HallEvent[]): Decision => ({ ok: true, events });

const isManager = (a: Actor) =>
  a.kind === 'staff' && (a.roles.includes('manager') || a.roles.includes('admin'));

type CounterCtx = { counter: Counter; status: CounterStatus };

/** Looks up the counter and checks the actor may work it: its signed-in staff, a manager, or its own device. */
function counterFor(state: HallState, counterId: Id, actor: Actor): CounterCtx | ErrorBody {
  const counter = state.config.counters.find((c) => c.id === counterId);
  const status = state.counters.get(counterId);
  if (!counter || !status)
    return { code: 'unknown-counter', message: `No counter ${counterId} in this hall.` };
  if (actor.kind === 'staff') {
    if (!state.config.staff.some((s) => s.id === actor.staffId))
      return { code: 'not-allowed', message: 'You are not staff of this hall.' };
    if (isManager(actor) || status.staffId === actor.staffId) return { counter, status };
    return { code: 'not-allowed', message: `Counter ${counter.number} is not the counter you signed in to.` };
  }
  if (actor.kind === 'device') {
    const device = state.config.devices.find((d) => d.id === actor.deviceId);
    if (device?.counterId === counterId) return { counter, status };
  }
  return { code: 'not-allowed', message: 'Only the staff member signed in to this counter may do that.' };
}

/** Dispatch is for the hall's managers (and admins). */
function managerOnly(state: HallState, actor: Actor): Decision | null {
  if (actor.kind !== 'staff' || !isManager(actor))
    return reject('not-allowed', 'Only a hall manager may do that.');
  if (!state.config.staff.some((s) => s.id === actor.staffId) && !actor.roles.includes('admin'))
    return reject('not-allowed', 'You are not staff of this hall.');
  return null;
}

const isError = <T extends object>(x: T | ErrorBody): x is ErrorBody => 'code' in x;

/** Checks that the counter is open and free to call. */
function readyToCall(c: CounterCtx): Decision | null {
  switch (c.status.state) {
    case 'open':
      return null;
    case 'closed':
      return reject('counter-closed', `Counter ${c.counter.number} is closed: open it first.`);
    case 'paused':
      return reject('counter-paused', `Counter ${c.counter.number} is paused: resume it first.`);
    case 'calling':
    case 'serving':
      return reject('counter-busy', `Counter ${c.counter.number} still has a ticket: finish it first.`);
  }
}

function currentTicket(state: HallState, c: CounterCtx): Ticket | ErrorBody {
  const t = c.status.ticketId ? state.tickets.get(c.status.ticketId) : undefined;
  if (!t) return { code: 'no-current-ticket', message: `Counter ${c.counter.number} has no ticket.` };
  return t;
}

/** Runs `f` on a counter the actor may work, or answers why not. */
function withCounterAt(
  state: HallState,
  counterId: Id,
  actor: Actor,
  f: (c: CounterCtx) => Decision,
): Decision {
  const c = counterFor(state, counterId, actor);
  return isError(c) ? { ok: false, error: c } : f(c);
}

/** Runs `f` on a counter the actor may work and the ticket at it, or answers why not. */
function withTicketAt(
  state: HallState,
  counterId: Id,
  actor: Actor,
  f: (c: CounterCtx, t: Ticket) => Decision,
): Decision {
  return withCounterAt(state, counterId, actor, (c) => {
    const t = currentTicket(state, c);
    return isError(t) ? { ok: false, error: t } : f(c, t);
  });
}

const ref = (t: Ticket) => ({ ticketId: t.id, number: t.number, serviceId: t.serviceId });

function callEvent(c: CounterCtx, t: Ticket, recalls: number, at: number): HallEvent {
  return {
    type: 'ticket:called',
    at,
    ...ref(t),
    counterId: c.counter.id,
    counterNumber: c.counter.number,
    staffId: c.status.staffId,
    recalls,
  };
}

/**
 * Decides what a command does to a hall at instant `now`. Pure: the same state, command and
 * instant always give the same answer. It never throws on any validated command.
 */
export function decide(state: HallState, env: CommandEnvelope, now: number): Decision {
  const { command: cmd, actor } = env;
  if (SYSTEM_COMMANDS.has(cmd.type) && actor.kind !== 'system')
    return reject('not-allowed', `${cmd.type} is sent by the hub's scheduler only.`);

  switch (cmd.type) {
    case 'ticket:issue': {
      const service = state.config.services.find((s) => s.id === cmd.serviceId);
      if (!service) return reject('unknown-service', `No service ${cmd.serviceId} in this hall.`);
      if (cmd.priority === 'appointment' && actor.kind !== 'staff' && actor.kind !== 'device')
        return reject('not-allowed', 'Appointment tickets are issued by staff or a dispenser.');
      if (state.issuingPaused.includes(service.id))
        return reject('issuing-paused', `Tickets for ${service.name} are not issued right now.`);
      const day = localDay(now, state.config.timeZone);
      const numbering = state.numbering.get(service.id);
      const seq = numbering?.day === day ? numbering.last + 1 : 1;
      if (seq > MAX_NUMBER)
        return reject('numbers-exhausted', `All ${MAX_NUMBER} numbers of ${service.name} are issued today.`);
      return accept({
        type: 'ticket:issued',
        at: now,
        ticketId: env.id,
        number: `${service.prefix}${String(seq).padStart(3, '0')}`,
        serviceId: service.id,
        seq,
        day,
        priority: cmd.priority,
        channel: cmd.channel,
      });
    }

    case 'ticket:cancel': {
      const t = state.tickets.get(cmd.ticketId);
      if (!t) return reject('unknown-ticket', `No ticket ${cmd.ticketId}.`);
      if (t.status !== 'waiting')
        return t.status === 'called' || t.status === 'serving'
          ? reject('ticket-not-waiting', `Ticket ${t.number} is already at a counter.`)
          : reject('ticket-finished', `Ticket ${t.number} is already finished.`);
      return accept({ type: 'ticket:cancelled', at: now, ...ref(t) });
    }

    case 'counter:open': {
      if (actor.kind !== 'staff') return reject('not-allowed', 'A counter is opened by a staff member.');
      const staffId = cmd.staffId ?? actor.staffId;
      if (staffId !== actor.staffId && !isManager(actor))
        return reject('not-allowed', 'Only a manager may sign someone else in to a counter.');
      if (!isManager(actor) && !state.config.staff.some((s) => s.id === actor.staffId))
        return reject('not-allowed', 'You are not staff of this hall.');
      const staff = state.config.staff.find((s) => s.id === staffId);
      if (!staff) return reject('unknown-staff', `No staff member ${staffId} in this hall.`);
      const counter = state.config.counters.find((c) => c.id === cmd.counterId);
      const status = state.counters.get(cmd.counterId);
      if (!counter || !status) return reject('unknown-counter', `No counter ${cmd.counterId} in this hall.`);
      if (status.state !== 'closed')
        return reject('counter-not-closed', `Counter ${counter.number} is already open.`);
      const elsewhere = [...state.counters.values()].find((c) => c.staffId === staffId);
      if (elsewhere) {
        const n = state.config.counters.find((c) => c.id === elsewhere.id)?.number;
        return reject(
          'staff-already-signed-in',
          `${staff.name} is signed in at counter ${n}: close it first.`,
        );
      }
      return accept({
        type: 'counter:opened',
        at: now,
        counterId: counter.id,
        staffId,
        staffName: staff.name,
        staffBadge: staff.badge,
      });
    }

    case 'counter:call-next': {
      return withCounterAt(state, cmd.counterId, actor, (c) => {
        const notReady = readyToCall(c);
        if (notReady) return notReady;
        const t = nextFor(state, c.counter.id);
        if (!t) return reject('queue-empty', `Nobody is waiting for counter ${c.counter.number}.`);
        return accept(callEvent(c, t, 0, now));
      });
    }

    case 'counter:call': {
      return withCounterAt(state, cmd.counterId, actor, (c) => {
        const notReady = readyToCall(c);
        if (notReady) return notReady;
        const t = state.tickets.get(cmd.ticketId);
        if (!t) return reject('unknown-ticket', `No ticket ${cmd.ticketId}.`);
        if (t.status === 'called' || t.status === 'serving') {
          const at = state.config.counters.find((x) => x.id === t.counterId)?.number;
          return reject('ticket-not-waiting', `Ticket ${t.number} is already called to counter ${at}.`);
        }
        if (t.status !== 'waiting')
          return reject('ticket-finished', `Ticket ${t.number} is already finished.`);
        if (!eligible(state, c.counter.id, t))
          return reject(
            'counter-does-not-serve',
            `Counter ${c.counter.number} does not serve ticket ${t.number}.`,
          );
        return accept(callEvent(c, t, 0, now));
      });
    }

    case 'counter:recall': {
      return withTicketAt(state, cmd.counterId, actor, (c, t) => {
        if (t.status !== 'called')
          return reject('already-serving', `Ticket ${t.number} is already being served.`);
        return accept(callEvent(c, t, t.recalls + 1, now));
      });
    }

    case 'counter:start': {
      return withTicketAt(state, cmd.counterId, actor, (c, t) => {
        if (t.status !== 'called')
          return reject('already-serving', `Ticket ${t.number} is already being served.`);
        return accept({
          type: 'ticket:started',
          at: now,
          ...ref(t),
          counterId: c.counter.id,
          staffId: c.status.staffId,
        });
      });
    }

    case 'counter:complete': {
      return withTicketAt(state, cmd.counterId, actor, (c, t) => {
        return accept({
          type: 'ticket:completed',
          at: now,
          ...ref(t),
          counterId: c.counter.id,
          staffId: c.status.staffId,
          outcome: cmd.outcome,
        });
      });
    }

    case 'counter:no-show': {
      return withTicketAt(state, cmd.counterId, actor, (c, t) => {
        if (t.status !== 'called')
          return reject(
            'already-serving',
            `Ticket ${t.number} came and is being served: complete it instead.`,
          );
        return accept({ type: 'ticket:no-show', at: now, ...ref(t), counterId: c.counter.id });
      });
    }

    case 'counter:transfer': {
      return withTicketAt(state, cmd.counterId, actor, (c, t) => {
        let toServiceId: Id;
        if ('serviceId' in cmd.to) {
          const sid = cmd.to.serviceId;
          if (!state.config.services.some((s) => s.id === sid))
            return reject('unknown-service', `No service ${sid} in this hall.`);
          toServiceId = sid;
        } else {
          const target = cmd.to.counterId;
          if (!state.counters.get(target))
            return reject('unknown-counter', `No counter ${target} in this hall.`);
          if (target === c.counter.id)
            return reject('invalid-target', 'A ticket cannot be transferred to the counter it is at.');
          toServiceId = t.serviceId;
        }
        return accept({
          type: 'ticket:transferred',
          at: now,
          ...ref(t),
          counterId: c.counter.id,
          toServiceId,
          to: cmd.to,
          staffId: c.status.staffId,
          note: cmd.note,
        });
      });
    }

    case 'counter:requeue': {
      return withTicketAt(state, cmd.counterId, actor, (c, t) => {
        return accept({ type: 'ticket:requeued', at: now, ...ref(t), counterId: c.counter.id });
      });
    }

    case 'counter:pause': {
      return withCounterAt(state, cmd.counterId, actor, (c) => {
        const notReady = readyToCall(c);
        if (notReady) return notReady;
        return accept({ type: 'counter:paused', at: now, counterId: c.counter.id, reason: cmd.reason });
      });
    }

    case 'counter:resume': {
      return withCounterAt(state, cmd.counterId, actor, (c) => {
        if (c.status.state !== 'paused')
          return reject('counter-not-paused', `Counter ${c.counter.number} is not paused.`);
        return accept({ type: 'counter:resumed', at: now, counterId: c.counter.id });
      });
    }

    case 'counter:close': {
      return withCounterAt(state, cmd.counterId, actor, (c) => {
        if (c.status.state === 'closed')
          return reject('counter-closed', `Counter ${c.counter.number} is closed.`);
        if (c.status.ticketId !== null)
          return reject('counter-busy', `Counter ${c.counter.number} still has a ticket: finish it first.`);
        return accept({ type: 'counter:closed', at: now, counterId: c.counter.id });
      });
    }

    case 'counter:set-services': {
      const denied = managerOnly(state, actor);
      if (denied) return denied;
      const counter = state.config.counters.find((c) => c.id === cmd.counterId);
      if (!counter) return reject('unknown-counter', `No counter ${cmd.counterId} in this hall.`);
      const unknown = cmd.serviceIds.find((id) => !state.config.services.some((s) => s.id === id));
      if (unknown) return reject('unknown-service', `No service ${unknown} in this hall.`);
      return accept({
        type: 'counter:services-changed',
        at: now,
        counterId: counter.id,
        serviceIds: [...new Set(cmd.serviceIds)],
      });
    }

    case 'ticket:move': {
      const denied = managerOnly(state, actor);
      if (denied) return denied;
      const t = state.tickets.get(cmd.ticketId);
      if (!t) return reject('unknown-ticket', `No ticket ${cmd.ticketId}.`);
      if (t.status !== 'waiting') return reject('ticket-not-waiting', `Ticket ${t.number} is not waiting.`);
      let toServiceId = t.serviceId;
      let targetCounterId: Id | null = null;
      if ('serviceId' in cmd.to) {
        const sid = cmd.to.serviceId;
        if (!state.config.services.some((s) => s.id === sid))
          return reject('unknown-service', `No service ${sid} in this hall.`);
        toServiceId = sid;
      } else {
        if (!state.counters.get(cmd.to.counterId))
          return reject('unknown-counter', `No counter ${cmd.to.counterId} in this hall.`);
        targetCounterId = cmd.to.counterId;
      }
      return accept({
        type: 'ticket:moved',
        at: now,
        ...ref(t),
        toServiceId,
        targetCounterId,
        staffId: actor.kind === 'staff' ? actor.staffId : null,
      });
    }

    case 'service:set-issuing': {
      const denied = managerOnly(state, actor);
      if (denied) return denied;
      if (!state.config.services.some((s) => s.id === cmd.serviceId))
        return reject('unknown-service', `No service ${cmd.serviceId} in this hall.`);
      if (state.issuingPaused.includes(cmd.serviceId) !== cmd.open) return accept();
      return accept({ type: 'service:issuing-changed', at: now, serviceId: cmd.serviceId, open: cmd.open });
    }

    case 'hall:post-notice': {
      const denied = managerOnly(state, actor);
      if (denied) return denied;
      return accept({ type: 'hall:notice-posted', at: now, noticeId: env.id, text: cmd.text });
    }

    case 'hall:remove-notice': {
      const denied = managerOnly(state, actor);
      if (denied) return denied;
      if (!state.notices.some((n) => n.id === cmd.noticeId))
        return reject('not-found', `No notice ${cmd.noticeId}.`);
      return accept({ type: 'hall:notice-removed', at: now, noticeId: cmd.noticeId });
    }

    case 'counter:check-absence': {
      const status = state.counters.get(cmd.counterId);
      if (!status) return reject('unknown-counter', `No counter ${cmd.counterId} in this hall.`);
      // A timer from an earlier pause, or one already reported, changes nothing (timers may fire twice).
      if (status.state !== 'paused' || status.since !== cmd.pausedAt || status.absenceExceeded)
        return accept();
      // A timer delivered early (another node's clock) is not yet an absence.
      if (now < cmd.pausedAt + ABSENCE_LIMIT_MS) return accept();
      return accept({
        type: 'counter:absence-exceeded',
        at: now,
        counterId: cmd.counterId,
        staffId: status.staffId,
        pausedAt: cmd.pausedAt,
      });
    }
  }
}
