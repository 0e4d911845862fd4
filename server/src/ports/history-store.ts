import type { Alert, ArchivedTicket, AttendanceDay, CounterSession, Id } from '@yichuang/protocol';

/** #14: one ticket of a closed day as the history keeps it (the shape is the protocol's: the console reads it). */
export type TicketFact = ArchivedTicket;

/**
 * #14: a hall's figures for one day and service, written with the day's tickets: what the city view
 * adds up across halls and months without reading every ticket (sums, so they add across days).
 */
export type DayFigures = {
  hallId: Id;
  day: string;
  serviceId: Id;
  issued: number;
  /** Completed tickets. */
  served: number;
  noShows: number;
  /** Called at least once (the tickets a wait is known for). */
  called: number;
  /** Called within the service's wait target. */
  withinTarget: number;
  waitMsSum: number;
  waitMsMax: number;
  handlingMsSum: number;
  rated: number;
  /** R36: rated 1 or 2. */
  badReviews: number;
};

/**
 * #14: what a day leaves besides its tickets, as the hall stood at `version`: the sittings at counters
 * with their pauses (R5, R6; open ones with `to` null), each staff member's attendance as that day's
 * roster and leave made it (R7, R26), and the alerts the day saw (open, or resolved that day).
 */
export type DayRecords = {
  version: number;
  sessions: readonly CounterSession[];
  attendance: readonly AttendanceDay[];
  /** With the hall's local day each was raised on (what `alerts(from, to)` selects by). */
  alerts: ReadonlyArray<{ raisedOn: string; alert: Alert }>;
};
export const NO_DAY_RECORDS: DayRecords = { version: 0, sessions: [], attendance: [], alerts: [] };

/** An alert as the history keeps it: with the hall it was raised in. */
export type ArchivedAlert = Alert & { hallId: Id };

/**
 * #14: where closed days go. An embedded SQLite database by default, PostgreSQL when
 * `DATABASE_URL` is set; the same contract suite runs against both (tests/adapters/history-store).
 */
export interface HistoryStore {
  /** Applies the schema migrations the store has not seen yet (versioned in `server/migrations`). */
  migrate(): Promise<void>;
  /**
   * Writes a day of a hall (its tickets and their figures), replacing whatever was archived for it
   * before, in one transaction: a day archived twice gives the same rows, and a day whose write fails
   * keeps what it had. `complete` false: the day is still running (archived with a bounded lag).
   * An alert is kept once, as the newest version that wrote it says (it may span days).
   */
  archiveDay(
    hallId: Id,
    day: string,
    tickets: readonly TicketFact[],
    complete?: boolean,
    records?: DayRecords,
  ): Promise<void>;
  /** The days of a hall archived complete (closed) between `from` and `to` (inclusive), in order. */
  archivedDays(hallId: Id, from: string, to: string): Promise<string[]>;
  /** The figures per day and service of the given halls (every hall when none is named), by hall and day. */
  figures(from: string, to: string, hallIds?: readonly Id[]): Promise<DayFigures[]>;
  /** The tickets of a hall issued on the days from `from` to `to` (inclusive), by day and issue time. */
  tickets(hallId: Id, from: string, to: string): Promise<TicketFact[]>;
  /** R5, R6: the sittings at counters archived for the days from `from` to `to`, by day and start. */
  sessions(hallId: Id, from: string, to: string): Promise<Array<CounterSession & { day: string }>>;
  /** R7, R26: the attendance archived for the days from `from` to `to`, by day and staff member. */
  attendance(hallId: Id, from: string, to: string): Promise<AttendanceDay[]>;
  /** R33: the alerts raised in the days from `from` to `to`, as last archived, by when they were raised. */
  alerts(hallId: Id, from: string, to: string): Promise<ArchivedAlert[]>;
  close(): Promise<void>;
}
