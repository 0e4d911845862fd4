import { z } from 'zod';
import { IncidentKind, PauseReason, PreShiftCheck } from './alerts.js';
import { Id, Timestamp } from './common.js';
import { EmergencyType, ScreenKind } from './emergencies.js';
import { IsoDay, LeaveKind } from './leave.js';
import { Role, RoutingPolicy } from './hall.js';
import { ApplicantInput, MobileNumber, sealApplicant, type ApplicantOnFile } from './privacy.js';
import { CaseOpening, CaseStep, DeadlineName } from './cases.js';
import { NoticeKind, ServiceCatalogue } from './catalogue.js';
import { RATING_ASPECTS, RatingAspect } from './ratings.js';
import { CarryOverCode, Channel, Outcome, Priority, TransferTarget } from './ticket.js';

const note = z.string().trim().max(200);

/**
 * Payload schemas of every command, keyed by name. The transport validates each inbound
 * message with these; the engine receives `{ type, ...payload }`.
 */
export const CommandPayloads = {
  'ticket:issue': z
    .object({
      serviceId: Id,
      priority: Priority.default('normal'),
      /** Accepted from older clients and ignored: the credential says where a ticket was taken (#12). */
      channel: Channel.optional(),
      /** An appointment's booked time: the ticket is called near it, not before (early arrivals wait for it). */
      appointmentAt: Timestamp.optional(),
      /** A carry-over code from an earlier day: the ticket gets an appointment's priority (R26). */
      carryOver: CarryOverCode.optional(),
      /** #12, R9: the applicant's name, mobile number and ID number, where the service needs them. */
      applicant: ApplicantInput.optional(),
    })
    .strict(),
  /**
   * #12, R9: staff see an applicant's name and number masked; the clerk serving the ticket, or a
   * manager, may see them in full, giving a reason, and the hall records who did and why.
   */
  'ticket:reveal-applicant': z.object({ ticketId: Id, reason: z.string().trim().min(2).max(200) }).strict(),
  /**
   * Staff (R26, R38): waiting applicants who will not be served today leave with a carry-over code
   * for priority service on a later day: one at the desk near closing, or everyone at a power cut.
   */
  'ticket:carry-over': z.object({ ticketIds: z.array(Id).min(1).max(999) }).strict(),
  'ticket:cancel': z.object({ ticketId: Id }).strict(),
  /** R17: the pre-shift check goes with the opening and is recorded with it. */
  'counter:open': z
    .object({ counterId: Id, staffId: Id.optional(), check: PreShiftCheck.optional() })
    .strict(),
  'counter:call-next': z.object({ counterId: Id }).strict(),
  'counter:call': z.object({ counterId: Id, ticketId: Id }).strict(),
  'counter:recall': z.object({ counterId: Id }).strict(),
  'counter:start': z.object({ counterId: Id }).strict(),
  /** The outcome is chosen for each ticket (R18): there is no default, so none is recorded by mistake. */
  'counter:complete': z.object({ counterId: Id, outcome: Outcome }).strict(),
  'counter:no-show': z.object({ counterId: Id }).strict(),
  'counter:transfer': z.object({ counterId: Id, to: TransferTarget, note: note.default('') }).strict(),
  'counter:requeue': z.object({ counterId: Id }).strict(),
  /** R6: a pause says why (a keypad's pause key says nothing: `other`). */
  'counter:pause': z
    .object({ counterId: Id, reason: PauseReason.default('other'), note: note.default('') })
    .strict(),
  /**
   * R19: a paused panel is locked; the signed-in staff member unlocks it with their password, which
   * the hub checks and never records. Managers and the counter's own devices need none.
   */
  'counter:resume': z.object({ counterId: Id, password: z.string().max(200).optional() }).strict(),
  /** R20: a clerk reports an incident at their window; the manager is alerted at once. */
  'counter:report-incident': z.object({ counterId: Id, kind: IncidentKind, note: note.default('') }).strict(),
  /** Managers: an alert is seen and someone acts on it. */
  'alert:acknowledge': z.object({ alertId: Id }).strict(),
  /** Managers: who acts on an alert; for an absence or an empty post, the cover who takes the counter (R6). */
  'alert:assign': z.object({ alertId: Id, staffId: Id }).strict(),
  /** Managers: the alert is dealt with. */
  'alert:resolve': z.object({ alertId: Id, note: note.default('') }).strict(),
  'counter:close': z.object({ counterId: Id }).strict(),
  /** Managers: change the services a counter serves. */
  'counter:set-services': z.object({ counterId: Id, serviceIds: z.array(Id).max(50) }).strict(),
  /** Managers: move a waiting ticket to another service's queue or to one counter; it keeps its number. */
  'ticket:move': z.object({ ticketId: Id, to: TransferTarget }).strict(),
  /** Managers: stop or resume issuing tickets for a service (the kiosk greys it out). */
  'service:set-issuing': z.object({ serviceId: Id, open: z.boolean() }).strict(),
  /** Managers: how the hall's counters pick the next ticket. */
  'hall:set-routing': z
    .object({ policy: RoutingPolicy, specialCareRun: z.number().int().min(1).max(20).optional() })
    .strict(),
  /**
   * Managers (R38): an emergency of appendix H, or free text, to every wall, panel, kiosk and device
   * at once; `stopIssuing` overrides the type's playbook. A new one replaces the one in force.
   */
  'hall:declare-emergency': z
    .object({ kind: EmergencyType, text: note.default(''), stopIssuing: z.boolean().optional() })
    .strict(),
  /** Managers: the all-clear; the hall goes back to normal. */
  'hall:all-clear': z.object({ emergencyId: Id }).strict(),
  /** Any screen or device: it is showing the emergency (the console's delivery receipt). */
  'hall:emergency-shown': z.object({ emergencyId: Id, screen: Id, kind: ScreenKind }).strict(),
  /** Managers (R7): a staff member's leave; they are not expected at a counter then. */
  'staff:record-leave': z
    .object({ staffId: Id, from: IsoDay, to: IsoDay, kind: LeaveKind, note: note.default('') })
    .strict(),
  /** Managers (R7, 销假): leave ended early or recorded by mistake. */
  'staff:cancel-leave': z.object({ leaveId: Id }).strict(),
  /**
   * Managers (R8): a staff member leaves the post or the job. Every session ends at once (live sockets
   * included), signing in is refused, and the account's commands are refused until it is reactivated.
   */
  'staff:deactivate': z.object({ staffId: Id, note: note.default('') }).strict(),
  'staff:reactivate': z.object({ staffId: Id }).strict(),
  /** Admins: a staff member's roles; their sessions end so the new roles count everywhere at once. */
  'staff:change-roles': z.object({ staffId: Id, roles: z.array(Role).min(1).max(4) }).strict(),
  /** The staff member themselves, or a manager: every session of the account ends (sign out everywhere). */
  'staff:end-sessions': z.object({ staffId: Id }).strict(),
  /** Staff: sign out of this session (or of every session of theirs); tokens and live sockets stop at once. */
  'session:sign-out': z.object({ everywhere: z.boolean().default(false) }).strict(),
  /** Managers: a device's credentials stop counting (lost, stolen, replaced) and its connections end. */
  'device:deactivate': z.object({ deviceId: Id, note: note.default('') }).strict(),
  'device:reactivate': z.object({ deviceId: Id }).strict(),
  /** Managers: post a notice to the walls (R29: openness), or take one down. */
  'hall:post-notice': z.object({ text: z.string().trim().min(1).max(200) }).strict(),
  'hall:remove-notice': z.object({ noticeId: Id }).strict(),
  /**
   * R34, R35: the applicant's rating of a completed ticket, five levels (5 非常满意 … 1 非常不满意), the
   * aspects it was about, and a comment. With a bad review (R36) the applicant may leave a mobile
   * number to be called back.
   */
  'ticket:rate': z
    .object({
      ticketId: Id,
      level: z.number().int().min(1).max(5),
      comment: note.optional(),
      aspects: z.array(RatingAspect).max(RATING_ASPECTS.length).optional(),
      phone: MobileNumber.optional(),
    })
    .strict(),
  /** Admins (R3, R27, R28, R39): a service's catalogue entry, validated, in force at once. */
  'service:set-catalogue': z.object({ serviceId: Id, catalogue: ServiceCatalogue }).strict(),
  /**
   * The clerk with the ticket, or who served it (R18, R24, R27): a written notice from the service's
   * catalogue: acceptance (with the materials owed, if any), non-acceptance (with the reason), or the
   * one-time notice of exactly the missing materials.
   */
  'ticket:issue-notice': z
    .object({
      ticketId: Id,
      kind: NoticeKind,
      materialIds: z.array(z.string().max(40)).max(40).default([]),
      reason: z.string().trim().max(500).default(''),
    })
    .strict(),
  /** Staff (R14, R33): a “办不成事” problem or a complaint from another channel becomes a case. */
  'case:open': CaseOpening,
  /** Managers (R36): who handles a case. */
  'case:assign': z.object({ caseId: Id, staffId: Id }).strict(),
  /** The case's handler or a manager: a step done (investigated, rectified, called back, handed over, answered). */
  'case:record': z
    .object({
      caseId: Id,
      step: CaseStep,
      note: z.string().trim().min(2).max(1000),
      /** `handed-over` (R14): the competent department, as the applicant is told. */
      department: z.string().trim().min(1).max(60).optional(),
    })
    .strict(),
  /** The case's handler or a manager: the case is closed, with what came of it. */
  'case:close': z.object({ caseId: Id, note: z.string().trim().min(2).max(1000) }).strict(),
  /** R9: the name and number to call back, in full, for the case's handler or a manager, with a reason. */
  'case:reveal-applicant': z.object({ caseId: Id, reason: z.string().trim().min(2).max(200) }).strict(),
  /** The scheduler (R14, R36): a case's deadline is near (`remind`) or passed (`missed`). */
  'case:check-deadline': z
    .object({ caseId: Id, deadline: DeadlineName, phase: z.enum(['remind', 'missed']) })
    .strict(),
  /** The edge gateway: blocks of numbers it may issue from while the hub is unreachable. */
  'numbers:reserve': z
    .object({ serviceIds: z.array(Id).min(1).max(50), size: z.number().int().min(1).max(100) })
    .strict(),
  /** The edge gateway: a ticket it issued offline from its block, queued at the time it was issued. */
  'ticket:issue-offline': z
    .object({
      serviceId: Id,
      priority: Priority.default('normal'),
      seq: z.number().int().min(1).max(999),
      issuedAt: Timestamp,
    })
    .strict(),
  /** The edge gateway (or the hub for the gateway itself): a device came, went or reports faults. */
  'device:report': z
    .object({
      deviceId: Id,
      online: z.boolean(),
      faults: z.array(z.string().max(40)).max(10).default([]),
    })
    .strict(),
  /** Delivered by the scheduler only: a counter's pauses reached the absence limit (R6). */
  'counter:check-absence': z.object({ counterId: Id, pausedAt: Timestamp }).strict(),
  /** Delivered by the scheduler only: an open counter stayed idle while people wait for it (R5). */
  'counter:check-empty-post': z.object({ counterId: Id, since: Timestamp }).strict(),
  /** Delivered by the scheduler only: a mark before closing is reached (R26). */
  'hall:check-closing': z.object({ closesAt: Timestamp, mark: z.number().int().positive() }).strict(),
  /** Delivered by the scheduler only: an alert was not acknowledged in time. */
  'alert:check-escalation': z.object({ alertId: Id, escalations: z.number().int().nonnegative() }).strict(),
  /** The scheduler (R34): a completed ticket's rating window is over. */
  'ticket:close-rating': z.object({ ticketId: Id }).strict(),
} as const;

export type CommandType = keyof typeof CommandPayloads;
export const COMMAND_TYPES = Object.keys(CommandPayloads) as CommandType[];

/** The payload a client sends for command K (defaults not yet applied). */
export type CommandInput<K extends CommandType> = z.input<(typeof CommandPayloads)[K]>;
/** The payload after validation, defaults applied. */
export type CommandPayload<K extends CommandType> = z.output<(typeof CommandPayloads)[K]>;

/** A payload as the engine receives it: an applicant's ID number already replaced by its keyed hash. */
type Sealed<P> = P extends { applicant?: unknown }
  ? Omit<P, 'applicant'> & { applicant?: ApplicantOnFile }
  : P;
/** A validated command as the engine receives it. */
export type Command = { [K in CommandType]: { type: K } & Sealed<CommandPayload<K>> }[CommandType];
/** A validated command as it came in, before `sealCommand`. */
export type WireCommand = { [K in CommandType]: { type: K } & CommandPayload<K> }[CommandType];

/** Commands that only the hub's own scheduler may send. */
export const SYSTEM_COMMANDS: ReadonlySet<CommandType> = new Set([
  'counter:check-absence',
  'counter:check-empty-post',
  'alert:check-escalation',
  'hall:check-closing',
  'ticket:close-rating',
  'case:check-deadline',
]);

/** What the edge gateway sends as itself; for everything else it acts as one of the hall's devices. */
export const GATEWAY_OWN_COMMANDS: ReadonlySet<CommandType> = new Set([
  'numbers:reserve',
  'ticket:issue-offline',
  'device:report',
  'hall:emergency-shown',
]);

/** Who sends a command: the engine decides what each may do. */
export const Actor = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('public') }),
  z.object({ kind: z.literal('system') }),
  z.object({ kind: z.literal('device'), deviceId: Id }),
  z.object({
    kind: z.literal('staff'),
    staffId: Id,
    roles: z.array(Role),
    /** The session the command came through (signed tokens carry one; the scheduler's and tests' do not). */
    sessionId: z.string().max(40).optional(),
  }),
]);
export type Actor = z.infer<typeof Actor>;

/** Validates an untrusted payload for command `type`. */
export function parseCommand(
  type: CommandType,
  payload: unknown,
): { ok: true; command: WireCommand } | { ok: false; error: z.ZodError } {
  const parsed = CommandPayloads[type].safeParse(payload ?? {});
  if (!parsed.success) return { ok: false, error: parsed.error };
  return { ok: true, command: { type, ...parsed.data } as WireCommand };
}

/** #12: the command the engine gets: an ID number goes no further than the transport, as its keyed hash. */
export function sealCommand(cmd: WireCommand, hashId: (idNumber: string) => string): Command {
  if (cmd.type !== 'ticket:issue' || cmd.applicant === undefined) return cmd;
  return { ...cmd, applicant: sealApplicant(cmd.applicant, hashId) };
}
