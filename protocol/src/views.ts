import { Account, DeviceBlock } from './access.js';
import { z } from 'zod';
import { RevealedApplicant } from './privacy.js';
import { Case } from './cases.js';
import { WrittenNotice } from './catalogue.js';
import { Alert, HallRules } from './alerts.js';
import { Emergency, PublicEmergency } from './emergencies.js';
import { Leave } from './leave.js';
import { Id, Timestamp } from './common.js';
import {
  Counter,
  CounterType,
  DeviceKind,
  HallLevel,
  OpeningHours,
  Routing,
  Service,
  StaffPublic,
} from './hall.js';
import { CarryOver, CounterState, CounterStatus, Priority, Ticket, TicketStatus } from './ticket.js';
import {
  Estimate,
  HandlingEstimate,
  isWorking,
  predictWait,
  shareOf,
  WaitBand,
  withPaused,
  type Server,
} from './waits.js';

export const HallInfo = z.object({
  id: Id,
  name: z.string(),
  nameEn: z.string(),
  level: HallLevel,
  timeZone: z.string(),
  openingHours: OpeningHours,
  /** R26: when applicants may take tickets (the kiosk shows when issuing opens again). */
  issuing: z.enum(['opening-hours', 'always']).default('opening-hours'),
  lastTicketMinutes: z.number().int().nonnegative().default(0),
});
export type HallInfo = z.infer<typeof HallInfo>;

/** A notice a manager posted to the walls. */
export const Notice = z.object({ id: Id, text: z.string(), at: Timestamp });
export type Notice = z.infer<typeof Notice>;

/** A call as the wall lists it. */
export const CallRecord = z.object({
  number: z.string(),
  serviceId: Id,
  counterId: Id,
  counterNumber: z.number().int(),
  recalls: z.number().int(),
  at: Timestamp,
});
export type CallRecord = z.infer<typeof CallRecord>;

/** How many calls the hall keeps for its screens, newest first. */
export const RECENT_CALLS = 12;

/** A call as the screens list it, from its event: one definition for the hub and every screen. */
export function callRecord(
  e: Pick<CallRecord, 'number' | 'serviceId' | 'counterId' | 'counterNumber' | 'recalls' | 'at'>,
): CallRecord {
  const { number, serviceId, counterId, counterNumber, recalls, at } = e;
  return { number, serviceId, counterId, counterNumber, recalls, at };
}

/** The recent calls after `call`: newest first, at most `keep`. */
export const withCall = (calls: readonly CallRecord[], call: CallRecord, keep = RECENT_CALLS): CallRecord[] =>
  [call, ...calls].slice(0, keep);

/** What anyone standing in the hall may see (R9: no personal data; R29: staff on duty). */
export const PublicSnapshot = z.object({
  protocolVersion: z.string(),
  version: z.number().int().nonnegative(),
  hall: HallInfo,
  services: z.array(
    Service.pick({
      id: true,
      code: true,
      name: true,
      nameEn: true,
      prefix: true,
      category: true,
      categoryEn: true,
      expectedMinutes: true,
      identification: true,
    }).extend({
      waiting: z.number().int().nonnegative(),
      issuing: z.boolean(),
      /** How long the service takes, as the hall has learnt it: what the wall's expected waits use. */
      handling: Estimate,
    }),
  ),
  counters: z.array(
    z.object({
      id: Id,
      number: z.number().int(),
      type: CounterType,
      serviceIds: z.array(Id),
      floor: z.number().int(),
      zone: z.string(),
      state: CounterState,
      staff: z.object({ name: z.string(), badge: z.string() }).nullable(),
      current: z.object({ number: z.string(), serviceId: Id }).nullable(),
    }),
  ),
  recentCalls: z.array(CallRecord),
  notices: z.array(z.lazy(() => Notice)),
  /** The emergency in force (R38): every wall shows it full screen. */
  emergency: PublicEmergency.nullable().default(null),
});
export type PublicSnapshot = z.infer<typeof PublicSnapshot>;

/**
 * The expected wait of a ticket taken now for `serviceId`, as the wall shows it (null: no window
 * serves it now): everybody waiting for the working counters that serve it is called first, at the
 * pace the hall has learnt for the service. The same prediction the engine makes for each ticket.
 */
export function newTicketWait(s: PublicSnapshot, serviceId: Id): WaitBand | null {
  const service = s.services.find((x) => x.id === serviceId);
  if (!service) return null;
  const work = (sid: Id) => {
    const x = s.services.find((y) => y.id === sid);
    return x ? (x.waiting + (sid === serviceId ? 1 : 0)) * x.handling.meanMinutes : 0;
  };
  const servers: Server[] = [];
  const paused: Server[] = [];
  for (const c of s.counters) {
    if (!c.serviceIds.includes(serviceId) || !(isWorking(c.state) || c.state === 'paused')) continue;
    const server = {
      ...service.handling,
      free: c.state === 'open',
      share: shareOf(serviceId, c.serviceIds, work),
    };
    (c.state === 'paused' ? paused : servers).push(server);
  }
  return withPaused(predictWait(service.waiting, servers), service.waiting, servers, paused);
}

/** A device's health as the hub last heard it from the edge gateway. */
export const DeviceHealth = z.object({
  online: z.boolean(),
  /** Faults it reports, e.g. `paper-out`. */
  faults: z.array(z.string()),
  /** When it came online, went offline or its faults changed: an offline device was last seen then. */
  since: Timestamp,
});
export type DeviceHealth = z.infer<typeof DeviceHealth>;

/** A block of numbers reserved for a gateway to issue from while the hub is unreachable. */
export const NumberBlock = z.object({
  deviceId: Id,
  serviceId: Id,
  day: z.string(),
  from: z.number().int().positive(),
  to: z.number().int().positive(),
  /** Numbers of the block the hub has already reconciled into the queue. */
  used: z.array(z.number().int()),
});
export type NumberBlock = z.infer<typeof NumberBlock>;

/** A device as staff see it: what it is, where, and whether it works. */
export const DeviceView = z.object({
  id: Id,
  kind: DeviceKind,
  counterId: Id.nullable(),
  pairedWith: Id.nullable(),
  /** Null until the gateway has reported on it. */
  health: DeviceHealth.nullable(),
});
export type DeviceView = z.infer<typeof DeviceView>;

/** What staff and managers see: the whole live hall. */
export const StaffSnapshot = z.object({
  protocolVersion: z.string(),
  version: z.number().int().nonnegative(),
  hall: HallInfo,
  services: z.array(Service),
  counters: z.array(Counter),
  staff: z.array(StaffPublic),
  counterStatus: z.array(CounterStatus),
  /** The hall's devices as configured, with their health as the edge gateway reports it. */
  devices: z.array(DeviceView),
  /** Number blocks reserved today for gateways to issue from offline. */
  numberBlocks: z.array(NumberBlock),
  tickets: z.array(Ticket),
  recentCalls: z.array(CallRecord),
  notices: z.array(Notice),
  /** Services whose ticket issuing a manager paused. */
  issuingPaused: z.array(Id),
  /** Handling times learnt per service and per staff member: what the expected waits use. */
  estimates: z.array(HandlingEstimate),
  /** How counters pick the next ticket (a manager switches it). */
  routing: Routing,
  /** The live rules' limits (absence, empty post, escalation). */
  rules: HallRules,
  /** Open alerts and today's resolved ones (`alertOrder`). */
  alerts: z.array(Alert),
  /** The emergency in force (R38), with where it has been shown. */
  emergency: Emergency.nullable(),
  /** Carry-over codes still valid or used (R26). */
  carryOvers: z.array(CarryOver).default([]),
  /** Leave recorded for today or later (R7). */
  leave: z.array(Leave).default([]),
  /** R8: every staff account as it is now (active, roles). */
  accounts: z.array(Account).default([]),
  /** Devices a manager deactivated. */
  deviceBlocks: z.array(DeviceBlock).default([]),
  /** #13: follow-up cases, open ones and those closed lately (`caseOrder`), applicants masked. */
  cases: z.array(Case).default([]),
  /** R18: the written notices given lately, for reprints (the ticket names its own). */
  writtenNotices: z.array(WrittenNotice).default([]),
  /** R4: window staff per window, against the norm of 1.2. */
  staffing: z
    .object({ staff: z.number(), windows: z.number(), ratio: z.number(), belowNorm: z.boolean() })
    .optional(),
});
export type StaffSnapshot = z.infer<typeof StaffSnapshot>;

/** A ticket as its holder sees it: status and position, nothing personal. */
export const TicketView = z.object({
  id: Id,
  hallId: Id,
  number: z.string(),
  serviceId: Id,
  priority: Priority,
  status: TicketStatus,
  issuedAt: Timestamp,
  /** Tickets that will be called before this one while it waits; 0 once called. */
  ahead: z.number().int().nonnegative(),
  /** The engine's expected wait while it waits (null once called, or when no open window may call it). */
  wait: WaitBand.nullable(),
  counterId: Id.nullable(),
  counterNumber: z.number().int().nullable(),
  recalls: z.number().int().nonnegative(),
  /** R26: when the hall's current opening period closes (null: outside the opening hours). */
  closesAt: Timestamp.nullable().default(null),
  /** R26: while waiting, whether the expected call falls after closing (or no window serves it now). */
  pastClosing: z.boolean().default(false),
  /** The carry-over code the applicant was given, and until when it is good (status `carried-over`). */
  carryOver: z.object({ code: z.string(), validUntil: z.string() }).nullable().default(null),
  /** R29: who served it (name and badge, as the window shows them). */
  servedBy: z.object({ name: z.string(), badge: z.string() }).nullable().default(null),
  /** R34: the applicant's rating once given. */
  rating: z
    .object({ level: z.number().int().min(1).max(5) })
    .nullable()
    .default(null),
  /** R34: until when it may be rated (null: not completed, already rated, or the time is over). */
  ratingOpenUntil: Timestamp.nullable().default(null),
});
export type TicketView = z.infer<typeof TicketView>;

/** What an applied command answers with. */
export const CommandReply = z.object({
  version: z.number().int().nonnegative(),
  ticket: Ticket.nullable(),
  counter: CounterStatus.nullable(),
  /** True when this answers a retry of a keyed command that was already done: nothing new happened. */
  replayed: z.boolean().optional(),
  /** `ticket:reveal-applicant`: the applicant's name and number in full, for the one who asked. */
  applicant: RevealedApplicant.optional(),
  /** A case command: the case as it is now. */
  case: Case.optional(),
});
export type CommandReply = z.infer<typeof CommandReply>;
