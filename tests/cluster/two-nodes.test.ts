import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicSnapshot, Result, CommandReply, StaffSnapshot } from '@yichuang/protocol';
import { command, connect, http, nextEvent } from '../support/hub.js';
import { childToken, redisNodes, type ChildHub } from '../support/child-hub.js';

const cluster = redisNodes('cluster');
let a: ChildHub;
let b: ChildHub;

beforeAll(async () => {
  [a, b] = await Promise.all([cluster.start(), cluster.start()]);
});
afterAll(() => cluster.stop());

const api = (n: ChildHub, path: string) => `${n.url}/api/v1${path}`;
const until = async (cond: () => Promise<boolean> | boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('two hub nodes on one Redis', () => {
  it('are ready once caught up, and serve the same hall', async () => {
    for (const n of [a, b]) {
      const r = await http(`${n.url}/readyz`, 'GET');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ caughtUp: true, redis: 'up' });
    }
  });

  it('answer a kiosk that retries on the other node with the ticket it already has (Idempotency-Key)', async () => {
    const issue = (n: ChildHub, key: string) =>
      fetch(api(n, '/halls/demo/tickets'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ serviceId: 'vehicles' }),
      });
    const first = await issue(a, 'kiosk-1:press-0001');
    const body = (await first.json()) as { id: string; number: string };
    expect(first.status).toBe(201);
    // The key reached node B with the event: a retry there issues nothing new.
    await until(async () => (await http(api(b, `/tickets/${body.id}`), 'GET')).status === 200);
    const retry = await issue(b, 'kiosk-1:press-0001');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toMatchObject({ id: body.id, number: body.number });
    const next = await issue(b, 'kiosk-1:press-0002');
    expect(((await next.json()) as { number: string }).number).not.toBe(body.number);
  });

  it('deliver a ticket issued on node A to a display on node B', async () => {
    const wall = await connect<PublicSnapshot>(b.url, '/display', { hallId: 'demo' });
    const seen = nextEvent(wall.socket, 'ticket:issued', (e) => e.serviceId === 'vehicles');
    const t = await http(api(a, '/halls/demo/tickets'), 'POST', { serviceId: 'vehicles' });
    expect(t.status).toBe(201);
    expect(await seen).toMatchObject({ number: t.body.number });
    wall.socket.disconnect();
  });

  it('never give one ticket to counters calling on different nodes at once', async () => {
    const ca = await connect<StaffSnapshot>(a.url, '/counter', { hallId: 'demo', token: childToken('s03') });
    const cb = await connect<StaffSnapshot>(b.url, '/counter', { hallId: 'demo', token: childToken('s04') });
    expect(await command(ca.socket, 'counter:open', { counterId: 'c03' })).toMatchObject({ ok: true });
    expect(await command(cb.socket, 'counter:open', { counterId: 'c04' })).toMatchObject({ ok: true });
    const ids: string[] = [];
    for (let round = 0; round < 20; round++) {
      await Promise.all([
        http(api(a, '/halls/demo/tickets'), 'POST', { serviceId: 'medical-insurance' }),
        http(api(b, '/halls/demo/tickets'), 'POST', { serviceId: 'social-insurance' }),
      ]);
      const results = await Promise.all([
        command<Result<CommandReply>>(ca.socket, 'counter:call-next', { counterId: 'c03' }),
        command<Result<CommandReply>>(cb.socket, 'counter:call-next', { counterId: 'c04' }),
      ]);
      for (const [r, s, c] of [
        [results[0], ca.socket, 'c03'],
        [results[1], cb.socket, 'c04'],
      ] as const) {
        if (!r.ok) {
          expect(r.error.code).toBe('queue-empty');
          continue;
        }
        ids.push(r.data.ticket!.id);
        expect(await command(s, 'counter:complete', { counterId: c, outcome: 'accepted' })).toMatchObject({
          ok: true,
        });
      }
    }
    expect(ids.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ids).size).toBe(ids.length);
    ca.socket.disconnect();
    cb.socket.disconnect();
  });

  it('close a session revoked on node A where its panel is connected, on node B, within a second (R8)', async () => {
    const panel = await connect<StaffSnapshot>(b.url, '/counter', {
      hallId: 'demo',
      token: childToken('s14'),
    });
    const started = performance.now();
    const closed = new Promise<number>((r) =>
      panel.socket.once('disconnect', (reason) =>
        r(reason === 'io server disconnect' ? performance.now() - started : Infinity),
      ),
    );
    const r = await http(api(a, '/halls/demo/staff/s14/end-sessions'), 'POST', {}, childToken('mgr01'));
    expect(r.status).toBe(200);
    expect(await closed).toBeLessThan(1000);
    await expect(
      connect(b.url, '/counter', { hallId: 'demo', token: childToken('s14') }).then(
        (c) => void c.socket.close(),
      ),
    ).resolves.toBeUndefined();
  });

  it('lose no acknowledged command when a node is killed mid-burst; its clients go on on the other node', async () => {
    const issued = new Map<string, string>();
    let stop = false;
    const burst = async (n: ChildHub) => {
      while (!stop) {
        try {
          const r = await http(api(n, '/halls/demo/tickets'), 'POST', { serviceId: 'vehicles' });
          if (r.status === 201) issued.set(r.body.id, r.body.number);
        } catch {
          if (n === a) return;
        }
      }
    };
    const workers = [burst(a), burst(a), burst(b)];
    await until(() => issued.size >= 100);
    a.child.kill('SIGKILL');
    await a.exited;
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(workers);

    // A counter clerk who was on node A reconnects to node B and carries on.
    const clerk = await connect<StaffSnapshot>(b.url, '/counter', {
      hallId: 'demo',
      token: childToken('s11'),
    });
    expect(await command(clerk.socket, 'counter:open', { counterId: 'c11' })).toMatchObject({ ok: true });
    const called = await command<Result<CommandReply>>(clerk.socket, 'counter:call-next', {
      counterId: 'c11',
    });
    expect(called.ok).toBe(true);
    clerk.socket.disconnect();

    await until(async () => (await http(`${b.url}/readyz`, 'GET')).status === 200);
    for (const [id, number] of issued) {
      const r = await http(api(b, `/tickets/${id}`), 'GET');
      expect(r.status, `acknowledged ticket ${number} lost`).toBe(200);
      expect(r.body.number).toBe(number);
    }
    const numbers = [...issued.values()].map((n) => Number(n.slice(1)));
    expect(new Set(numbers).size).toBe(numbers.length);
    const next = await http(api(b, '/halls/demo/tickets'), 'POST', { serviceId: 'vehicles' });
    expect(Number(next.body.number.slice(1))).toBeGreaterThan(Math.max(...numbers));
  });
});
