import pg from 'pg';
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

/** Days come back as text, not as a Date at the server's midnight. */
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

/**
 * #14: the history store of the scaled-out topology: PostgreSQL at `DATABASE_URL`, in `schema`
 * (`public` by default; the tests use one per run). Every hub node may start it: migrations run
 * under an advisory lock, so two nodes never apply one twice.
 */
export class PostgresHistoryStore implements HistoryStore {
  private readonly pool: pg.Pool;

  constructor(
    connectionString: string,
    private readonly schema = 'public',
  ) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Unsafe schema name ${schema}.`);
    this.pool = new pg.Pool({ connectionString, max: 4 });
    this.pool.on('connect', (client) => {
      void client.query(`SET search_path TO ${schema}`);
    });
  }

  private async inTransaction<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query(`SET search_path TO ${this.schema}`);
      await c.query('BEGIN');
      const r = await work(c);
      await c.query('COMMIT');
      return r;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  async migrate(): Promise<void> {
    const all = await migrations('postgres');
    await this.inTransaction(async (c) => {
      // One node at a time (the lock ends with the transaction), the schema's creation included:
      // CREATE SCHEMA IF NOT EXISTS is not safe against a concurrent one (two nodes starting together).
      await c.query("SELECT pg_advisory_xact_lock(hashtext('yichuang-history-migrations'))");
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await c.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      );
      const done = new Set(
        (await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
          (r) => r.version,
        ),
      );
      for (const m of all) {
        if (done.has(m.version)) continue;
        await c.query(m.sql);
        await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          Date.now(),
        ]);
      }
    });
  }

  async archiveDay(
    hallId: Id,
    day: string,
    tickets: readonly TicketFact[],
    complete = true,
    records: DayRecords = NO_DAY_RECORDS,
  ): Promise<void> {
    await this.inTransaction(async (c) => {
      for (const table of ['ticket_facts', 'day_figures', 'counter_sessions', 'attendance_days'])
        await c.query(`DELETE FROM ${table} WHERE hall_id = $1 AND day = $2`, [hallId, day]);
      await insertRows(
        c,
        'ticket_facts',
        TICKET_COLUMNS,
        tickets.map((t) => rowOf(t, (b) => b)),
      );
      await insertRows(c, 'day_figures', FIGURE_COLUMNS, figuresOf(tickets).map(figureRowOf));
      await insertRows(
        c,
        'counter_sessions',
        SESSION_COLUMNS,
        records.sessions.map((x) => sessionRowOf(hallId, day, x)),
      );
      await insertRows(
        c,
        'attendance_days',
        ATTENDANCE_COLUMNS,
        records.attendance.map((a) => attendanceRowOf(hallId, a, (b) => b)),
      );
      await insertRows(
        c,
        'alerts',
        ALERT_COLUMNS,
        records.alerts.map(({ raisedOn, alert }) => alertRowOf(hallId, raisedOn, records.version, alert)),
        // An alert spans days: the newest version that wrote it wins, whatever order days land in.
        ' ON CONFLICT (hall_id, alert_id) DO UPDATE SET day = excluded.day, kind = excluded.kind, ' +
          'severity = excluded.severity, raised_at = excluded.raised_at, resolved_at = excluded.resolved_at, ' +
          'version = excluded.version, body = excluded.body WHERE excluded.version >= alerts.version',
      );
      await c.query(
        'INSERT INTO archived_days (hall_id, day, tickets, archived_at, complete) VALUES ($1, $2, $3, $4, $5) ' +
          'ON CONFLICT (hall_id, day) DO UPDATE SET tickets = excluded.tickets, archived_at = excluded.archived_at, complete = excluded.complete',
        [hallId, day, tickets.length, Date.now(), complete],
      );
    });
  }

  async archivedDays(hallId: Id, from: string, to: string): Promise<string[]> {
    const r = await this.pool.query<{ day: string }>(
      `SELECT day FROM ${this.schema}.archived_days WHERE hall_id = $1 AND complete AND day BETWEEN $2 AND $3 ORDER BY day`,
      [hallId, from, to],
    );
    return r.rows.map((x) => x.day);
  }

  async tickets(hallId: Id, from: string, to: string): Promise<TicketFact[]> {
    const r = await this.pool.query<TicketRow>(
      `SELECT * FROM ${this.schema}.ticket_facts WHERE hall_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day, issued_at, ticket_id`,
      [hallId, from, to],
    );
    return r.rows.map(factOf);
  }

  async figures(from: string, to: string, hallIds?: readonly Id[]): Promise<DayFigures[]> {
    const r = await this.pool.query<FigureRow>(
      `SELECT * FROM ${this.schema}.day_figures WHERE day BETWEEN $1 AND $2` +
        (hallIds ? ' AND hall_id = ANY($3)' : '') +
        ' ORDER BY hall_id, day, service_id',
      hallIds ? [from, to, [...hallIds]] : [from, to],
    );
    return r.rows.map(figuresOfRow);
  }

  async sessions(hallId: Id, from: string, to: string): Promise<Array<CounterSession & { day: string }>> {
    return (await this.select('counter_sessions', 'day, from_at, counter_id', hallId, from, to)).map(
      sessionOfRow,
    );
  }

  async attendance(hallId: Id, from: string, to: string): Promise<AttendanceDay[]> {
    return (await this.select('attendance_days', 'day, staff_id', hallId, from, to)).map(attendanceOfRow);
  }

  async alerts(hallId: Id, from: string, to: string): Promise<ArchivedAlert[]> {
    return (await this.select('alerts', 'raised_at, alert_id', hallId, from, to)).map(alertOfRow);
  }

  /** A hall's rows of `table` for the days from `from` to `to`, in `order`. */
  private async select(table: string, order: string, hallId: Id, from: string, to: string) {
    const r = await this.pool.query<Record<string, unknown>>(
      `SELECT * FROM ${this.schema}.${table} WHERE hall_id = $1 AND day BETWEEN $2 AND $3 ORDER BY ${order}`,
      [hallId, from, to],
    );
    return r.rows;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** Inserts rows in batches that stay under PostgreSQL's 65,535 parameters per statement. */
async function insertRows(
  c: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  onConflict = '',
): Promise<void> {
  const per = Math.floor(60_000 / columns.length);
  for (let i = 0; i < rows.length; i += per) {
    const values: unknown[] = [];
    const tuples = rows.slice(i, i + per).map((row) => {
      const at = values.length;
      values.push(...row);
      return `(${row.map((_v, k) => `$${at + k + 1}`).join(', ')})`;
    });
    await c.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}${onConflict}`,
      values,
    );
  }
}
