import { z } from 'zod';
import { RatingAspect } from './ratings.js';
import { PreShiftCheck } from './alerts.js';
import { Id, Timestamp } from './common.js';
import { MaskedApplicant } from './privacy.js';

/** Priority classes (R15: special care for elderly, disabled, pregnant… applicants). */
export const Priority = z.enum(['normal', 'appointment', 'special-care']);
export type Priority = z.infer<typeof Priority>;

/** `carried-over`: the applicant left with a carry-over code for priority service on a later day (R26, R38). */
export const TicketStatus = z.enum([
  'waiting',
  'called',
  'serving',
  'completed',
  'no-show',
  'cancelled',
  'carried-over',
]);
export type TicketStatus = z.infer<typeof TicketStatus>;

/** How a service at the counter ended (R18): the kinds of notice the standard names, plus assisted service (R15). */
export const Outcome = z.enum([
  'accepted',
  'not-accepted',
  'one-time-notice',
  'consultation-only',
  'assisted',
]);
export type Outcome = z.infer<typeof Outcome>;

/** Where a ticket was taken; set by the credential that issued it (`channelFor`), not by the caller. */
export const Channel = z.enum(['kiosk', 'mobile', 'counter', 'api']);
export type Channel = z.infer<typeof Channel>;

/** Where a transfer sends a ticket: another service's queue, or one named counter. */
export const TransferTarget = z.union([
  z.object({ serviceId: Id }).strict(),
  z.object({ counterId: Id }).strict(),
]);
export type TransferTarget = z.infer<typeof TransferTarget>;

export const TransferRecord = z.object({
  at: Timestamp,
  fromCounterId: Id,
  fromServiceId: Id,
  to: TransferTarget,
  staffId: Id.nullable(),
  note: z.string(),
});

/** R34: five levels, 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意. */
export const TicketRating = z.object({
  level: z.number().int().min(1).max(5),
  comment: z.string(),
  /** R35: the aspects the applicant said it was about. */
  aspects: z.array(RatingAspect).default([]),
  at: Timestamp,
});
export type TicketRating = z.infer<typeof TicketRating>;

/** A ticket with its whole history of the day. */
export const Ticket = z.object({
  id: Id,
  number: z.string(),
  seq: z.number().int().positive(),
  day: z.string(),
  serviceId: Id,
  priority: Priority,
  channel: Channel,
  status: TicketStatus,
  issuedAt: Timestamp,
  /** Ordering time in the queue: the issue time, kept through transfers and returns. */
  queuedAt: Timestamp,
  calledAt: Timestamp.nullable(),
  /** #14: the first call (a transfer's later calls do not end the applicant's wait). */
  firstCalledAt: Timestamp.nullable().default(null),
  startedAt: Timestamp.nullable(),
  endedAt: Timestamp.nullable(),
  counterId: Id.nullable(),
  /** Set when transferred to one named counter: only that counter may call it. */
  targetCounterId: Id.nullable(),
  recalls: z.number().int().nonnegative(),
  transfers: z.array(TransferRecord),
  /** R23: the first staff member who received the applicant stays responsible through transfers. */
  firstContactStaffId: Id.nullable(),
  servedByStaffId: Id.nullable(),
  outcome: z.string().nullable(),
  /** Issued by the edge gateway from its reserved block while the hub was unreachable. */
  offline: z.boolean().default(false),
  /** An appointment's booked time: it is called near it (`dueAt`), whenever the applicant came. */
  appointmentAt: Timestamp.nullable().default(null),
  /** R34: the applicant's rating, once given. */
  rating: TicketRating.nullable().default(null),
  /** R34: the rating window closed without one (counted as not given, never as satisfied). */
  ratingNotGiven: z.boolean().default(false),
  /** The carry-over code this ticket was given (status `carried-over`). */
  carryOver: z.string().nullable().default(null),
  /** The carry-over code this ticket was issued for: the applicant came back with priority. */
  carriedFrom: z.string().nullable().default(null),
  /** #12, R9: the applicant's name and number, masked; the full ones only through a recorded reveal. */
  applicant: MaskedApplicant.nullable().default(null),
  /** R18, R24: the written notices given for it (reprinted from the hall's record). */
  notices: z.array(Id).default([]),
});
export type Ticket = z.infer<typeof Ticket>;

/** A carry-over code's shape: the day and the number of the ticket it replaces (20261128-J005). */
export const CarryOverCode = z
  .string()
  .regex(/^\d{8}-[A-Z]\d{3}$/, 'a carry-over code such as 20261128-J005');

/**
 * R26 and R38: an applicant who cannot be served today (closing time, a power cut) takes a code that
 * gives them an appointment's priority for the same service on a later day, until `validUntil`.
 */
export const CarryOver = z.object({
  code: CarryOverCode,
  ticketId: Id,
  number: z.string(),
  serviceId: Id,
  day: z.string(),
  validUntil: z.string(),
  /** The ticket it was exchanged for, once used. */
  redeemedBy: Id.nullable(),
});
export type CarryOver = z.infer<typeof CarryOver>;
/** How many days a carry-over code is good for. */
export const CARRY_OVER_DAYS = 14;

export const CounterState = z.enum(['closed', 'open', 'calling', 'serving', 'paused']);
export type CounterState = z.infer<typeof CounterState>;

/** A counter's live state. */
export const CounterStatus = z.object({
  id: Id,
  state: CounterState,
  staffId: Id.nullable(),
  ticketId: Id.nullable(),
  pauseReason: z.string().nullable(),
  /** What the clerk wrote with the pause. */
  pauseNote: z.string().default(''),
  /** When the counter entered its current state. */
  since: Timestamp,
  /**
   * R6: when the counter was first left unattended with nothing served since (its first pause);
   * null while someone serves. Pause, resume, pause with no call between is one absence.
   */
  absentSince: Timestamp.nullable().default(null),
  /** The paused time of this absence before the current pause. */
  absentMs: z.number().nonnegative().default(0),
  /** Set once this absence has run past the limit (R6). */
  absenceExceeded: z.boolean(),
  /** R17: the pre-shift check recorded with the opening (null: none was sent). */
  check: PreShiftCheck.nullable().default(null),
  /** The services it serves now (starts from the hall's configuration). */
  serviceIds: z.array(Id),
});
export type CounterStatus = z.infer<typeof CounterStatus>;
