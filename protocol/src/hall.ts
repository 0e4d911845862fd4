import { z } from 'zod';
import { HallRules } from './alerts.js';
import { Id } from './common.js';
import { CalendarOverrides } from './calendar.js';
import { ServiceCatalogue } from './catalogue.js';

/** Hall levels of the standard's scope (R2). */
export const HallLevel = z.enum(['city', 'district', 'sub-centre', 'township', 'community']);

/** Window types (R1): consultation, comprehensive service, and the “办不成事” window (R14). */
export const CounterType = z.enum(['consult', 'comprehensive', 'complaint']);
export type CounterType = z.infer<typeof CounterType>;

/** See `access.ts`: what each role may do. */
export const Role = z.enum(['staff', 'manager', 'city-manager', 'admin']);
export type Role = z.infer<typeof Role>;

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
/** One opening period of a day, in the hall's local time. */
export const OpeningPeriod = z.object({ open: Clock, close: Clock });
export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export const OpeningHours = z.partialRecord(Weekday, z.array(OpeningPeriod));

/** A service (政务服务事项, R3) as the hall queues it. */
export const Service = z.object({
  id: Id,
  code: z.string().min(1).max(40),
  name: z.string().min(1).max(60),
  nameEn: z.string().min(1).max(80),
  prefix: z.string().regex(/^[A-Z]$/, 'one capital letter'),
  category: z.string().min(1).max(40),
  categoryEn: z.string().min(1).max(60),
  expectedMinutes: z.number().positive().max(480),
  targetWaitMinutes: z.number().positive().max(480),
  /**
   * #12: `required`: an applicant gives their ID number to take a ticket (typed, or from the kiosk's
   * card reader) and holds at most one live ticket of this service; the hub keeps only its keyed hash.
   */
  identification: z.enum(['none', 'required']).default('none'),
  flags: z
    .object({
      onTheSpot: z.boolean().default(false),
      commitment: z.boolean().default(false),
      deficiencyAcceptance: z.boolean().default(false),
    })
    .default({ onTheSpot: false, commitment: false, deficiencyAcceptance: false }),
  /** #13 (R3, R27, R28, R39): the service's catalogue entry; an admin may change it while the hall runs. */
  catalogue: ServiceCatalogue.optional(),
});
export type Service = z.infer<typeof Service>;

/** A counter (window) of the hall (R1). */
export const Counter = z.object({
  id: Id,
  number: z.number().int().positive().max(999),
  type: CounterType,
  serviceIds: z.array(Id),
  floor: z.number().int().min(-5).max(200).default(1),
  zone: z.string().max(40).default(''),
});
export type Counter = z.infer<typeof Counter>;

/** A staff member as the public and colleagues see them (R29: name and badge on duty). */
export const StaffPublic = z.object({
  id: Id,
  name: z.string().min(1).max(40),
  badge: z.string().min(1).max(20),
});
export type StaffPublic = z.infer<typeof StaffPublic>;

/** A staff member with their account. */
export const Staff = StaffPublic.extend({
  username: z.string().min(1).max(40),
  roles: z.array(Role).min(1),
  /** `scrypt$N$r$p$saltB64$hashB64` */
  passwordHash: z.string().startsWith('scrypt$'),
});
export type Staff = z.infer<typeof Staff>;

/** Screens and terminals on socket.io/REST, and the hall hardware on MQTT (docs/devices.md). */
export const DeviceKind = z.enum([
  'display',
  'window-display',
  'dispenser',
  'counter-terminal',
  'printer',
  'keypad',
  'evaluator',
  'id-reader',
  'speaker',
  'gateway',
]);
export type DeviceKind = z.infer<typeof DeviceKind>;
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
/** A device of the hall: it acts for the hall or its counter, never for a person. */
export const Device = z.object({
  id: Id,
  kind: DeviceKind,
  counterId: Id.optional(),
  /** The dispenser a printer prints for. */
  pairedWith: Id.optional(),
  /** sha256 hex of the device's socket.io/REST token; the token itself is handed to the device once. */
  tokenSha256: sha256Hex.optional(),
  /** sha256 hex of its MQTT password (its username is its id): never a REST or socket credential. */
  mqttPasswordSha256: sha256Hex.optional(),
});
export type Device = z.infer<typeof Device>;

/**
 * How counters pick the next ticket. `fifo`: the calling order (bounded head starts for special care
 * and appointments, R15) across every service the counter serves. `balanced`: a counter prefers its
 * primary service (the first it lists), takes the service whose waits risk breaking their target
 * first, gives special care at most `specialCareRun` calls in a row while others wait, and calls
 * anyone waiting past twice their target before anyone who is not (so nobody starves).
 */
export const RoutingPolicy = z.enum(['fifo', 'balanced']);
export type RoutingPolicy = z.infer<typeof RoutingPolicy>;
export const Routing = z.object({
  policy: RoutingPolicy,
  specialCareRun: z.number().int().min(1).max(20),
});
export type Routing = z.infer<typeof Routing>;
/** A hall configured before routing policies keeps calling as it did. */
export const DEFAULT_ROUTING: Routing = { policy: 'fifo', specialCareRun: 3 };

/** R5: who is expected when (and where): a line of the hall's weekly roster. */
export const RosterLine = z.object({
  staffId: Id,
  days: z.array(Weekday).min(1),
  from: Clock,
  to: Clock,
  counterId: Id.optional(),
});
export type RosterLine = z.infer<typeof RosterLine>;

/** The static description of a hall: what it offers, where, and who works there. */
export const HallConfig = z.object({
  id: Id,
  name: z.string().min(1).max(60),
  nameEn: z.string().min(1).max(80),
  level: HallLevel,
  timeZone: z.string().default('Asia/Shanghai'),
  openingHours: OpeningHours,
  services: z.array(Service).min(1),
  counters: z.array(Counter).min(1),
  staff: z.array(Staff),
  devices: z.array(Device).default([]),
  routing: Routing.default(DEFAULT_ROUTING),
  /** The live rules' limits (absence, empty post, escalation); the standard's defaults. */
  rules: HallRules.prefault({}),
  /** R5: the weekly roster attendance is measured against. */
  roster: z.array(RosterLine).default([]),
  /** #13: days added to or taken from the published holiday schedule (deadlines count working days). */
  calendar: CalendarOverrides.prefault({}),
});
export type HallConfig = z.infer<typeof HallConfig>;

/** What an installation runs: one or many halls (R2). */
export const InstallationConfig = z.object({ halls: z.array(HallConfig).min(1) });
export type InstallationConfig = z.infer<typeof InstallationConfig>;
