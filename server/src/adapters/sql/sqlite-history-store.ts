import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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

  archiveDay(hallId: Id, day: string, tickets: readonly TicketFact[], complete = true): Promise<void> {
    const insert = this.db.prepare(
      `INSERT INTO ticket_facts (${TICKET_COLUMNS.join(', ')}) VALUES (${TICKET_COLUMNS.map(() => '?').join(', ')})`,
    );
    const insertFigures = this.db.prepare(
      `INSERT INTO day_figures (${FIGURE_COLUMNS.join(', ')}) VALUES (${FIGURE_COLUMNS.map(() => '?').join(', ')})`,
    );
    const write = this.db.transaction(() => {
      this.db.prepare('DELETE FROM ticket_facts WHERE hall_id = ? AND day = ?').run(hallId, day);
      this.db.prepare('DELETE FROM day_figures WHERE hall_id = ? AND day = ?').run(hallId, day);
      for (const t of tickets) insert.run(...rowOf(t, (b) => (b ? 1 : 0)));
      for (const f of figuresOf(tickets)) insertFigures.run(...figureRowOf(f));
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

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}
