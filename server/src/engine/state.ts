import type { CallRecord, CounterStatus, HallConfig, Id, Notice, Ticket } from '@yichuang/protocol';

/** The live state of one hall: its configuration plus everything the day's events made of it. */
export type HallState = {
  readonly version: number;
  /** The hall's local date of the latest event ('' before the first). */
  readonly day: string;
  readonly config: HallConfig;
  readonly counters: Readonly<Record<Id, CounterStatus>>;
  readonly tickets: Readonly<Record<Id, Ticket>>;
  /** Last number issued per service on `day` (the hall's local date). */
  readonly numbering: Readonly<Record<Id, { day: string; last: number }>>;
  /** The latest calls, newest first, as the wall lists them. */
  readonly recentCalls: readonly CallRecord[];
  /** Notices on the walls, newest first. */
  readonly notices: readonly Notice[];
  /** Services whose issuing a manager paused. */
  readonly issuingPaused: readonly Id[];
};

/** How many notices the walls carry at once. */
export const MAX_NOTICES = 10;

/** How many calls the state keeps for the wall. */
export const RECENT_CALLS = 12;

/** The state of a hall before its first event: every counter closed. */
export function initialState(config: HallConfig): HallState {
  const counters: Record<Id, CounterStatus> = {};
  for (const c of config.counters) {
    counters[c.id] = {
      id: c.id,
      state: 'closed',
      staffId: null,
      ticketId: null,
      pauseReason: null,
      since: 0,
      absenceExceeded: false,
      serviceIds: [...c.serviceIds],
    };
  }
  return {
    version: 0,
    day: '',
    config,
    counters,
    tickets: {},
    numbering: {},
    recentCalls: [],
    notices: [],
    issuingPaused: [],
  };
}

/** The part of the state a snapshot keeps: everything but the configuration. */
export type SnapshotData = Omit<HallState, 'config'>;

/** What to save of a hall. */
export function toSnapshot(state: HallState): SnapshotData {
  const { config: _config, ...rest } = state;
  return rest;
}

/**
 * A hall rebuilt from a snapshot under its current configuration: counters added since keep
 * their initial state, counters removed since are dropped.
 */
export function fromSnapshot(config: HallConfig, data: SnapshotData): HallState {
  const base = initialState(config);
  const counters = { ...base.counters };
  for (const id of Object.keys(counters)) if (data.counters[id]) counters[id] = data.counters[id];
  // Snapshots saved before notices and issuing pauses existed lack them.
  const saved: Partial<SnapshotData> = data;
  return {
    ...data,
    notices: saved.notices ?? [],
    issuingPaused: saved.issuingPaused ?? [],
    config,
    counters,
  };
}
