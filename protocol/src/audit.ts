import { DateTime } from 'luxon';
import { z } from 'zod';
import { ErrorCode, Id, Timestamp } from './common.js';
import { IsoDay } from './leave.js';

/**
 * #12: the audit log. One line for every action a staff member, manager, admin or device took
 * (done or refused), every sign-in and sign-out, and every attempt refused for who it came from.
 * Append-only: nothing in the hub edits or deletes a line. Never a password or an applicant's data.
 */
export const AuditEntry = z.object({
  at: Timestamp,
  hallId: Id,
  /** Who: `staff:s05`, `device:kiosk-1`, `public`, or the name typed at a failed sign-in (`login:…`). */
  who: z.string(),
  /** What: a command type, or `auth:login`, `auth:logout`, `auth:refresh`, `http:<route>`. */
  action: z.string(),
  /** The record it concerned (a counter, ticket, staff member or device id), if any. */
  target: z.string().nullable(),
  /** The reason a staff member gave for seeing an applicant's details (`ticket:reveal-applicant`, R9). */
  detail: z.string().optional(),
  outcome: z.enum(['done', 'refused']),
  /** Why it was refused. */
  code: ErrorCode.nullable(),
  /** From where: the client's address (through trusted proxies), and by which door. */
  address: z.string(),
  via: z.enum(['rest', 'socket', 'gateway']),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** The query of `GET /halls/{hallId}/audit` (today by default). */
export const AuditQuery = z
  .object({
    from: IsoDay,
    to: IsoDay,
    who: z.string().max(80).optional(),
    action: z.string().max(80).optional(),
    outcome: z.enum(['done', 'refused']).optional(),
    format: z.enum(['json', 'csv']),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuery>;

/** The instants from the start of local day `from` to the end of local day `to` in `timeZone`. */
export function dayRange(from: string, to: string, timeZone: string): { from: number; to: number } {
  return {
    from: DateTime.fromISO(from, { zone: timeZone }).startOf('day').toMillis(),
    to: DateTime.fromISO(to, { zone: timeZone }).endOf('day').toMillis(),
  };
}

/** The entries a query asks for: `who` and `action` match anywhere in the name, case aside. */
export function auditMatches(e: AuditEntry, q: Pick<AuditQuery, 'who' | 'action' | 'outcome'>): boolean {
  const has = (text: string, part: string | undefined) =>
    part === undefined || text.toLowerCase().includes(part.toLowerCase());
  return has(e.who, q.who) && has(e.action, q.action) && (q.outcome === undefined || e.outcome === q.outcome);
}
