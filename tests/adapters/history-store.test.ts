import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PostgresHistoryStore, SqliteHistoryStore } from '@yichuang/server';
import { historyStoreContract } from './history-store.contract.js';
import { startChildHub } from '../support/child-hub.js';

/** The machine's PostgreSQL (CI checks it answers); each run in a schema of its own, dropped after. */
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dirs: string[] = [];
const schemas: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await client.end();
});

historyStoreContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'yc-history-'));
  dirs.push(dir);
  return new SqliteHistoryStore(join(dir, 'history.sqlite'));
});

historyStoreContract('PostgreSQL', () => {
  const schema = `yc_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  schemas.push(schema);
  return Promise.resolve(new PostgresHistoryStore(DATABASE_URL, schema));
});

describe('PostgreSQL migrations from nodes starting together (#14)', () => {
  it('create the schema and apply each migration once', async () => {
    const schema = `yc_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    schemas.push(schema);
    const nodes = Array.from({ length: 4 }, () => new PostgresHistoryStore(DATABASE_URL, schema));
    await Promise.all(nodes.map((n) => n.migrate()));
    await Promise.all(nodes.map((n) => n.close()));
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    const r = await client.query(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
    await client.end();
    expect(r.rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
  });
});

describe('the hub and its history store (#14)', () => {
  it('applies the migrations at start: SQLite in the data folder by default', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yc-history-hub-'));
    dirs.push(dir);
    const hub = await startChildHub(dir);
    try {
      expect(hub.logs.join('\n')).toContain('history store ready');
    } finally {
      hub.child.kill('SIGTERM');
      await hub.exited;
    }
    const db = new Database(join(dir, 'history.sqlite'), { readonly: true });
    expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual([
      { version: 1, name: 'ticket_facts' },
      { version: 2, name: 'complete_days_and_figures' },
      { version: 3, name: 'sittings_attendance_alerts' },
    ]);
    db.close();
  });

  it('uses PostgreSQL when DATABASE_URL is set', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yc-history-hub-'));
    dirs.push(dir);
    const schema = `yc_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    schemas.push(schema);
    const hub = await startChildHub(dir, { DATABASE_URL, DATABASE_SCHEMA: schema });
    hub.child.kill('SIGTERM');
    await hub.exited;
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    const r = await client.query(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
    await client.end();
    expect(r.rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
  });
});
