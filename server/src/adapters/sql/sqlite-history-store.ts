import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AttendanceDay, CounterSession, Id } from '@yichuang/protocol';
import {
  NO_DAY_RECORDS,
  type ArchivedAlert,
  type DayFigures,
  type DayRecords,
  type HistoryStore,
  type TicketFact,
} from '../../ports/history-store.js';
import {
  ALERT_COLUMNS,
  alertOfRow,
  alertRowOf,
  ATTENDANCE_COLUMNS,
  attendanceOfRow,
  attendanceRowOf,
  SESSION_COLUMNS,
  sessionOfRow,
  sessionRowOf,
  factOf,
  FIGURE_COLUMNS,
  figureRowOf,
  figuresOfRow,
  rowOf,
  TICKET_COLUMNS,
  type FigureRow,
  type TicketRow,
} from '../../history/columns.js';
import { figuresOf } from '../../history/figures.js';
import { migrations } from '../../history/migrations.js';

/**
 * #14: the embedded history store: one SQLite file under `DATA_DIR` (WAL mode, so reports read while
 * a day is written). better-sqlite3 is synchronous and fast; each call is one short transaction.
 */
export class SqliteHistoryStore implements HistoryStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    // Another writer of the file (an operator's tool) holds it at most this long before a write fails
    // and is tried again later; better-sqlite3 waits synchronously, so keep it short.
    this.db = new Database(path, { timeout: 2000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
  }

  async migrate(): Promise<void> {
    const all = await migrations('sqlite');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    const done = new Set(
      (this.db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map(
        (r) => r.version,
      ),
    );
    const apply = this.db.transaction((m: { version: number; name: string; sql: string }) => {
      this.db.exec(m.sql);
      this.db
        .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
        .run(m.version, m.name, Date.now());
    });
    for (const m of all) if (!done.has(m.version)) apply(m);
  }

  archiveDay(
    hallId: Id,
    day: string,
    tickets: readonly TicketFact[],
    complete = true,
    records: DayRecords = NO_DAY_RECORDS,
  ): Promise<void> {
    const flag = (b: boolean) => (b ? 1 : 0);
    const insert = this.insert('ticket_facts', TICKET_COLUMNS);
    const insertFigures = this.insert('day_figures', FIGURE_COLUMNS);
    const insertSession = this.insert('counter_sessions', SESSION_COLUMNS);
    const insertAttendance = this.insert('attendance_days', ATTENDANCE_COLUMNS);
    const upsertAlert = this.db.prepare(
      `INSERT INTO alerts (${ALERT_COLUMNS.join(', ')}) VALUES (${ALERT_COLUMNS.map(() => '?').join(', ')}) ` +
        'ON CONFLICT (hall_id, alert_id) DO UPDATE SET day = excluded.day, kind = excluded.kind, severity = excluded.severity, ' +
        'raised_at = excluded.raised_at, resolved_at = excluded.resolved_at, version = excluded.version, body = excluded.body ' +
        'WHERE excluded.version >= alerts.version',
    );
    const write = this.db.transaction(() => {
      for (const table of ['ticket_facts', 'day_figures', 'counter_sessions', 'attendance_days'])
        this.db.prepare(`DELETE FROM ${table} WHERE hall_id = ? AND day = ?`).run(hallId, day);
      for (const t of tickets) insert.run(...rowOf(t, flag));
      for (const f of figuresOf(tickets)) insertFigures.run(...figureRowOf(f));
      for (const x of records.sessions) insertSession.run(...sessionRowOf(hallId, day, x));
      for (const a of records.attendance) insertAttendance.run(...attendanceRowOf(hallId, a, flag));
      for (const { raisedOn, alert } of records.alerts)
        upsertAlert.run(...alertRowOf(hallId, raisedOn, records.version, alert));
      this.db
        .prepare(
          'INSERT INTO archived_days (hall_id, day, tickets, archived_at, complete) VALUES (?, ?, ?, ?, ?) ' +
            'ON CONFLICT (hall_id, day) DO UPDATE SET tickets = excluded.tickets, archived_at = excluded.archived_at, complete = excluded.complete',
        )
        .run(hallId, day, tickets.length, Date.now(), complete ? 1 : 0);
    });
    try {
      write();
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  archivedDays(hallId: Id, from: string, to: string): Promise<string[]> {
    const rows = this.db
      .prepare(
        'SELECT day FROM archived_days WHERE hall_id = ? AND complete = 1 AND day BETWEEN ? AND ? ORDER BY day',
      )
      .all(hallId, from, to) as Array<{ day: string }>;
    return Promise.resolve(rows.map((r) => r.day));
  }

  tickets(hallId: Id, from: string, to: string): Promise<TicketFact[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM ticket_facts WHERE hall_id = ? AND day BETWEEN ? AND ? ORDER BY day, issued_at, ticket_id`,
      )
      .all(hallId, from, to) as TicketRow[];
    return Promise.resolve(rows.map(factOf));
  }

  figures(from: string, to: string, hallIds?: readonly Id[]): Promise<DayFigures[]> {
    const halls = hallIds ? ` AND hall_id IN (${hallIds.map(() => '?').join(', ')})` : '';
    const rows = this.db
      .prepare(
        `SELECT * FROM day_figures WHERE day BETWEEN ? AND ?${halls} ORDER BY hall_id, day, service_id`,
      )
      .all(from, to, ...(hallIds ?? [])) as FigureRow[];
    return Promise.resolve(rows.map(figuresOfRow));
  }

  sessions(hallId: Id, from: string, to: string): Promise<Array<CounterSession & { day: string }>> {
    return Promise.resolve(
      this.select('counter_sessions', 'day, from_at, counter_id', hallId, from, to).map(sessionOfRow),
    );
  }

  attendance(hallId: Id, from: string, to: string): Promise<AttendanceDay[]> {
    return Promise.resolve(
      this.select('attendance_days', 'day, staff_id', hallId, from, to).map(attendanceOfRow),
    );
  }

  alerts(hallId: Id, from: string, to: string): Promise<ArchivedAlert[]> {
    return Promise.resolve(this.select('alerts', 'raised_at, alert_id', hallId, from, to).map(alertOfRow));
  }

  private insert(table: string, columns: readonly string[]) {
    return this.db.prepare(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
  }

  /** A hall's rows of `table` for the days from `from` to `to`, in `order`. */
  private select(table: string, order: string, hallId: Id, from: string, to: string) {
    return this.db
      .prepare(`SELECT * FROM ${table} WHERE hall_id = ? AND day BETWEEN ? AND ? ORDER BY ${order}`)
      .all(hallId, from, to) as Array<Record<string, unknown>>;
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}
