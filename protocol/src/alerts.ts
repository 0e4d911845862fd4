import { z } from 'zod';
import { Id, Timestamp } from './common.js';

/**
 * What an alert is about. Each kind has one rule of the standard behind it:
 * - `absence` (R6): a counter left unattended past the limit, its pauses added up;
 * - `empty-post` (R5, 空岗): a counter open while people wait for it and nobody acts;
 * - `device-offline`: a device of the hall lost while the hall is open;
 * - `incident` (R20): a clerk reported a quarrel, an illness, a failure… at their window;
 * - `pre-shift-fault` (R17): a counter opened with an item of its pre-shift check failing;
 * - `closing-risk` (R26): at a mark before closing, applicants who are not expected to be served in time;
 * - `case-overdue` (R36, R14): a follow-up case's deadline passed (the rule is the case's).
 */
export const AlertKind = z.enum([
  'absence',
  'empty-post',
  'device-offline',
  'incident',
  'pre-shift-fault',
  'closing-risk',
  'case-overdue',
]);
export type AlertKind = z.infer<typeof AlertKind>;

export const Severity = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof Severity>;

/** Why a clerk leaves the window (R6): the reasons a hall inspects, and `other` with a note. */
export const PauseReason = z.enum(['break', 'material', 'back-office', 'meeting', 'other']);
export type PauseReason = z.infer<typeof PauseReason>;

/** What a clerk reports from the window (R20, appendix H). */
export const IncidentKind = z.enum(['quarrel', 'illness', 'device-failure', 'power-cut', 'other']);
export type IncidentKind = z.infer<typeof IncidentKind>;

/** R17: what is checked before a counter opens (the PC, the calling system, the evaluation pad, forms). */
export const PreShiftCheck = z
  .object({
    pc: z.boolean(),
    caller: z.boolean(),
    pad: z.boolean(),
    forms: z.boolean(),
    note: z.string().trim().max(200).default(''),
  })
  .strict();
export type PreShiftCheck = z.infer<typeof PreShiftCheck>;
export const PRE_SHIFT_ITEMS = ['pc', 'caller', 'pad', 'forms'] as const;

/** The items of a check that failed. */
export const failedItems = (c: PreShiftCheck): string[] => PRE_SHIFT_ITEMS.filter((k) => !c[k]);

/**
 * The hall's live-rule settings. The defaults are the standard's: 15 minutes of absence without
 * cover (R6). The others are the hall's own choice.
 */
export const HallRules = z.object({
  /** R6: how long a counter may be left unattended (its pauses added up) before the lead is alerted. */
  absenceLimitMinutes: z.number().positive().max(240).default(15),
  /** R5: how long an open counter may stay idle while people wait for it. */
  emptyPostMinutes: z.number().positive().max(240).default(10),
  /** An alert nobody acknowledged within this is escalated (at most twice). */
  escalateAfterMinutes: z.number().positive().max(240).default(5),
  /**
   * R26: applicants take tickets within the opening hours only (`always`: around the clock, e.g. a
   * self-service area), until `lastTicketMinutes` before closing.
   */
  issuing: z.enum(['opening-hours', 'always']).default('opening-hours'),
  lastTicketMinutes: z.number().int().min(0).max(240).default(0),
  /** R26: minutes before closing at which the hall forecasts who will not be served in time. */
  closingMarks: z.array(z.number().int().positive().max(480)).max(5).default([60, 30]),
  /**
   * R34: how long after completion an applicant may rate the service (on the pad or the phone); a
   * rating not given by then is recorded as not given, never as satisfied.
   */
  ratingWindowMinutes: z.number().int().min(1).max(1440).default(30),
  /** R14, R36: a case's handler is reminded this long before the hall closes on the day a deadline is due. */
  caseReminderMinutes: z.number().int().min(0).max(480).default(120),
  /** R26: overtime that earns a day off (调休), in minutes. */
  overtimeDayMinutes: z.number().int().positive().max(1440).default(480),
});
export type HallRules = z.infer<typeof HallRules>;
export const DEFAULT_RULES: HallRules = HallRules.parse({});

/** How many times an unacknowledged alert is escalated. */
export const MAX_ESCALATIONS = 2;

/** The standard's rule behind each kind (cited on every alert). */
export const ALERT_RULE: Record<AlertKind, string> = {
  absence: 'R6',
  'empty-post': 'R5',
  'device-offline': 'R16',
  incident: 'R20',
  'pre-shift-fault': 'R17',
  'closing-risk': 'R26',
  'case-overdue': 'R36',
};

/** One alert with its whole life: raised, acknowledged, assigned, escalated, resolved. */
export const Alert = z.object({
  id: Id,
  kind: AlertKind,
  severity: Severity,
  /** The requirement the rule comes from (R6…). */
  rule: z.string(),
  raisedAt: Timestamp,
  counterId: Id.nullable(),
  staffId: Id.nullable(),
  deviceId: Id.nullable(),
  /** The kind's detail: the pause reason, the incident kind, the failed check items, the closing mark. */
  detail: z.string(),
  /** The tickets it concerns (those at risk at closing time). */
  ticketIds: z.array(Id).default([]),
  /** The case a `case-overdue` alert is about. */
  caseId: Id.nullable().default(null),
  note: z.string(),
  acknowledgedAt: Timestamp.nullable(),
  acknowledgedBy: Id.nullable(),
  assignedTo: Id.nullable(),
  assignedAt: Timestamp.nullable(),
  escalations: z.number().int().nonnegative(),
  escalatedAt: Timestamp.nullable(),
  resolvedAt: Timestamp.nullable(),
  /** Who resolved it (null with `resolvedAt`: the hall did, because the cause ended). */
  resolvedBy: Id.nullable(),
  resolution: z.string(),
});
export type Alert = z.infer<typeof Alert>;

/** Open alerts first, the most severe and the newest first among them; then the history, newest first. */
export function alertOrder(a: Alert, b: Alert): number {
  const open = Number(a.resolvedAt !== null) - Number(b.resolvedAt !== null);
  if (open !== 0) return open;
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  if (a.resolvedAt === null && rank[a.severity] !== rank[b.severity])
    return rank[a.severity] - rank[b.severity];
  return b.raisedAt - a.raisedAt;
}
