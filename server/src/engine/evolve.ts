import type { ApplicantOnFile, CounterStatus, HallEvent, Id, Ticket } from '@yichuang/protocol';
import {
  accountOf,
  maskApplicant,
  callRecord,
  estimateKey,
  leaveOf,
  publicEmergencyOf,
  requeue,
  sessionsCarried,
  SESSION_MAX_MS,
  withCall,
  withSessionEvent,
  copyOf,
  type Account,
} from '@yichuang/protocol';
import { applyAlertEvent } from './alerts.js';
import { applyCaseEvent, keptCases } from './cases.js';
import { applyNotice, keptNotices } from './notices.js';
import { localDay } from './local-day.js';
import { holdersOf, MAX_NOTICES, type HallState } from './state.js';

/** A copy of `map` with `id` set to `value`. */
const put = <V>(map: ReadonlyMap<Id, V>, id: Id, value: V): ReadonlyMap<Id, V> => copyOf(map).set(id, value);

/** Puts a ticket, keeping the waiting index in step with its status. */
function putTicket(state: HallState, t: Ticket): HallState {
  const queues = requeue(state.queues, state.tickets.get(t.id), t);
  return { ...state, tickets: state.tickets.set(t.id, t), queues };
}

function withTicket(state: HallState, id: Id, patch: Partial<Ticket>): HallState {
  const t = state.tickets.get(id);
  if (!t) return state;
  return putTicket(state, { ...t, ...patch });
}

function withCounter(state: HallState, id: Id, patch: Partial<CounterStatus>): HallState {
  const c = state.counters.get(id);
  if (!c) return state;
  return { ...state, counters: put(state.counters, id, { ...c, ...patch }) };
}

/** A counter someone attends: no absence runs. */
const PRESENT = { absentSince: null, absentMs: 0, absenceExceeded: false } as const;

/** Frees the counter that held a ticket: it is open again, with nothing at it. */
function release(state: HallState, counterId: Id, at: number): HallState {
  return withCounter(state, counterId, { state: 'open', ticketId: null, since: at });
}

/**
 * Applies one event to the state. Events are facts the engine already decided, so this never
 * rejects; replaying a log through it rebuilds the state exactly. It returns its input when the
 * event changes nothing, and otherwise a state made in this call, never one kept from before
 * (`applyEvents` stamps the version on that new state in place).
 */
export function evolve(state: HallState, e: HallEvent): HallState {
  const next = applyEvent(rollover(state, localDay(e.at, state.config.timeZone)), e);
  // R5, R6: who sits at which counter, with their pauses (attendance's facts).
  const counterSessions = withSessionEvent(next.counterSessions, e);
  return counterSessions === next.counterSessions ? next : { ...next, counterSessions };
}

const FINISHED: ReadonlySet<Ticket['status']> = new Set([
  'completed',
  'no-show',
  'cancelled',
  'carried-over',
]);

/**
 * #14: whether an event of local day `next` ends the hall's day `current`: the first event of a later
 * day does (nothing has ended before the first day began, and a clock stepping back ends nothing).
 */
export const endsDay = (current: string, next: string) => current !== '' && next > current;

/**
 * On the first event of a new local day the live state lets go of the finished tickets of earlier
 * days and of yesterday's calls: the state is today's hall, the log keeps the history. A clock
 * that steps back across midnight prunes nothing.
 */
function rollover(state: HallState, day: string): HallState {
  if (state.day === '') return { ...state, day };
  if (!endsDay(state.day, day)) return state;
  const tickets = state.tickets.filter((t) => !(FINISHED.has(t.status) && t.day < day));
  // R9: an applicant's details go with their ticket (the log keeps them until it is archived, #14).
  const applicants = state.applicants.filter((_a, id) => tickets.has(id));
  const ratingsOpen = state.ratingsOpen.filter((_, id) => tickets.has(id));
  const handled = state.handled.filter((h) => h.day >= day);
  const numberBlocks = state.numberBlocks.filter((b) => b.day >= day);
  // Open alerts carry over; the resolved ones are history (the log keeps them).
  const alerts = new Map([...state.alerts].filter(([, a]) => a.resolvedAt === null));
  const carryOvers = new Map([...state.carryOvers].filter(([, c]) => c.validUntil >= day));
  const leave = new Map([...state.leave].filter(([, l]) => l.to >= day));
  // The day's sittings are history (#14 archives them); those still open go on.
  const counterSessions = sessionsCarried(state.counterSessions);
  // A session signed out long enough ago has no token left that could still be used.
  const signedOut = new Map([...state.signedOut].filter(([, at]) => at > state.lastAt - SESSION_MAX_MS));
  return {
    ...state,
    day,
    tickets,
    recentCalls: [],
    handled,
    numberBlocks,
    alerts,
    closingChecks: [],
    carryOvers,
    leave,
    counterSessions,
    signedOut,
    applicants,
    idHolders: holdersOf(applicants),
    ratingsOpen,
    cases: keptCases(state, day),
    writtenNotices: keptNotices(state, day),
  };
}

/** #12: the applicant of a new ticket, on file, and indexed by ID hash for the one-ticket rule. */
function withApplicant(state: HallState, ticketId: Id, a: ApplicantOnFile): HallState {
  const idHolders = a.idHash
    ? state.idHolders.set(a.idHash, [...(state.idHolders.get(a.idHash) ?? []), ticketId])
    : state.idHolders;
  return { ...state, applicants: state.applicants.set(ticketId, a), idHolders };
}

/** R8: a staff account changed by a manager or admin (the guards made sure they are staff of the hall). */
function withAccount(state: HallState, staffId: Id, change: Partial<Account>): HallState {
  const account = accountOf(state.config, state.accounts, staffId);
  if (!account) return state;
  return { ...state, accounts: put(state.accounts, staffId, { ...account, ...change }) };
}

function applyEvent(state: HallState, e: HallEvent): HallState {
  switch (e.type) {
    case 'ticket:issued': {
      const ticket: Ticket = {
        id: e.ticketId,
        number: e.number,
        seq: e.seq,
        day: e.day,
        serviceId: e.serviceId,
        priority: e.priority,
        channel: e.channel,
        status: 'waiting',
        issuedAt: e.issuedAt ?? e.at,
        queuedAt: e.issuedAt ?? e.at,
        calledAt: null,
        startedAt: null,
        endedAt: null,
        counterId: null,
        targetCounterId: null,
        recalls: 0,
        transfers: [],
        firstContactStaffId: null,
        servedByStaffId: null,
        outcome: null,
        offline: e.offline ?? false,
        appointmentAt: e.appointmentAt ?? null,
        rating: null,
        ratingNotGiven: false,
        carryOver: null,
        carriedFrom: e.carriedFrom ?? null,
        applicant: maskApplicant(e.applicant),
        notices: [],
        firstCalledAt: null,
      };
      if (e.applicant) state = withApplicant(state, e.ticketId, e.applicant);
      const c = e.carriedFrom ? state.carryOvers.get(e.carriedFrom) : undefined;
      if (c)
        state = { ...state, carryOvers: put(state.carryOvers, c.code, { ...c, redeemedBy: e.ticketId }) };
      if (e.offline) {
        // A number of a reserved block: the block remembers it, the day's sequence goes on below it.
        const numberBlocks = state.numberBlocks.map((b) =>
          b.serviceId === e.serviceId && b.from <= e.seq && e.seq <= b.to
            ? { ...b, used: [...b.used, e.seq] }
            : b,
        );
        return { ...putTicket(state, ticket), numberBlocks };
      }
      return {
        ...putTicket(state, ticket),
        numbering: put(state.numbering, e.serviceId, { day: e.day, last: e.seq }),
      };
    }
    case 'ticket:called': {
      const s = withTicket(state, e.ticketId, {
        status: 'called',
        counterId: e.counterId,
        calledAt: e.recalls === 0 ? e.at : (state.tickets.get(e.ticketId)?.calledAt ?? e.at),
        // #14: the applicant's wait ends at their first call, whatever transfers come after.
        firstCalledAt: state.tickets.get(e.ticketId)?.firstCalledAt ?? e.at,
        recalls: e.recalls,
      });
      const called = withCounter(s, e.counterId, {
        state: 'calling',
        ticketId: e.ticketId,
        since: e.recalls === 0 ? e.at : (s.counters.get(e.counterId)?.since ?? e.at),
        // R6: a counter that calls is attended: its absence, if any, is over.
        ...PRESENT,
      });
      // Special-care calls in a row at this counter (a recall is not a new call).
      const was = state.specialRuns.get(e.counterId) ?? 0;
      const special = state.tickets.get(e.ticketId)?.priority === 'special-care';
      const run = e.recalls > 0 ? was : special ? was + 1 : 0;
      return {
        ...called,
        recentCalls: withCall(called.recentCalls, callRecord(e)),
        // Most calls leave the run at 0: no copy then.
        specialRuns: run === was ? state.specialRuns : put(state.specialRuns, e.counterId, run),
      };
    }
    case 'ticket:started': {
      const t = state.tickets.get(e.ticketId);
      const s = withTicket(state, e.ticketId, {
        status: 'serving',
        startedAt: e.at,
        servedByStaffId: e.staffId,
        firstContactStaffId: t?.firstContactStaffId ?? e.staffId,
      });
      return withCounter(s, e.counterId, { state: 'serving', since: e.at });
    }
    case 'ticket:completed': {
      const t = state.tickets.get(e.ticketId);
      const s = withTicket(state, e.ticketId, {
        status: 'completed',
        endedAt: e.at,
        outcome: e.outcome,
        startedAt: t?.startedAt ?? e.at,
        servedByStaffId: t?.servedByStaffId ?? e.staffId,
        firstContactStaffId: t?.firstContactStaffId ?? e.staffId,
      });
      const estimates = copyOf(state.estimates);
      if (e.handling) estimates.set(estimateKey(e.serviceId, null), e.handling);
      if (e.staffHandling && e.staffId) estimates.set(estimateKey(e.serviceId, e.staffId), e.staffHandling);
      // R34: the applicant may rate it until the window closes.
      const ratingsOpen = state.ratingsOpen.set(e.ticketId, e.at);
      return release({ ...s, estimates, ratingsOpen }, e.counterId, e.at);
    }
    case 'ticket:no-show':
      return release(withTicket(state, e.ticketId, { status: 'no-show', endedAt: e.at }), e.counterId, e.at);
    case 'ticket:transferred': {
      const t = state.tickets.get(e.ticketId);
      if (!t) return state;
      const s = withTicket(state, e.ticketId, {
        status: 'waiting',
        serviceId: e.toServiceId,
        counterId: null,
        targetCounterId: 'counterId' in e.to ? e.to.counterId : null,
        calledAt: null,
        startedAt: null,
        recalls: 0,
        firstContactStaffId: t.firstContactStaffId ?? e.staffId,
        transfers: [
          ...t.transfers,
          {
            at: e.at,
            fromCounterId: e.counterId,
            fromServiceId: e.serviceId,
            to: e.to,
            staffId: e.staffId,
            note: e.note,
          },
        ],
      });
      return release(s, e.counterId, e.at);
    }
    case 'ticket:requeued':
      return release(
        withTicket(state, e.ticketId, {
          status: 'waiting',
          counterId: null,
          calledAt: null,
          startedAt: null,
        }),
        e.counterId,
        e.at,
      );
    case 'ticket:cancelled':
      return withTicket(state, e.ticketId, { status: 'cancelled', endedAt: e.at });
    // The reveal is a record of who saw what and why; it changes nothing in the hall.
    case 'ticket:applicant-revealed':
      return state;
    case 'ticket:carried-over': {
      const t = state.tickets.get(e.ticketId);
      const s = withTicket(state, e.ticketId, { status: 'carried-over', endedAt: e.at, carryOver: e.code });
      const carryOver = {
        code: e.code,
        ticketId: e.ticketId,
        number: e.number,
        serviceId: e.serviceId,
        day: t?.day ?? e.code.slice(0, 8),
        validUntil: e.validUntil,
        redeemedBy: null,
      };
      return { ...s, carryOvers: put(s.carryOvers, e.code, carryOver) };
    }
    case 'counter:opened':
      return withCounter(state, e.counterId, {
        state: 'open',
        staffId: e.staffId,
        ticketId: null,
        since: e.at,
        pauseReason: null,
        pauseNote: '',
        check: e.check ?? null,
        ...PRESENT,
      });
    case 'counter:paused': {
      const c = state.counters.get(e.counterId);
      return withCounter(state, e.counterId, {
        state: 'paused',
        pauseReason: e.reason,
        pauseNote: e.note ?? '',
        since: e.at,
        // R6: pause, resume, pause with nothing served between is one absence.
        absentSince: c?.absentSince ?? e.at,
      });
    }
    case 'counter:resumed': {
      const c = state.counters.get(e.counterId);
      return withCounter(state, e.counterId, {
        state: 'open',
        pauseReason: null,
        pauseNote: '',
        since: e.at,
        absentMs: (c?.absentMs ?? 0) + (c?.state === 'paused' ? e.at - c.since : 0),
      });
    }
    case 'counter:closed':
      return withCounter(state, e.counterId, {
        state: 'closed',
        staffId: null,
        ticketId: null,
        pauseReason: null,
        pauseNote: '',
        since: e.at,
        ...PRESENT,
      });
    case 'counter:covered':
      return withCounter(state, e.counterId, {
        state: 'open',
        staffId: e.staffId,
        ticketId: null,
        pauseReason: null,
        pauseNote: '',
        since: e.at,
        ...PRESENT,
      });
    case 'counter:absence-exceeded':
      return withCounter(state, e.counterId, { absenceExceeded: true });
    case 'alert:raised': {
      const s = applyAlertEvent(state, e);
      return e.kind === 'absence' && e.counterId ? withCounter(s, e.counterId, { absenceExceeded: true }) : s;
    }
    case 'alert:acknowledged':
    case 'alert:assigned':
    case 'alert:escalated':
    case 'alert:resolved':
      return applyAlertEvent(state, e);
    case 'counter:services-changed':
      return withCounter(state, e.counterId, { serviceIds: [...e.serviceIds] });
    case 'ticket:moved':
      return withTicket(state, e.ticketId, { serviceId: e.toServiceId, targetCounterId: e.targetCounterId });
    case 'service:issuing-changed':
      return {
        ...state,
        issuingPaused: e.open
          ? state.issuingPaused.filter((id) => id !== e.serviceId)
          : [...state.issuingPaused, e.serviceId],
      };
    case 'hall:notice-posted':
      return {
        ...state,
        notices: [{ id: e.noticeId, text: e.text, at: e.at }, ...state.notices].slice(0, MAX_NOTICES),
      };
    case 'hall:notice-removed':
      return { ...state, notices: state.notices.filter((n) => n.id !== e.noticeId) };
    case 'hall:emergency-declared':
      return {
        ...state,
        emergency: { ...publicEmergencyOf(e), declaredBy: e.staffId, receipts: [] },
      };
    case 'hall:emergency-shown':
      if (state.emergency?.id !== e.emergencyId) return state;
      return {
        ...state,
        emergency: {
          ...state.emergency,
          receipts: [...state.emergency.receipts, { screen: e.screen, kind: e.kind, at: e.at }],
        },
      };
    case 'hall:emergency-cleared':
      return state.emergency?.id === e.emergencyId ? { ...state, emergency: null } : state;
    case 'hall:closing-forecast':
      return { ...state, closingChecks: [...state.closingChecks, `${e.closesAt}:${e.mark}`] };
    case 'staff:leave-recorded':
      return {
        ...state,
        leave: put(state.leave, e.leaveId, leaveOf(e)),
      };
    case 'staff:leave-cancelled': {
      const leave = new Map(state.leave);
      leave.delete(e.leaveId);
      return { ...state, leave };
    }
    case 'staff:deactivated':
      return withAccount(state, e.staffId, { active: false, note: e.note, sessionsFrom: e.at });
    case 'staff:reactivated':
      return withAccount(state, e.staffId, { active: true, note: '' });
    case 'staff:roles-changed':
      return withAccount(state, e.staffId, { roles: [...e.roles], sessionsFrom: e.at });
    case 'staff:sessions-ended':
      if (e.sessionId === null) return withAccount(state, e.staffId, { sessionsFrom: e.at });
      return { ...state, signedOut: put(state.signedOut, e.sessionId, e.at) };
    case 'device:deactivated':
      return {
        ...state,
        deviceBlocks: put(state.deviceBlocks, e.deviceId, { deviceId: e.deviceId, at: e.at, note: e.note }),
      };
    case 'device:reactivated': {
      const deviceBlocks = new Map(state.deviceBlocks);
      deviceBlocks.delete(e.deviceId);
      return { ...state, deviceBlocks };
    }
    case 'hall:routing-changed':
      return { ...state, routing: { policy: e.policy, specialCareRun: e.specialCareRun } };
    case 'ticket:rated':
      return {
        ...withTicket(state, e.ticketId, {
          rating: { level: e.level, comment: e.comment, aspects: e.aspects ?? [], at: e.at },
        }),
        ratingsOpen: state.ratingsOpen.delete(e.ticketId),
      };
    case 'service:catalogue-set':
      return { ...state, catalogues: put(state.catalogues, e.serviceId, e.catalogue) };
    case 'ticket:notice-issued': {
      const t = state.tickets.get(e.ticketId);
      return applyNotice(t ? withTicket(state, t.id, { notices: [...t.notices, e.noticeId] }) : state, e);
    }
    case 'case:opened':
    case 'case:assigned':
    case 'case:step-recorded':
    case 'case:closed':
    case 'case:reminded':
    case 'case:deadline-missed':
    case 'case:applicant-revealed':
      return applyCaseEvent(state, e);
    case 'ticket:rating-not-given':
      return {
        ...withTicket(state, e.ticketId, { ratingNotGiven: true }),
        ratingsOpen: state.ratingsOpen.delete(e.ticketId),
      };
    case 'numbers:reserved':
      return {
        ...state,
        numberBlocks: [
          ...state.numberBlocks,
          { deviceId: e.deviceId, serviceId: e.serviceId, day: e.day, from: e.from, to: e.to, used: [] },
        ],
      };
    case 'device:health-changed':
      return {
        ...state,
        deviceHealth: put(state.deviceHealth, e.deviceId, {
          online: e.online,
          faults: [...e.faults],
          since: e.at,
        }),
      };
  }
}
