import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import pg from 'pg';
import { PostgresHistoryStore, SqliteHistoryStore } from '@yichuang/server';
import { historyStoreContract } from './history-store.contract.js';

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
