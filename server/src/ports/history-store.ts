import type { Id } from '@yichuang/protocol';

/**
 * #14: one ticket of a closed day as the history keeps it: what reports read (volumes, waits,
 * handling times, outcomes, transfers, ratings) without the live state or the hot log.
 */
export type TicketFact = {
  hallId: Id;
  /** The hall's local date the ticket was issued on. */
  day: string;
  ticketId: Id;
  number: string;
  serviceId: Id;
  priority: string;
  channel: string;
  /** How the day ended for it: completed, no-show, cancelled, carried-over, or still waiting/called. */
  status: string;
  issuedAt: number;
  /** The first call (null: never called). */
  calledAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  /** From issue to first call, in ms (null: never called). */
  waitMs: number | null;
  /** From the start of service to its end, in ms (null: not served). */
  handlingMs: number | null;
  outcome: string | null;
  transfers: number;
  counterId: Id | null;
  staffId: Id | null;
  firstContactStaffId: Id | null;
  /** R34: the level given (null: none), and whether the window closed without one. */
  rating: number | null;
  ratingNotGiven: boolean;
  offline: boolean;
};

/**
 * #14: where closed days go. An embedded SQLite database by default, PostgreSQL when
 * `DATABASE_URL` is set; the same contract suite runs against both (tests/adapters/history-store).
 */
export interface HistoryStore {
  /** Applies the schema migrations the store has not seen yet (versioned in `server/migrations`). */
  migrate(): Promise<void>;
  /**
   * Writes a day of a hall, replacing whatever was archived for it before, in one transaction: a
   * day archived twice gives the same rows, and a day whose write fails keeps what it had.
   */
  archiveDay(hallId: Id, day: string, tickets: readonly TicketFact[]): Promise<void>;
  /** The days of a hall archived between `from` and `to` (inclusive), in order. */
  archivedDays(hallId: Id, from: string, to: string): Promise<string[]>;
  /** The tickets of a hall issued on the days from `from` to `to` (inclusive), by day and issue time. */
  tickets(hallId: Id, from: string, to: string): Promise<TicketFact[]>;
  close(): Promise<void>;
}
