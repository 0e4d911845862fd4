import { z } from 'zod';
import { Id, Timestamp } from './common.js';
import { Role, type HallConfig } from './hall.js';

/**
 * Who may act where (#12, R8). Roles: `staff` works the counter they signed in to; `manager` runs
 * their own hall; `city-manager` reads and dispatches in every hall of the installation; `admin`
 * keeps accounts and configuration (and may act as a manager anywhere). Devices act for their hall,
 * or for their own counter. The guards that apply this are in `hall-rules.ts`; this file holds the
 * account records a hall keeps live on top of its configuration.
 */

/** Roles that reach beyond the staff member's own hall. */
export const CROSS_HALL_ROLES: readonly Role[] = ['city-manager', 'admin'];

/** A staff account as the hall has it now: the configuration, changed by what managers and admins did. */
export const Account = z.object({
  staffId: Id,
  active: z.boolean(),
  roles: z.array(Role),
  /** Sessions started before this instant are over (a sign-out everywhere, a role change, a deactivation). */
  sessionsFrom: Timestamp,
  /** Why it was deactivated (empty while active). */
  note: z.string(),
});
export type Account = z.infer<typeof Account>;

/** A device switched off by a manager (lost, stolen, replaced): its credentials count for nothing. */
export const DeviceBlock = z.object({ deviceId: Id, at: Timestamp, note: z.string() });
export type DeviceBlock = z.infer<typeof DeviceBlock>;

/** A staff member's account before anyone changed it: active, with the configured roles. */
export function configuredAccount(config: Pick<HallConfig, 'staff'>, staffId: Id): Account | null {
  const s = config.staff.find((x) => x.id === staffId);
  return s ? { staffId, active: true, roles: [...s.roles], sessionsFrom: 0, note: '' } : null;
}

/** The account of `staffId` as the hall has it now (null: not staff of the hall). */
export function accountOf(
  config: Pick<HallConfig, 'staff'>,
  accounts: ReadonlyMap<Id, Account>,
  staffId: Id,
): Account | null {
  if (!config.staff.some((s) => s.id === staffId)) return null;
  return accounts.get(staffId) ?? configuredAccount(config, staffId);
}

/** What a session is: its id and when it started (both in the signed token). */
export type SessionRef = { sessionId: string; issuedAt: number };

/**
 * Whether a session of this account is still live: the account is active, the session started after
 * its sessions were last ended, and it was not signed out on its own.
 */
export function sessionLive(
  account: Account | null,
  session: SessionRef,
  signedOut: ReadonlyMap<string, number>,
): account is Account {
  return (
    account !== null &&
    account.active &&
    session.issuedAt >= account.sessionsFrom &&
    !signedOut.has(session.sessionId)
  );
}

/** How long a signed-out session id is remembered: the longest a session's refresh token lives. */
export const SESSION_MAX_MS = 12 * 3600_000;
/** How long an access token lives: a revoked session's tokens die with it, an expired one is refreshed. */
export const ACCESS_TOKEN_MS = 15 * 60_000;

/** Events that change a staff account or end sessions: live sockets of that account are checked again. */
export const ACCOUNT_EVENTS: ReadonlySet<string> = new Set([
  'staff:deactivated',
  'staff:reactivated',
  'staff:roles-changed',
  'staff:sessions-ended',
]);
/** Events that switch a device's credentials off or on. */
export const DEVICE_ACCESS_EVENTS: ReadonlySet<string> = new Set([
  'device:deactivated',
  'device:reactivated',
]);
