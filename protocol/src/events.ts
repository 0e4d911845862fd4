import { z } from 'zod';
import { AlertKind, PreShiftCheck, Severity } from './alerts.js';
import { Id, Timestamp } from './common.js';
import { EmergencyType, ScreenKind } from './emergencies.js';
import { LeaveKind } from './leave.js';
import { Role, RoutingPolicy } from './hall.js';
import { Channel, Outcome, Priority, TransferTarget } from './ticket.js';
import { Estimate } from './waits.js';
import { ApplicantOnFile } from './privacy.js';
import { CaseKind, CaseStep, Complexity, DeadlineName, Remit } from './cases.js';
import { ServiceCatalogue, WrittenNotice } from './catalogue.js';
import { RatingAspect } from './ratings.js';

const ticketRef = { ticketId: Id, number: z.string(), serviceId: Id };
const publicTicketRef = { number: z.string(), serviceId: Id };

/** Payload schemas of every event the engine emits, keyed by name (past tense). */
export const EventPayloads = {
  'ticket:issued': z.object({
    ...ticketRef,
    seq: z.number().int().positive(),
    day: z.string(),
    priority: Priority,
    channel: Channel,
    /** Issued by the edge gateway from its reserved block while the hub was unreachable. */
    offline: z.boolean().optional(),
    /** When an offline ticket was printed (the event is when the hub learnt of it). */
    issuedAt: Timestamp.optional(),
    /** An appointment's booked time. */
    appointmentAt: Timestamp.optional(),
    /** The carry-over code it was issued for. */
    carriedFrom: z.string().optional(),
    /**
     * #12, R9: the applicant's name, mobile number and ID hash, kept in the hall's log for the rules
     * that need them; staff hear this event without it (the ticket in `after` has them masked).
     */
    applicant: ApplicantOnFile.optional(),
  }),
  /** #12, R9: who saw an applicant's details in full, and why. */
  'ticket:applicant-revealed': z.object({ ...ticketRef, staffId: Id, reason: z.string() }),
  'ticket:carried-over': z.object({ ...ticketRef, code: z.string(), validUntil: z.string() }),
  /** A call or a recall (`recalls` > 0): both are announced again on the wall (R37). */
  'ticket:called': z.object({
    ...ticketRef,
    counterId: Id,
    counterNumber: z.number().int(),
    staffId: Id.nullable(),
    recalls: z.number().int().nonnegative(),
  }),
  'ticket:started': z.object({ ...ticketRef, counterId: Id, staffId: Id.nullable() }),
  'ticket:completed': z.object({
    ...ticketRef,
    counterId: Id,
    staffId: Id.nullable(),
    outcome: Outcome,
    /** The service's handling estimate once this service is learnt (absent in logs from before learning). */
    handling: Estimate.optional(),
    /** The same for the staff member who served it. */
    staffHandling: Estimate.nullable().optional(),
  }),
  'ticket:no-show': z.object({ ...ticketRef, counterId: Id }),
  'ticket:transferred': z.object({
    ...ticketRef,
    counterId: Id,
    /** The service whose queue the ticket is in after the transfer. */
    toServiceId: Id,
    to: TransferTarget,
    staffId: Id.nullable(),
    note: z.string(),
  }),
  'ticket:requeued': z.object({ ...ticketRef, counterId: Id }),
  'ticket:cancelled': z.object({ ...ticketRef }),
  'counter:opened': z.object({
    counterId: Id,
    staffId: Id,
    staffName: z.string(),
    staffBadge: z.string(),
    /** R17: the pre-shift check sent with the opening (absent: none was sent). */
    check: PreShiftCheck.optional(),
  }),
  /** `reason` is a PauseReason (free text in logs from before reasons were a list). */
  'counter:paused': z.object({ counterId: Id, reason: z.string(), note: z.string().optional() }),
  'counter:resumed': z.object({ counterId: Id }),
  'counter:closed': z.object({ counterId: Id }),
  /** R6, in logs from before alerts: a pause without cover passed 15 minutes (now an `alert:raised`). */
  'counter:absence-exceeded': z.object({ counterId: Id, staffId: Id.nullable(), pausedAt: Timestamp }),
  /** R6: a manager sent a cover staff member, who now holds the counter in place of the absent one. */
  'counter:covered': z.object({
    counterId: Id,
    staffId: Id,
    staffName: z.string(),
    staffBadge: z.string(),
    replacedStaffId: Id.nullable(),
  }),
  'alert:raised': z.object({
    alertId: Id,
    kind: AlertKind,
    severity: Severity,
    rule: z.string(),
    counterId: Id.nullable(),
    staffId: Id.nullable(),
    deviceId: Id.nullable(),
    detail: z.string(),
    note: z.string(),
    ticketIds: z.array(Id).optional(),
    caseId: Id.optional(),
  }),
  /**
   * R26: at a mark before closing (`mark` minutes), the waiting tickets not expected to be called
   * before the hall closes at `closesAt` (by the live wait predictions).
   */
  'hall:closing-forecast': z.object({
    closesAt: Timestamp,
    mark: z.number().int(),
    ticketIds: z.array(Id),
  }),
  'alert:acknowledged': z.object({ alertId: Id, staffId: Id }),
  'alert:assigned': z.object({ alertId: Id, staffId: Id, by: Id }),
  'alert:escalated': z.object({ alertId: Id, escalations: z.number().int().positive(), severity: Severity }),
  /** `staffId` null: the hall resolved it because its cause ended. */
  'alert:resolved': z.object({ alertId: Id, staffId: Id.nullable(), resolution: z.string() }),
  'counter:services-changed': z.object({ counterId: Id, serviceIds: z.array(Id) }),
  'ticket:moved': z.object({
    ...ticketRef,
    toServiceId: Id,
    targetCounterId: Id.nullable(),
    staffId: Id.nullable(),
  }),
  'service:issuing-changed': z.object({ serviceId: Id, open: z.boolean() }),
  'hall:notice-posted': z.object({ noticeId: Id, text: z.string() }),
  'hall:notice-removed': z.object({ noticeId: Id }),
  'hall:routing-changed': z.object({ policy: RoutingPolicy, specialCareRun: z.number().int() }),
  'hall:emergency-declared': z.object({
    emergencyId: Id,
    kind: EmergencyType,
    text: z.string(),
    stopsIssuing: z.boolean(),
    evacuate: z.boolean(),
    staffId: Id.nullable(),
  }),
  'hall:emergency-shown': z.object({ emergencyId: Id, screen: Id, kind: ScreenKind }),
  'staff:leave-recorded': z.object({
    leaveId: Id,
    staffId: Id,
    from: z.string(),
    to: z.string(),
    kind: LeaveKind,
    note: z.string(),
    by: Id.nullable(),
  }),
  'staff:leave-cancelled': z.object({ leaveId: Id }),
  'hall:emergency-cleared': z.object({ emergencyId: Id, staffId: Id.nullable() }),
  /** R8: the account is out (sessions ended, sign-in refused) until reactivated. */
  'staff:deactivated': z.object({ staffId: Id, note: z.string(), by: Id.nullable() }),
  'staff:reactivated': z.object({ staffId: Id, by: Id.nullable() }),
  'staff:roles-changed': z.object({ staffId: Id, roles: z.array(Role), by: Id.nullable() }),
  /** Sessions ended: one (`sessionId`, a sign-out) or every session started before now (null). */
  'staff:sessions-ended': z.object({ staffId: Id, sessionId: z.string().nullable(), by: Id.nullable() }),
  'device:deactivated': z.object({ deviceId: Id, note: z.string(), by: Id.nullable() }),
  'device:reactivated': z.object({ deviceId: Id, by: Id.nullable() }),
  /** R34: the applicant rated the ticket. */
  'ticket:rated': z.object({
    ...ticketRef,
    level: z.number().int().min(1).max(5),
    comment: z.string(),
    aspects: z.array(RatingAspect).optional(),
    counterId: Id.nullable(),
    staffId: Id.nullable(),
  }),
  /**
   * #13 (R14, R33, R36): a case is opened, with its deadlines. The applicant's name and number stay
   * in the hall's log for the call back; staff hear this event without them (masked on the case).
   */
  'case:opened': z.object({
    caseId: Id,
    kind: CaseKind,
    number: z.string(),
    by: Id.nullable(),
    ticketId: Id.nullable(),
    ticketNumber: z.string().nullable(),
    serviceIds: z.array(Id),
    counterId: Id.nullable(),
    staffId: Id.nullable(),
    level: z.number().int().nullable(),
    description: z.string(),
    departments: z.array(z.string()),
    complexity: Complexity.nullable(),
    remit: Remit.nullable(),
    applicant: ApplicantOnFile.optional(),
    deadlines: z.array(z.object({ name: DeadlineName, due: Timestamp })),
  }),
  'case:assigned': z.object({ caseId: Id, staffId: Id, by: Id.nullable() }),
  'case:step-recorded': z.object({
    caseId: Id,
    step: CaseStep,
    note: z.string(),
    department: z.string().optional(),
    by: Id.nullable(),
  }),
  'case:closed': z.object({ caseId: Id, note: z.string(), by: Id.nullable() }),
  /** The case's handler is reminded of a deadline near. */
  'case:reminded': z.object({ caseId: Id, deadline: DeadlineName, due: Timestamp }),
  /** A deadline passed unmet (an alert goes with it). */
  'case:deadline-missed': z.object({ caseId: Id, deadline: DeadlineName, due: Timestamp }),
  'service:catalogue-set': z.object({ serviceId: Id, catalogue: ServiceCatalogue, by: Id.nullable() }),
  /** R18, R24, R27: a written notice given for a ticket (the record the reprint and the archive copy are made from). */
  'ticket:notice-issued': WrittenNotice.omit({ id: true, at: true }).extend({ noticeId: Id }),
  /** R9: who saw a case's applicant in full, and why. */
  'case:applicant-revealed': z.object({ caseId: Id, staffId: Id, reason: z.string() }),
  /** R34: the rating window closed without a rating: recorded as not given. */
  'ticket:rating-not-given': z.object({ ...ticketRef, counterId: Id.nullable(), staffId: Id.nullable() }),
  /** A block of numbers the gateway may issue from offline; normal issuing stops below it. */
  'numbers:reserved': z.object({
    deviceId: Id,
    serviceId: Id,
    day: z.string(),
    from: z.number().int().positive(),
    to: z.number().int().positive(),
  }),
  'device:health-changed': z.object({ deviceId: Id, online: z.boolean(), faults: z.array(z.string()) }),
} as const;

export type EventType = keyof typeof EventPayloads;
export const EVENT_TYPES = Object.keys(EventPayloads) as EventType[];

/** An event as the engine emits it: its name, when, and its payload. */
export type HallEvent = {
  [K in EventType]: { type: K; at: number; key?: string } & z.infer<(typeof EventPayloads)[K]>;
}[EventType];
/** An event with the hall version it produced: what the log stores and the hub sends. */
export type VersionedEvent = HallEvent & { version: number };

/** Schema of a whole event (type, at, payload). */
export const HallEventSchema = z.discriminatedUnion(
  'type',
  EVENT_TYPES.map((t) =>
    EventPayloads[t].extend({ type: z.literal(t), at: Timestamp, key: z.string().max(200).optional() }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

/**
 * What a public screen may see of each event (R9). Parsing a full event with these schemas
 * drops every field not named here, so a field added to an event stays private until it is
 * added here on purpose.
 */
export const PublicEventPayloads = {
  'ticket:issued': z.object(publicTicketRef),
  'ticket:called': z.object({
    ...publicTicketRef,
    counterId: Id,
    counterNumber: z.number().int(),
    recalls: z.number().int(),
  }),
  'ticket:started': z.object({ ...publicTicketRef, counterId: Id }),
  'ticket:completed': z.object({ ...publicTicketRef, counterId: Id, handling: Estimate.optional() }),
  'ticket:no-show': z.object({ ...publicTicketRef, counterId: Id }),
  'ticket:transferred': z.object({ ...publicTicketRef, counterId: Id, toServiceId: Id }),
  'ticket:requeued': z.object({ ...publicTicketRef, counterId: Id }),
  'ticket:cancelled': z.object(publicTicketRef),
  'ticket:carried-over': z.object(publicTicketRef),
  'counter:opened': z.object({ counterId: Id, staffName: z.string(), staffBadge: z.string() }),
  'counter:paused': z.object({ counterId: Id }),
  'counter:resumed': z.object({ counterId: Id }),
  'counter:closed': z.object({ counterId: Id }),
  'counter:absence-exceeded': z.object({ counterId: Id }),
  'counter:covered': z.object({ counterId: Id, staffName: z.string(), staffBadge: z.string() }),
  'counter:services-changed': z.object({ counterId: Id, serviceIds: z.array(Id) }),
  'ticket:moved': z.object({ ...publicTicketRef, toServiceId: Id }),
  'service:issuing-changed': z.object({ serviceId: Id, open: z.boolean() }),
  'hall:notice-posted': z.object({ noticeId: Id, text: z.string() }),
  'hall:notice-removed': z.object({ noticeId: Id }),
  'hall:emergency-declared': z.object({
    emergencyId: Id,
    kind: EmergencyType,
    text: z.string(),
    stopsIssuing: z.boolean(),
    evacuate: z.boolean(),
  }),
  'hall:emergency-cleared': z.object({ emergencyId: Id }),
} as const satisfies Partial<Record<EventType, z.ZodObject>>;

/** Events public screens hear of (the others, ratings and device health, are for staff only). */
export type PublicEventType = keyof typeof PublicEventPayloads;

export type PublicEvent = {
  [K in PublicEventType]: { type: K; at: number; version: number } & z.infer<(typeof PublicEventPayloads)[K]>;
}[PublicEventType];

const isPublic = (type: EventType): type is PublicEventType => Object.hasOwn(PublicEventPayloads, type);

/**
 * What a public screen hears instead of an event that is not for it: only that the hall's version
 * moved, so its feed stays gapless and it does not ask for a snapshot after every private event.
 */
export const VERSION_TICK = 'hall:version';
export type VersionTick = { version: number };

/** The public projection of an event: only the fields a person in the hall may see (null: none). */
export function toPublicEvent(event: VersionedEvent): PublicEvent | null {
  if (!isPublic(event.type)) return null;
  const payload = PublicEventPayloads[event.type].parse(event);
  return { type: event.type, at: event.at, version: event.version, ...payload } as PublicEvent;
}
