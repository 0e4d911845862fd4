import { Map as PMap } from 'immutable';
import { estimateKey, estimatesOf, NO_QUEUES, queuesOf, type Queues } from '@yichuang/protocol';
import type {
  Account,
  ApplicantOnFile,
  Alert,
  Case,
  DeviceBlock,
  CarryOver,
  Emergency,
  Leave,
  CallRecord,
  CounterSession,
  CounterStatus,
  DeviceHealth,
  Estimate,
  HallConfig,
  HandlingEstimate,
  Id,
  Notice,
  NumberBlock,
  Routing,
  ServiceCatalogue,
  Ticket,
  WrittenNotice,
} from '@yichuang/protocol';

/** The last number issued for a service and the local day it was issued on. */
export type Numbering = { day: string; last: number };

/**
 * The live state of one hall: its configuration plus everything the day's events made of it.
 * Records keyed by id are `Map`s, so no id (`constructor`, `__proto__`…) can name a built-in.
 */
export type HallState = {
  readonly version: number;
  /** The hall's local date of the latest event ('' before the first). */
  readonly day: string;
  /** When the latest event happened (0 before the first): timers for what is already past are not set. */
  readonly lastAt: number;
  readonly config: HallConfig;
  readonly counters: ReadonlyMap<Id, CounterStatus>;
  /**
   * Persistent maps (Immutable.js): an event changes one record and shares the rest, so a
   * transition costs the same on a day of 100 tickets or 10,000.
   */
  readonly tickets: PMap<Id, Ticket>;
  /** The waiting tickets in calling order per service: what calling and "ahead" read. */
  readonly queues: Queues;
  /** Last number issued per service on `day` (the hall's local date). */
  readonly numbering: ReadonlyMap<Id, Numbering>;
  /** The latest calls, newest first, as the wall lists them. */
  readonly recentCalls: readonly CallRecord[];
  /** Notices on the walls, newest first. */
  readonly notices: readonly Notice[];
  /** Services whose issuing a manager paused. */
  readonly issuingPaused: readonly Id[];
  /** Idempotency keys acted on today, with what they did: a retry is answered, not redone. */
  readonly handled: PMap<string, Handled>;
  /** Today's number blocks reserved for gateways to issue from offline. */
  readonly numberBlocks: readonly NumberBlock[];
  /** Devices' health as the edge gateway last reported it. */
  readonly deviceHealth: ReadonlyMap<Id, DeviceHealth>;
  /** Handling times learnt per service and per staff member (`estimateKey`); they outlive the day. */
  readonly estimates: ReadonlyMap<string, Estimate>;
  /** How counters pick the next ticket (starts from the configuration; a manager switches it). */
  readonly routing: Routing;
  /** Special-care tickets each counter called in a row (the balanced policy's run limit). */
  readonly specialRuns: ReadonlyMap<Id, number>;
  /** Open alerts, and those resolved today, by id in the order they were raised. */
  readonly alerts: ReadonlyMap<Id, Alert>;
  /** The emergency in force (R38), with its delivery receipts; null in normal operation. */
  readonly emergency: Emergency | null;
  /** R26: the closing-time forecasts made today (`closesAt:mark`). */
  readonly closingChecks: readonly string[];
  /** R26, R38: carry-over codes by code, kept until they expire. */
  readonly carryOvers: ReadonlyMap<string, CarryOver>;
  /** R7: leave for today and later, by id. */
  readonly leave: ReadonlyMap<Id, Leave>;
  /**
   * R5, R6, R7: today's sittings at counters with their pauses, and those still open from before
   * (what attendance is computed from; each day's go to the history store, #14).
   */
  readonly counterSessions: readonly CounterSession[];
  /** R8: accounts a manager or admin changed (deactivated, roles, sessions ended); the rest are as configured. */
  readonly accounts: ReadonlyMap<Id, Account>;
  /** Sessions signed out one by one, with when (kept for `SESSION_MAX_MS`, as long as one can live). */
  readonly signedOut: ReadonlyMap<string, number>;
  /** Devices a manager deactivated. */
  readonly deviceBlocks: ReadonlyMap<Id, DeviceBlock>;
  /** #12, R9: the applicants of today's tickets who gave their details, in full (never sent to anyone). */
  readonly applicants: PMap<Id, ApplicantOnFile>;
  /** The tickets issued to each ID hash (the one-live-ticket rule); rebuilt from `applicants`. */
  readonly idHolders: PMap<string, readonly Id[]>;
  /** R34: completed tickets still open for a rating, with when they were completed (rebuilt from tickets). */
  readonly ratingsOpen: PMap<Id, number>;
  /** #13: follow-up cases, open ones and those closed in the last `CLOSED_CASE_DAYS` (they outlive the day). */
  readonly cases: ReadonlyMap<Id, Case>;
  /** R36: the name and number to call back, per open case (in full; never sent but through a reveal). */
  readonly caseApplicants: ReadonlyMap<Id, ApplicantOnFile>;
  /** Cases are numbered per hall and year. */
  readonly caseNumbering: { year: number; last: number };
  /** #13: catalogue entries an admin set while the hall runs (over the configuration's), by service. */
  readonly catalogues: ReadonlyMap<Id, ServiceCatalogue>;
  /** R18: the written notices given in the last `CLOSED_CASE_DAYS` days, for reprints. */
  readonly writtenNotices: ReadonlyMap<Id, WrittenNotice>;
  /** The last number of each kind of notice per year (`2026:one-time`). */
  readonly noticeNumbering: ReadonlyMap<string, number>;
};

/** What a keyed command did: the version of its first event and the ticket it concerned, if any. */
export type Handled = { day: string; version: number; ticketId: Id | null };

/** How many notices the walls carry at once. */
export const MAX_NOTICES = 10;

/** The state of a hall before its first event: every counter closed. */
export function initialState(config: HallConfig): HallState {
  const counters = new Map<Id, CounterStatus>();
  for (const c of config.counters) {
    counters.set(c.id, {
      id: c.id,
      state: 'closed',
      staffId: null,
      ticketId: null,
      pauseReason: null,
      pauseNote: '',
      since: 0,
      absentSince: null,
      absentMs: 0,
      absenceExceeded: false,
      check: null,
      serviceIds: [...c.serviceIds],
    });
  }
  return {
    version: 0,
    day: '',
    lastAt: 0,
    config,
    counters,
    tickets: PMap(),
    queues: NO_QUEUES,
    numbering: new Map(),
    recentCalls: [],
    notices: [],
    issuingPaused: [],
    handled: PMap(),
    numberBlocks: [],
    deviceHealth: new Map(),
    estimates: new Map(),
    routing: config.routing,
    specialRuns: new Map(),
    alerts: new Map(),
    emergency: null,
    closingChecks: [],
    carryOvers: new Map(),
    leave: new Map(),
    counterSessions: [],
    accounts: new Map(),
    signedOut: new Map(),
    deviceBlocks: new Map(),
    applicants: PMap(),
    idHolders: PMap(),
    ratingsOpen: PMap(),
    cases: new Map(),
    caseApplicants: new Map(),
    caseNumbering: { year: 0, last: 0 },
    catalogues: new Map(),
    writtenNotices: new Map(),
    noticeNumbering: new Map(),
  };
}

/**
 * The sittings a snapshot saved before they were kept implies: whoever sits at a counter, since its
 * last change (the sign-in time itself was not kept), paused since then if the counter is paused.
 */
function sessionsOfCounters(counters: ReadonlyMap<Id, CounterStatus>): CounterSession[] {
  return [...counters.values()]
    .filter((c) => c.staffId !== null && c.state !== 'closed')
    .map((c) => ({
      counterId: c.id,
      staffId: c.staffId!,
      from: c.since,
      to: null,
      pauses: c.state === 'paused' ? [{ from: c.since, to: null, reason: c.pauseReason ?? 'other' }] : [],
    }));
}

/** R34: the completed tickets not rated and not closed, with when they were completed. */
function ratingsOpenOf(tickets: Iterable<Ticket>): PMap<Id, number> {
  return PMap<Id, number>().withMutations((open) => {
    for (const t of tickets)
      if (t.status === 'completed' && !t.rating && !t.ratingNotGiven) open.set(t.id, t.endedAt ?? 0);
  });
}

/** Which tickets each ID hash was issued (the index of `applicants` the one-ticket rule reads). */
export function holdersOf(applicants: PMap<Id, ApplicantOnFile>): PMap<string, readonly Id[]> {
  return PMap<string, readonly Id[]>().withMutations((m) => {
    for (const [ticketId, a] of applicants)
      if (a.idHash) m.set(a.idHash, [...(m.get(a.idHash) ?? []), ticketId]);
  });
}

/** What a snapshot keeps of a hall, as plain JSON: everything but the configuration. */
export type SnapshotData = {
  version: number;
  day: string;
  lastAt?: number;
  counters: CounterStatus[];
  tickets: Ticket[];
  numbering: Array<[Id, Numbering]>;
  recentCalls: CallRecord[];
  notices: Notice[];
  issuingPaused: Id[];
  handled?: Array<[string, Handled]>;
  numberBlocks?: NumberBlock[];
  deviceHealth?: Array<[Id, DeviceHealth]>;
  estimates?: HandlingEstimate[];
  routing?: Routing;
  specialRuns?: Array<[Id, number]>;
  alerts?: Alert[];
  emergency?: Emergency | null;
  closingChecks?: string[];
  carryOvers?: CarryOver[];
  leave?: Leave[];
  counterSessions?: CounterSession[];
  accounts?: Account[];
  signedOut?: Array<[string, number]>;
  deviceBlocks?: DeviceBlock[];
  applicants?: Array<[Id, ApplicantOnFile]>;
  cases?: Case[];
  caseApplicants?: Array<[Id, ApplicantOnFile]>;
  caseNumbering?: { year: number; last: number };
  catalogues?: Array<[Id, ServiceCatalogue]>;
  writtenNotices?: WrittenNotice[];
  noticeNumbering?: Array<[string, number]>;
};

/** What to save of a hall. */
export function toSnapshot(state: HallState): SnapshotData {
  return {
    version: state.version,
    day: state.day,
    lastAt: state.lastAt,
    counters: [...state.counters.values()],
    tickets: [...state.tickets.values()],
    numbering: [...state.numbering],
    recentCalls: [...state.recentCalls],
    notices: [...state.notices],
    issuingPaused: [...state.issuingPaused],
    handled: [...state.handled],
    numberBlocks: [...state.numberBlocks],
    deviceHealth: [...state.deviceHealth],
    estimates: estimateList(state),
    routing: state.routing,
    specialRuns: [...state.specialRuns],
    alerts: [...state.alerts.values()],
    emergency: state.emergency,
    closingChecks: [...state.closingChecks],
    carryOvers: [...state.carryOvers.values()],
    leave: [...state.leave.values()],
    counterSessions: [...state.counterSessions],
    accounts: [...state.accounts.values()],
    signedOut: [...state.signedOut],
    deviceBlocks: [...state.deviceBlocks.values()],
    applicants: [...state.applicants],
    cases: [...state.cases.values()],
    caseApplicants: [...state.caseApplicants],
    caseNumbering: state.caseNumbering,
    catalogues: [...state.catalogues],
    writtenNotices: [...state.writtenNotices.values()],
    noticeNumbering: [...state.noticeNumbering],
  };
}

/** The learnt estimates as a list (snapshots, staff screens). */
export function estimateList(state: HallState): HandlingEstimate[] {
  const out: HandlingEstimate[] = [];
  for (const s of state.config.services) {
    const e = state.estimates.get(estimateKey(s.id, null));
    if (e) out.push({ serviceId: s.id, staffId: null, ...e });
    for (const staff of state.config.staff) {
      const own = state.estimates.get(estimateKey(s.id, staff.id));
      if (own) out.push({ serviceId: s.id, staffId: staff.id, ...own });
    }
  }
  return out;
}

/** Reads a record saved as a list, or as an object keyed by id (snapshots saved before Maps). */
function entriesOf<T>(saved: T[] | Record<string, T> | Array<[Id, T]>, idOf: (t: T) => Id): Array<[Id, T]> {
  if (!Array.isArray(saved)) return Object.entries(saved);
  return (saved as Array<T | [Id, T]>).map((x) => (Array.isArray(x) ? x : [idOf(x), x]));
}

/**
 * A hall rebuilt from a snapshot under its current configuration: counters added since keep
 * their initial state, counters removed since are dropped.
 */
export function fromSnapshot(config: HallConfig, data: SnapshotData): HallState {
  const base = initialState(config);
  // Snapshots saved before notices and issuing pauses existed lack them.
  const saved: Partial<SnapshotData> = data;
  const counters = new Map(base.counters);
  // Counters saved before absences added up and checks were recorded lack those fields.
  for (const [id, c] of entriesOf(data.counters, (c) => c.id))
    if (counters.has(id))
      counters.set(id, {
        ...c,
        pauseNote: c.pauseNote ?? '',
        absentSince: c.absentSince ?? (c.state === 'paused' ? c.since : null),
        absentMs: c.absentMs ?? 0,
        check: c.check ?? null,
      });
  // Tickets saved before offline issuing and ratings existed lack those fields.
  const tickets = PMap(
    entriesOf(data.tickets, (t) => t.id).map(([id, t]): [Id, Ticket] => [
      id,
      {
        ...t,
        offline: t.offline ?? false,
        rating: t.rating ?? null,
        appointmentAt: t.appointmentAt ?? null,
        carryOver: t.carryOver ?? null,
        carriedFrom: t.carriedFrom ?? null,
        applicant: t.applicant ?? null,
        ratingNotGiven: t.ratingNotGiven ?? false,
        notices: t.notices ?? [],
        firstCalledAt: t.firstCalledAt ?? null,
      },
    ]),
  );
  const applicants = PMap(saved.applicants ?? []);
  return {
    version: data.version,
    day: data.day,
    lastAt: saved.lastAt ?? 0,
    config,
    counters,
    tickets,
    queues: queuesOf(tickets.values()),
    numbering: new Map(entriesOf<Numbering>(data.numbering, () => '')),
    recentCalls: data.recentCalls,
    notices: saved.notices ?? [],
    issuingPaused: saved.issuingPaused ?? [],
    handled: PMap(saved.handled ?? []),
    numberBlocks: saved.numberBlocks ?? [],
    deviceHealth: new Map(saved.deviceHealth ?? []),
    estimates: estimatesOf(saved.estimates ?? []),
    routing: saved.routing ?? config.routing,
    specialRuns: new Map(saved.specialRuns ?? []),
    alerts: new Map((saved.alerts ?? []).map((a) => [a.id, a])),
    emergency: saved.emergency ?? null,
    closingChecks: saved.closingChecks ?? [],
    carryOvers: new Map((saved.carryOvers ?? []).map((c) => [c.code, c])),
    leave: new Map((saved.leave ?? []).map((l) => [l.id, l])),
    // Snapshots saved before sittings were kept lack them: today's attendance then starts from it.
    counterSessions: saved.counterSessions ?? sessionsOfCounters(counters),
    accounts: new Map((saved.accounts ?? []).map((a) => [a.staffId, a])),
    signedOut: new Map(saved.signedOut ?? []),
    deviceBlocks: new Map((saved.deviceBlocks ?? []).map((b) => [b.deviceId, b])),
    applicants,
    idHolders: holdersOf(applicants),
    ratingsOpen: ratingsOpenOf(tickets.values()),
    cases: new Map((saved.cases ?? []).map((c) => [c.id, c])),
    caseApplicants: new Map(saved.caseApplicants ?? []),
    caseNumbering: saved.caseNumbering ?? { year: 0, last: 0 },
    // A catalogue entry for a service no longer configured is dropped with it.
    catalogues: new Map((saved.catalogues ?? []).filter(([id]) => config.services.some((s) => s.id === id))),
    writtenNotices: new Map((saved.writtenNotices ?? []).map((n) => [n.id, n])),
    noticeNumbering: new Map(saved.noticeNumbering ?? []),
  };
}
