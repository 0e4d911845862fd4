import pg from 'pg';
import type { Id } from '@yichuang/protocol';
import type { DayFigures, HistoryStore, TicketFact } from '../../ports/history-store.js';
import {
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

  async archiveDay(hallId: Id, day: string, tickets: readonly TicketFact[], complete = true): Promise<void> {
    await this.inTransaction(async (c) => {
      await c.query('DELETE FROM ticket_facts WHERE hall_id = $1 AND day = $2', [hallId, day]);
      await c.query('DELETE FROM day_figures WHERE hall_id = $1 AND day = $2', [hallId, day]);
      await insertRows(
        c,
        'ticket_facts',
        TICKET_COLUMNS,
        tickets.map((t) => rowOf(t, (b) => b)),
      );
      await insertRows(c, 'day_figures', FIGURE_COLUMNS, figuresOf(tickets).map(figureRowOf));
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
): Promise<void> {
  const per = Math.floor(60_000 / columns.length);
  for (let i = 0; i < rows.length; i += per) {
    const values: unknown[] = [];
    const tuples = rows.slice(i, i + per).map((row) => {
      const at = values.length;
      values.push(...row);
      return `(${row.map((_v, k) => `$${at + k + 1}`).join(', ')})`;
    });
    await c.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
  }
}
