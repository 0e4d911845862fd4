import { z } from 'zod';
import { Id } from './common.js';
import { IsoDay } from './leave.js';
import type { Outcome } from './ticket.js';

/** #14: how a report groups the tickets of its range. */
export const ReportBy = z.enum(['day', 'week', 'month', 'hour', 'service', 'counter', 'staff']);
export type ReportBy = z.infer<typeof ReportBy>;

/** #14: `GET /halls/{hallId}/reports`: a range of archived days, grouped, filtered, as JSON, CSV or XLSX. */
export const ReportQuery = z
  .object({
    from: IsoDay,
    to: IsoDay,
    by: ReportBy.default('day'),
    serviceId: Id.optional(),
    counterId: Id.optional(),
    staffId: Id.optional(),
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  })
  .strict();
export type ReportQuery = z.infer<typeof ReportQuery>;

/** #14: `GET /halls/{hallId}/reports/tickets`: one archived day's tickets (the drill-down's last step). */
export const ReportTicketsQuery = z
  .object({
    day: IsoDay,
    serviceId: Id.optional(),
    counterId: Id.optional(),
    staffId: Id.optional(),
  })
  .strict();

/** #14: `GET /reports/halls`: the city view, each hall's months. */
export const CityReportQuery = z.object({ from: IsoDay, to: IsoDay }).strict();

/**
 * #14: one row of a report: volumes, waits and handling times in minutes (p50 / p90 / max), the
 * share called within the service's target (R5), outcomes (R18), transfers, and ratings (R34, R36).
 */
export type ReportRow = {
  key: string;
  issued: number;
  served: number;
  noShows: number;
  cancelled: number;
  called: number;
  waitP50: number | null;
  waitP90: number | null;
  waitMax: number | null;
  withinTarget: number | null;
  handlingP50: number | null;
  handlingP90: number | null;
  transfers: number;
  outcomes: Record<Outcome, number>;
  rated: number;
  ratingMean: number | null;
  badReviews: number;
  /** The rating window closed without one (R34: never counted as satisfied). */
  notRated: number;
};

/** #14: the answer of `GET /halls/{hallId}/reports`. */
export type Report = {
  hallId: string;
  from: string;
  to: string;
  by: ReportBy;
  /** The days of the range the history holds complete; a running day is included up to its last archiving. */
  archivedDays: number;
  rows: ReportRow[];
  total: ReportRow;
};

/** #14: a hall's month in the city view (means in minutes, shares 0…1). */
export type DayFiguresView = {
  hallId: string;
  month: string;
  days: number;
  issued: number;
  served: number;
  noShows: number;
  called: number;
  withinTarget: number | null;
  waitMean: number | null;
  waitMax: number;
  handlingMean: number | null;
  rated: number;
  badReviews: number;
};

/**
 * #14: one ticket of a closed day as the history keeps it: what reports read (volumes, waits,
 * handling times, outcomes, transfers, ratings) without the live state or the hot log.
 */
export type ArchivedTicket = {
  hallId: string;
  /** The hall's local date the ticket was issued on. */
  day: string;
  ticketId: string;
  number: string;
  serviceId: string;
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
  counterId: string | null;
  staffId: string | null;
  firstContactStaffId: string | null;
  /** R34: the level given (null: none), and whether the window closed without one. */
  rating: number | null;
  ratingNotGiven: boolean;
  offline: boolean;
  /** The wait target its service had that day, in ms (null: none), so a later change rewrites no history. */
  targetWaitMs: number | null;
};
