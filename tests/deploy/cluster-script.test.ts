import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { http } from '../support/hub.js';
import { freePort } from '../support/own-redis.js';
import { dropPrefix, redisClient, REDIS_URL, runPrefix } from '../support/redis.js';

const prefix = runPrefix('cluster-script');
afterAll(async () => {
  const r = redisClient();
  await dropPrefix(r, prefix);
  r.disconnect();
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
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('cluster did not start')), 30_000);
        createInterface({ input: child.stdout }).on('line', (line) => {
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
