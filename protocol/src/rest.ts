import { z } from 'zod';
import { Id } from './common.js';
import { IsoDay } from './leave.js';
import { CommandPayloads, type CommandType } from './commands.js';
import { CounterType, HallLevel, Role } from './hall.js';

export const LoginBody = z
  .object({ username: z.string().min(1).max(40), password: z.string().min(1).max(200) })
  .strict();
/** A session's tokens: a short-lived access token and the refresh token that renews it (#12, R8). */
export const LoginReply = z.object({
  token: z.string(),
  expiresAt: z.number().int(),
  refreshToken: z.string(),
  refreshExpiresAt: z.number().int(),
  staff: z.object({ id: Id, name: z.string(), badge: z.string(), roles: z.array(Role), hallId: Id }),
});
export type LoginReply = z.infer<typeof LoginReply>;
export const RefreshBody = z.object({ refreshToken: z.string().min(1).max(2000) }).strict();

export const HallSummary = z.object({ id: Id, name: z.string(), nameEn: z.string(), level: HallLevel });

/** The public description of a hall: its services and counters. */
export const HallDescription = HallSummary.extend({
  timeZone: z.string(),
  services: z.array(
    z.object({
      id: Id,
      code: z.string(),
      name: z.string(),
      nameEn: z.string(),
      prefix: z.string(),
      category: z.string(),
    }),
  ),
  counters: z.array(
    z.object({ id: Id, number: z.number().int(), type: CounterType, serviceIds: z.array(Id) }),
  ),
});
export type HallDescription = z.infer<typeof HallDescription>;

/** The body of `POST /tickets/{ticketId}/rating` (R34): the applicant's rating on their phone. */
export const RatingBody = (CommandPayloads['ticket:rate'] as z.ZodObject).omit({ ticketId: true });

/** The body of `POST /halls/{hallId}/tickets`. */
export const IssueTicketBody = CommandPayloads['ticket:issue'];

/** The counter actions of `POST /halls/{hallId}/counters/{counterId}/{action}`, each mapped to its command. */
export const COUNTER_ACTIONS = {
  open: 'counter:open',
  'call-next': 'counter:call-next',
  call: 'counter:call',
  recall: 'counter:recall',
  start: 'counter:start',
  complete: 'counter:complete',
  'no-show': 'counter:no-show',
  transfer: 'counter:transfer',
  requeue: 'counter:requeue',
  pause: 'counter:pause',
  resume: 'counter:resume',
  close: 'counter:close',
  'report-incident': 'counter:report-incident',
} as const satisfies Record<string, CommandType>;
export type CounterAction = keyof typeof COUNTER_ACTIONS;

/** The alert actions of `POST /halls/{hallId}/alerts/{alertId}/{action}` (managers). */
export const ALERT_ACTIONS = {
  acknowledge: 'alert:acknowledge',
  assign: 'alert:assign',
  resolve: 'alert:resolve',
} as const satisfies Record<string, CommandType>;
export type AlertAction = keyof typeof ALERT_ACTIONS;

/** The body of `POST /halls/{hallId}/emergency` (R38: a fire panel or a script may declare too). */
export const DeclareEmergencyBody = CommandPayloads['hall:declare-emergency'];

/** The query of `GET /halls/{hallId}/attendance` (today by default). */
export const AttendanceQuery = z
  .object({ from: IsoDay, to: IsoDay, format: z.enum(['json', 'csv']) })
  .strict();

/** R8: account actions of `POST /halls/{hallId}/staff/{staffId}/{action}`, each mapped to its command. */
export const STAFF_ACTIONS = {
  deactivate: 'staff:deactivate',
  reactivate: 'staff:reactivate',
  'change-roles': 'staff:change-roles',
  'end-sessions': 'staff:end-sessions',
} as const satisfies Record<string, CommandType>;
export type StaffAction = keyof typeof STAFF_ACTIONS;

/** R8: `POST /halls/{hallId}/devices/{deviceId}/{action}`: a lost or replaced device's credentials off, or on again. */
export const DEVICE_ACTIONS = {
  deactivate: 'device:deactivate',
  reactivate: 'device:reactivate',
} as const satisfies Record<string, CommandType>;
export type DeviceAction = keyof typeof DEVICE_ACTIONS;

/**
 * A family of actions named by a REST path `/halls/{hallId}/{segment}/{id}/{action}`: which command
 * each action is, and which of its fields the path names.
 */
export type PathActions = {
  readonly name: string;
  /** Who the hall's rules let do them (for the API's reader; the rules decide). */
  readonly who: string;
  readonly segment: string;
  readonly id: string;
  readonly commands: Readonly<Record<string, CommandType>>;
};
export const COUNTER_PATH = {
  name: 'counter',
  who: 'the clerk signed in at the counter, its own devices, or a manager',
  segment: 'counters',
  id: 'counterId',
  commands: COUNTER_ACTIONS,
};
/** R9: `POST /halls/{hallId}/tickets/{ticketId}/reveal-applicant`: an applicant's details in full, with a reason. */
export const TICKET_ACTIONS = {
  'reveal-applicant': 'ticket:reveal-applicant',
  /** #13 (R18, R24, R27): a written notice for the ticket, from its service's catalogue. */
  'issue-notice': 'ticket:issue-notice',
} as const satisfies Record<string, CommandType>;

/** #13 (R3, R39): `POST /halls/{hallId}/services/{serviceId}/catalogue`: an admin sets a service's entry. */
export const SERVICE_ACTIONS = {
  catalogue: 'service:set-catalogue',
} as const satisfies Record<string, CommandType>;

/** #13 (R14, R36): `POST /halls/{hallId}/cases/{caseId}/{action}`: a follow-up case worked. */
export const CASE_ACTIONS = {
  assign: 'case:assign',
  record: 'case:record',
  close: 'case:close',
  'reveal-applicant': 'case:reveal-applicant',
} as const satisfies Record<string, CommandType>;

/** The body of `POST /halls/{hallId}/cases`: a complaint or a “办不成事” problem recorded by staff. */
export const OpenCaseBody = CommandPayloads['case:open'];

/**
 * Signed-in staff's path actions besides the counters', each a hall command checked by the hall's
 * rules: alerts, accounts and devices (R8) for managers, and a ticket's applicant details (R9).
 */
export const STAFF_PATH_ACTIONS: readonly PathActions[] = [
  { name: 'alert', who: 'managers', segment: 'alerts', id: 'alertId', commands: ALERT_ACTIONS },
  {
    name: 'staff',
    who: 'managers; roles by admins',
    segment: 'staff',
    id: 'staffId',
    commands: STAFF_ACTIONS,
  },
  { name: 'device', who: 'managers', segment: 'devices', id: 'deviceId', commands: DEVICE_ACTIONS },
  {
    name: 'ticket',
    who: 'the clerk serving or who served the ticket (its first contact too, for its applicant), or a manager',
    segment: 'tickets',
    id: 'ticketId',
    commands: TICKET_ACTIONS,
  },
  { name: 'service', who: 'admins', segment: 'services', id: 'serviceId', commands: SERVICE_ACTIONS },
  {
    name: 'case',
    who: 'managers assign; the case’s assignee or a manager records, closes and sees the applicant (R9, recorded)',
    segment: 'cases',
    id: 'caseId',
    commands: CASE_ACTIONS,
  },
];

/** The body of a path action: its command's payload without the id the path names (checked strictly). */
export function pathActionBody(p: PathActions, action: string) {
  const mask: Record<string, true> = { [p.id]: true };
  return (CommandPayloads[p.commands[action]!] as z.ZodObject).omit(mask);
}
/** The body schema of a counter action: its command's payload without the counter id (it is in the path). */
export const counterActionBody = (action: CounterAction) => pathActionBody(COUNTER_PATH, action);
