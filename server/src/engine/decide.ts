import type {
  Actor,
  ApplicantOnFile,
  Command,
  CounterStatus,
  ErrorBody,
  ErrorCode,
  HallEvent,
  Id,
  Ticket,
} from '@yichuang/protocol';
import {
  addDays,
  CARRY_OVER_DAYS,
  EMERGENCY_PLAYBOOK,
  MAX_RECEIPTS,
  atRiskAtClosing,
  channelFor,
  estimateKey,
  failedItems,
  issuingAt,
  learn,
  priorEstimate,
  onFile,
  refusal,
  someoneWaitsFor,
  ticketAt,
} from '@yichuang/protocol';
import { alertEffects, deviceNeedsAlert, openAlerts, raised, settled } from './alerts.js';
import { badReviewCase, caseEffects } from './cases.js';
import { noticeEffects } from './notices.js';
import { localDay } from './local-day.js';
import { factsOf } from './facts.js';
import { nextFor } from './policies/routing.js';
import type { Handled, HallState } from './state.js';

/**
 * A command with who sent it, the fresh id the shell drew for anything it creates, and the
 * client's idempotency key if it sent one.
 */
export type CommandEnvelope = { command: Command; actor: Actor; id: Id; key?: string };

/**
 * The engine's answer: the events to record (none, with `replayOf`, for a retry of a keyed command
 * already acted on), or why nothing happens.
 */
export type Decision =
  { ok: true; events: HallEvent[]; replayOf?: Handled } | { ok: false; error: ErrorBody };

/** Ticket numbers are the prefix and three digits, so 999 a day per service. */
export const MAX_NUMBER = 999;

const reject = (code: ErrorCode, message: string): Decision => ({ ok: false, error: { code, message } });
const accept = (...events: HallEvent[]): Decision => ({ ok: true, events });

const ref = (t: Ticket) => ({ ticketId: t.id, number: t.number, serviceId: t.serviceId });

/** #12, R9: the applicant the log keeps for a new ticket (`onFile`), when one gave any details. */
function applicantOf(a: ApplicantOnFile | undefined): { applicant?: ApplicantOnFile } {
  const kept = a && onFile(a);
  return kept && Object.keys(kept).length > 0 ? { applicant: kept } : {};
}

/** The numbers of `serviceId` reserved for gateway `deviceId` on `day` that it has not issued yet. */
function unusedOf(state: HallState, deviceId: Id, serviceId: Id, day: string): number {
  let n = 0;
  for (const b of state.numberBlocks)
    if (b.deviceId === deviceId && b.serviceId === serviceId && b.day === day)
      n += b.to - b.from + 1 - b.used.length;
  return n;
}

/** The highest number a service may issue normally today: below every block reserved for gateways. */
function ceiling(state: HallState, serviceId: Id, day: string): number {
  let top = MAX_NUMBER;
  for (const b of state.numberBlocks)
    if (b.serviceId === serviceId && b.day === day && b.from <= top) top = b.from - 1;
  return top;
}

/**
 * Decides what a command does to a hall at instant `now`. Pure: the same state, command and
 * instant always give the same answer. The hall's rules (`refusal`, shared with the screens)
 * say whether it may happen; `effects` says what it records. It never throws on a validated command.
 */
export function decide(state: HallState, env: CommandEnvelope, now: number): Decision {
  const done = env.key ? state.handled.get(env.key) : undefined;
  if (done) return { ok: true, events: [], replayOf: done };
  const refused = refusal(factsOf(state), env.actor, env.command);
  if (refused) return { ok: false, error: refused };
  const decision = effects(state, env, now);
  // Whatever a command did, the alerts whose cause it ended are resolved by the hall with it.
  if (decision.ok && decision.events.length > 0)
    decision.events.push(...settled(state, decision.events, now));
  return decision;
}

const MINUTE = 60_000;
/** Who a staff actor is (null for devices, the public and the scheduler). */
const staffIdOf = (actor: Actor) => (actor.kind === 'staff' ? actor.staffId : null);

/** The ticket at a counter the rules found one at. */
const current = (state: HallState, counterId: Id) => ticketAt(factsOf(state), counterId)!;
/** Who is signed in at a counter. */
const staffAt = (state: HallState, counterId: Id) => state.counters.get(counterId)!.staffId;

/** The call (or recall) of ticket `t` to a counter. */
function called(state: HallState, now: number, counterId: Id, t: Ticket, recalls: number): HallEvent {
  return {
    type: 'ticket:called',
    at: now,
    ...ref(t),
    counterId,
    counterNumber: state.config.counters.find((c) => c.id === counterId)!.number,
    staffId: staffAt(state, counterId),
    recalls,
  };
}

/** The events of a command the rules accepted: every record it names exists and is in the right state. */
function effects(state: HallState, env: CommandEnvelope, now: number): Decision {
  const { command: cmd, actor } = env;
  const by = staffIdOf(actor);
  switch (cmd.type) {
    case 'ticket:issue': {
      const service = state.config.services.find((s) => s.id === cmd.serviceId)!;
      const closed = outsideIssuingHours(state, actor, now);
      if (closed) return { ok: false, error: closed };
      const day = localDay(now, state.config.timeZone);
      const numbering = state.numbering.get(service.id);
      const seq = numbering?.day === day ? numbering.last + 1 : 1;
      if (seq > ceiling(state, service.id, day))
        return reject('numbers-exhausted', `All ${MAX_NUMBER} numbers of ${service.name} are issued today.`);
      // R26: a carry-over code is good from the day after it was given until it expires.
      const carried = cmd.carryOver === undefined ? undefined : state.carryOvers.get(cmd.carryOver)!;
      if (carried && (day <= carried.day || day > carried.validUntil))
        return reject(
          'carry-over-not-valid',
          `Carry-over code ${carried.code} is good from the day after ${carried.day} until ${carried.validUntil}.`,
        );
      return accept({
        type: 'ticket:issued',
        at: now,
        ticketId: env.id,
        number: `${service.prefix}${String(seq).padStart(3, '0')}`,
        serviceId: service.id,
        seq,
        day,
        // The applicant who was sent home comes back with an appointment's head start.
        priority: carried ? 'appointment' : cmd.priority,
        channel: channelFor(factsOf(state), actor),
        ...(cmd.appointmentAt === undefined ? {} : { appointmentAt: cmd.appointmentAt }),
        ...(carried ? { carriedFrom: carried.code } : {}),
        ...applicantOf(cmd.applicant),
      });
    }
    case 'ticket:reveal-applicant':
      return accept({
        type: 'ticket:applicant-revealed',
        at: now,
        ...ref(state.tickets.get(cmd.ticketId)!),
        staffId: by!,
        reason: cmd.reason,
      });
    case 'ticket:carry-over': {
      const day = localDay(now, state.config.timeZone);
      return accept(
        ...[...new Set(cmd.ticketIds)].map((id): HallEvent => {
          const t = state.tickets.get(id)!;
          return {
            type: 'ticket:carried-over',
            at: now,
            ...ref(t),
            code: `${t.day.replaceAll('-', '')}-${t.number}`,
            validUntil: addDays(day, CARRY_OVER_DAYS),
          };
        }),
      );
    }
    case 'ticket:cancel':
      return accept({ type: 'ticket:cancelled', at: now, ...ref(state.tickets.get(cmd.ticketId)!) });
    case 'counter:open': {
      const staffId = cmd.staffId ?? (actor as Extract<Actor, { kind: 'staff' }>).staffId;
      const staff = state.config.staff.find((s) => s.id === staffId)!;
      const opened: HallEvent = {
        type: 'counter:opened',
        at: now,
        counterId: cmd.counterId,
        staffId,
        staffName: staff.name,
        staffBadge: staff.badge,
        ...(cmd.check ? { check: cmd.check } : {}),
      };
      // R17: a counter may open with an item failing (the clerk can still serve), but the manager knows.
      const failed = cmd.check ? failedItems(cmd.check) : [];
      if (failed.length === 0) return accept(opened);
      return accept(
        opened,
        raised(
          env.id,
          {
            kind: 'pre-shift-fault',
            severity: 'warning',
            counterId: cmd.counterId,
            staffId,
            detail: failed.join(','),
            note: cmd.check!.note,
          },
          now,
        ),
      );
    }
    case 'counter:call-next':
      return accept(called(state, now, cmd.counterId, nextFor(state, cmd.counterId, now)!, 0));
    case 'counter:call':
      return accept(called(state, now, cmd.counterId, state.tickets.get(cmd.ticketId)!, 0));
    case 'counter:recall': {
      const t = current(state, cmd.counterId);
      return accept(called(state, now, cmd.counterId, t, t.recalls + 1));
    }
    case 'counter:start':
      return accept({
        type: 'ticket:started',
        at: now,
        ...ref(current(state, cmd.counterId)),
        counterId: cmd.counterId,
        staffId: staffAt(state, cmd.counterId),
      });
    case 'counter:complete': {
      const t = current(state, cmd.counterId);
      const staffId = staffAt(state, cmd.counterId);
      // Every service teaches the hall how long this service takes, and this staff member.
      const minutes = (now - (t.startedAt ?? t.calledAt ?? now)) / 60_000;
      const prior = priorEstimate(state.config.services.find((s) => s.id === t.serviceId)!.expectedMinutes);
      const own = (staffId: Id | null) => state.estimates.get(estimateKey(t.serviceId, staffId)) ?? prior;
      return accept({
        type: 'ticket:completed',
        at: now,
        ...ref(t),
        counterId: cmd.counterId,
        staffId,
        outcome: cmd.outcome,
        handling: learn(own(null), minutes),
        staffHandling: staffId === null ? null : learn(own(staffId), minutes),
      });
    }
    case 'counter:no-show':
      return accept({
        type: 'ticket:no-show',
        at: now,
        ...ref(current(state, cmd.counterId)),
        counterId: cmd.counterId,
      });
    case 'counter:transfer': {
      const t = current(state, cmd.counterId);
      return accept({
        type: 'ticket:transferred',
        at: now,
        ...ref(t),
        counterId: cmd.counterId,
        toServiceId: 'serviceId' in cmd.to ? cmd.to.serviceId : t.serviceId,
        to: cmd.to,
        staffId: staffAt(state, cmd.counterId),
        note: cmd.note,
      });
    }
    case 'counter:requeue':
      return accept({
        type: 'ticket:requeued',
        at: now,
        ...ref(current(state, cmd.counterId)),
        counterId: cmd.counterId,
      });
    case 'counter:pause':
      return accept({
        type: 'counter:paused',
        at: now,
        counterId: cmd.counterId,
        reason: cmd.reason,
        ...(cmd.note ? { note: cmd.note } : {}),
      });
    case 'counter:report-incident':
      return accept(
        raised(
          env.id,
          {
            kind: 'incident',
            severity: 'critical',
            counterId: cmd.counterId,
            staffId: staffAt(state, cmd.counterId) ?? staffIdOf(actor),
            detail: cmd.kind,
            note: cmd.note,
          },
          now,
        ),
      );
    case 'alert:acknowledge':
    case 'alert:assign':
    case 'alert:resolve':
    case 'alert:check-escalation':
      return accept(...alertEffects(state, cmd, staffIdOf(actor), now));
    case 'counter:resume':
      return accept({ type: 'counter:resumed', at: now, counterId: cmd.counterId });
    case 'counter:close':
      return accept({ type: 'counter:closed', at: now, counterId: cmd.counterId });
    case 'counter:set-services':
      return accept({
        type: 'counter:services-changed',
        at: now,
        counterId: cmd.counterId,
        serviceIds: [...new Set(cmd.serviceIds)],
      });
    case 'ticket:move': {
      const t = state.tickets.get(cmd.ticketId)!;
      return accept({
        type: 'ticket:moved',
        at: now,
        ...ref(t),
        toServiceId: 'serviceId' in cmd.to ? cmd.to.serviceId : t.serviceId,
        targetCounterId: 'counterId' in cmd.to ? cmd.to.counterId : null,
        staffId: actor.kind === 'staff' ? actor.staffId : null,
      });
    }
    case 'service:set-issuing':
      if (state.issuingPaused.includes(cmd.serviceId) !== cmd.open) return accept();
      return accept({ type: 'service:issuing-changed', at: now, serviceId: cmd.serviceId, open: cmd.open });
    case 'hall:set-routing': {
      const routing = {
        policy: cmd.policy,
        specialCareRun: cmd.specialCareRun ?? state.routing.specialCareRun,
      };
      if (routing.policy === state.routing.policy && routing.specialCareRun === state.routing.specialCareRun)
        return accept();
      return accept({ type: 'hall:routing-changed', at: now, ...routing });
    }
    case 'hall:declare-emergency': {
      const playbook = EMERGENCY_PLAYBOOK[cmd.kind];
      return accept({
        type: 'hall:emergency-declared',
        at: now,
        emergencyId: env.id,
        kind: cmd.kind,
        text: cmd.text,
        stopsIssuing: cmd.stopIssuing ?? playbook.stopsIssuing,
        evacuate: playbook.evacuate,
        staffId: staffIdOf(actor),
      });
    }
    case 'hall:all-clear':
      return accept({
        type: 'hall:emergency-cleared',
        at: now,
        emergencyId: cmd.emergencyId,
        staffId: staffIdOf(actor),
      });
    case 'hall:emergency-shown': {
      const receipts = state.emergency!.receipts;
      // Each screen once; a flood of made-up screens stops at the cap.
      if (receipts.length >= MAX_RECEIPTS || receipts.some((r) => r.screen === cmd.screen)) return accept();
      return accept({
        type: 'hall:emergency-shown',
        at: now,
        emergencyId: cmd.emergencyId,
        screen: cmd.screen,
        kind: cmd.kind,
      });
    }
    case 'staff:record-leave':
      return accept({
        type: 'staff:leave-recorded',
        at: now,
        leaveId: env.id,
        staffId: cmd.staffId,
        from: cmd.from,
        to: cmd.to,
        kind: cmd.kind,
        note: cmd.note,
        by: staffIdOf(actor),
      });
    case 'staff:deactivate':
      return accept({ type: 'staff:deactivated', at: now, staffId: cmd.staffId, note: cmd.note, by });
    case 'staff:reactivate':
      return accept({ type: 'staff:reactivated', at: now, staffId: cmd.staffId, by });
    case 'staff:change-roles':
      return accept({ type: 'staff:roles-changed', at: now, staffId: cmd.staffId, roles: cmd.roles, by });
    case 'staff:end-sessions':
      return accept({ type: 'staff:sessions-ended', at: now, staffId: cmd.staffId, sessionId: null, by });
    case 'session:sign-out':
      // The rules let only a staff session through.
      return accept({
        type: 'staff:sessions-ended',
        at: now,
        staffId: by!,
        sessionId: cmd.everywhere ? null : (actor as Extract<typeof actor, { kind: 'staff' }>).sessionId!,
        by,
      });
    case 'device:deactivate':
      return accept({ type: 'device:deactivated', at: now, deviceId: cmd.deviceId, note: cmd.note, by });
    case 'device:reactivate':
      return accept({ type: 'device:reactivated', at: now, deviceId: cmd.deviceId, by });
    case 'staff:cancel-leave':
      return accept({ type: 'staff:leave-cancelled', at: now, leaveId: cmd.leaveId });
    case 'hall:post-notice':
      return accept({ type: 'hall:notice-posted', at: now, noticeId: env.id, text: cmd.text });
    case 'hall:remove-notice':
      return accept({ type: 'hall:notice-removed', at: now, noticeId: cmd.noticeId });
    case 'ticket:close-rating': {
      const t = state.tickets.get(cmd.ticketId)!;
      return accept({
        type: 'ticket:rating-not-given',
        at: now,
        ...ref(t),
        counterId: t.counterId,
        staffId: t.servedByStaffId,
      });
    }
    case 'ticket:rate': {
      const t = state.tickets.get(cmd.ticketId)!;
      const comment = cmd.comment ?? '';
      return accept(
        {
          type: 'ticket:rated',
          at: now,
          ...ref(t),
          level: cmd.level,
          comment,
          ...(cmd.aspects?.length ? { aspects: [...new Set(cmd.aspects)] } : {}),
          counterId: t.counterId,
          staffId: t.servedByStaffId,
        },
        // R36: a bad review opens a follow-up case.
        ...badReviewCase(state, env.id, t, { level: cmd.level, comment, phone: cmd.phone }, now),
      );
    }
    case 'service:set-catalogue':
      return accept({
        type: 'service:catalogue-set',
        at: now,
        serviceId: cmd.serviceId,
        catalogue: cmd.catalogue,
        by,
      });
    case 'ticket:issue-notice':
      return accept(...noticeEffects(state, cmd, env.id, by!, now));
    case 'case:open':
    case 'case:assign':
    case 'case:record':
    case 'case:close':
    case 'case:reveal-applicant':
    case 'case:check-deadline':
      return accept(...caseEffects(state, cmd, env.id, by, now));
    case 'numbers:reserve': {
      // Blocks are cut from the top of the day's numbers, so normal issuing runs on without a gap.
      const deviceId = (actor as Extract<Actor, { kind: 'device' }>).deviceId;
      const day = localDay(now, state.config.timeZone);
      const events: HallEvent[] = [];
      let held = 0;
      for (const serviceId of new Set(cmd.serviceIds)) {
        // A gateway that still holds half a block of today's numbers gets no more: one whose clock
        // is on another day than the hall's would otherwise ask on every event and use them all up.
        if (unusedOf(state, deviceId, serviceId, day) >= cmd.size / 2) {
          held++;
          continue;
        }
        const to = ceiling(state, serviceId, day);
        const from = to - cmd.size + 1;
        const numbering = state.numbering.get(serviceId);
        const last = numbering?.day === day ? numbering.last : 0;
        if (from <= last) continue;
        events.push({ type: 'numbers:reserved', at: now, deviceId, serviceId, day, from, to });
      }
      if (events.length === 0)
        return held > 0
          ? reject('numbers-held', 'This gateway still holds enough numbers for today.')
          : reject('numbers-exhausted', 'No numbers are left today to reserve for offline issuing.');
      return accept(...events);
    }
    case 'ticket:issue-offline': {
      const service = state.config.services.find((s) => s.id === cmd.serviceId)!;
      return accept({
        type: 'ticket:issued',
        at: now,
        ticketId: env.id,
        number: `${service.prefix}${String(cmd.seq).padStart(3, '0')}`,
        serviceId: service.id,
        seq: cmd.seq,
        day: localDay(cmd.issuedAt, state.config.timeZone),
        priority: cmd.priority,
        channel: 'kiosk',
        offline: true,
        // An offline ticket keeps its place: it queues from when it was printed, never from the future.
        issuedAt: Math.min(cmd.issuedAt, now),
      });
    }
    case 'device:report': {
      const was = state.deviceHealth.get(cmd.deviceId);
      // Only changes are recorded: a heartbeat that says "still here" is not an event.
      if (was && was.online === cmd.online && was.faults.join() === cmd.faults.join()) return accept();
      const changed: HallEvent = {
        type: 'device:health-changed',
        at: now,
        deviceId: cmd.deviceId,
        online: cmd.online,
        faults: [...cmd.faults],
      };
      const alert = deviceNeedsAlert(state, cmd.deviceId, cmd.online, now);
      return alert ? accept(changed, raised(env.id, alert, now)) : accept(changed);
    }
    case 'counter:check-absence': {
      const status = state.counters.get(cmd.counterId)!;
      // A timer from an earlier pause, or one already reported, changes nothing (timers may fire twice).
      if (status.state !== 'paused' || status.since !== cmd.pausedAt || status.absenceExceeded)
        return accept();
      // A timer delivered early (another node's clock) is not yet an absence.
      if (now < absenceDue(state, status)) return accept();
      return accept(
        raised(
          env.id,
          {
            kind: 'absence',
            severity: 'warning',
            counterId: cmd.counterId,
            staffId: status.staffId,
            detail: status.pauseReason ?? '',
            note: status.pauseNote,
          },
          now,
        ),
      );
    }
    case 'hall:check-closing': {
      // Once per closing and mark; early deliveries wait, late ones (a restart) still record it.
      if (state.closingChecks.includes(`${cmd.closesAt}:${cmd.mark}`)) return accept();
      if (now < cmd.closesAt - cmd.mark * MINUTE) return accept();
      const atRisk = now < cmd.closesAt ? atRiskAtClosing(factsOf(state), now, cmd.closesAt) : [];
      const ticketIds = atRisk.map((t) => t.id);
      const forecast: HallEvent = {
        type: 'hall:closing-forecast',
        at: now,
        closesAt: cmd.closesAt,
        mark: cmd.mark,
        ticketIds,
      };
      if (ticketIds.length === 0) return accept(forecast);
      return accept(
        forecast,
        raised(
          env.id,
          { kind: 'closing-risk', severity: 'warning', detail: String(cmd.mark), ticketIds },
          now,
        ),
      );
    }
    case 'counter:check-empty-post': {
      const status = state.counters.get(cmd.counterId)!;
      if (status.state !== 'open' || status.since !== cmd.since) return accept();
      const due = emptyPostDue(state, cmd.counterId);
      if (due === null || now < due || openAlerts(state, 'empty-post', { counterId: cmd.counterId }).length)
        return accept();
      return accept(
        raised(
          env.id,
          { kind: 'empty-post', severity: 'warning', counterId: cmd.counterId, staffId: status.staffId },
          now,
        ),
      );
    }
  }
}

/** R6: when a paused counter's absence reaches the limit, its earlier pauses of the same absence counted. */
export function absenceDue(state: HallState, c: CounterStatus): number {
  return c.since + state.config.rules.absenceLimitMinutes * MINUTE - c.absentMs;
}

/**
 * R5: when an open counter that nobody works becomes an empty post: the limit after it went idle,
 * or after the first of those waiting for it came if later (null: nobody waits for it).
 */
export function emptyPostDue(state: HallState, counterId: Id): number | null {
  const c = state.counters.get(counterId)!;
  if (c.state !== 'open' || someoneWaitsFor(factsOf(state), counterId)) return null;
  let first = Infinity;
  for (const sid of c.serviceIds) {
    const head = state.queues.byService.get(sid)?.[0];
    if (head) first = Math.min(first, head.queuedAt);
  }
  for (const t of state.queues.targeted)
    if (t.targetCounterId === counterId) first = Math.min(first, t.queuedAt);
  return Math.max(c.since, first) + state.config.rules.emptyPostMinutes * MINUTE;
}

/**
 * R26: applicants (kiosks, phones, the public API) take tickets within the opening hours and before
 * the last-ticket time; the answer says when issuing opens again. Staff may still issue (they serve
 * whom they let in), and a hall may issue around the clock.
 */
function outsideIssuingHours(state: HallState, actor: Actor, now: number): ErrorBody | null {
  const { rules, openingHours, timeZone } = state.config;
  if (rules.issuing === 'always' || actor.kind === 'staff') return null;
  const w = issuingAt(openingHours, timeZone, rules.lastTicketMinutes, now);
  if (w.open) return null;
  const when = w.reopensAt === null ? 'not announced' : localClockText(w.reopensAt, timeZone);
  return { code: 'hall-closed', message: `Tickets are not issued now; issuing opens again ${when}.` };
}

/** An instant as the hall's local date and time, for a message (YYYY-MM-DD HH:MM). */
function localClockText(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}
