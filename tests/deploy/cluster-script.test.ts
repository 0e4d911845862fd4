import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { http } from '../support/hub.js';
import { freePort } from '../support/own-redis.js';
import { dropPrefix, redisClient, REDIS_URL, runPrefix } from '../support/redis.js';

const prefix = runPrefix('cluster-script');
const dataDir = await mkdtemp(join(tmpdir(), 'yc-cluster-gw-'));
// #14: the nodes' shared history, in a schema of this run on the machine's PostgreSQL.
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const schema = `yc_test_cluster_${process.pid}_${randomBytes(3).toString('hex')}`;
afterAll(async () => {
  const r = redisClient();
  await dropPrefix(r, prefix);
  r.disconnect();
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

describe('npm run cluster', () => {
  it('runs two nodes on the local Redis behind a balancer, serving one hall', async () => {
    const [base, n1, n2] = [await freePort(), await freePort(), await freePort()];
    const script = fileURLToPath(new URL('../../scripts/cluster.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: {
        ...process.env,
        CLUSTER_PORT: String(base),
        CLUSTER_NODE_PORTS: `${n1},${n2}`,
        REDIS_URL,
        REDIS_PREFIX: prefix,
        MQTT_URL: 'mqtt://127.0.0.1:1883',
        MQTT_TOPIC_ROOT: `${prefix.replace(/:$/, '')}/v1`,
        GATEWAY_DATA_DIR: dataDir,
        DATABASE_URL,
        DATABASE_SCHEMA: schema,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((r) => child.once('exit', r));
    const lines: string[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('cluster did not start')), 30_000);
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          if (line.startsWith('cluster ready')) {
            clearTimeout(t);
            resolve();
          }
        });
      });
      const issued = await http(`http://127.0.0.1:${base}/api/v1/halls/demo/tickets`, 'POST', {
        serviceId: 'tax',
      });
      expect(issued.status).toBe(201);
      // Both nodes keep their history in the one PostgreSQL schema.
      expect(lines.filter((l) => l.includes('"history":"postgres"'))).toHaveLength(2);
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      const migrated = await client.query(`SELECT count(*)::int AS n FROM ${schema}.schema_migrations`);
      await client.end();
      expect(migrated.rows[0].n).toBeGreaterThanOrEqual(2);
      // The gateway joined through the balancer: the hub marks it online.
      const login = await http(`http://127.0.0.1:${base}/api/v1/auth/login`, 'POST', {
        username: 'manager',
        password: 'demo',
      });
      let gateway: unknown = null;
      for (let i = 0; i < 100 && !gateway; i++) {
        const snap = await http(
          `http://127.0.0.1:${base}/api/v1/halls/demo/snapshot`,
          'GET',
          undefined,
          login.body.token,
        );
        gateway = (snap.body.devices as Array<{ id: string; health: { online: boolean } | null }>).find(
          (d) => d.id === 'gateway-1' && d.health?.online,
        );
        if (!gateway) await new Promise((r) => setTimeout(r, 100));
      }
      expect(gateway).toBeTruthy();
      for (const port of [n1, n2]) {
        let seen = await http(`http://127.0.0.1:${port}/api/v1/tickets/${issued.body.id}`, 'GET');
        for (let i = 0; i < 50 && seen.status !== 200; i++) {
          await new Promise((r) => setTimeout(r, 50));
          seen = await http(`http://127.0.0.1:${port}/api/v1/tickets/${issued.body.id}`, 'GET');
        }
        expect(seen.body.number).toBe(issued.body.number);
      }
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});
