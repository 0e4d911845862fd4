import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicSnapshot } from '@yichuang/protocol';
import { connect, http, startHub, type Hub } from '../support/hub.js';
import { startChildHub } from '../support/child-hub.js';

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.close();
});

describe('operations endpoints', () => {
  it('reports ready, and Prometheus metrics of clients, commands, rejections and latency', async () => {
    expect(await http(`${hub.url}/readyz`, 'GET')).toMatchObject({
      status: 200,
      body: { ok: true, caughtUp: true },
    });
    const wall = await connect<PublicSnapshot>(hub.url, '/display', { hallId: 'demo' });
    await http(`${hub.url}/api/v1/halls/demo/tickets`, 'POST', { serviceId: 'tax' });
    await http(`${hub.url}/api/v1/halls/demo/tickets`, 'POST', { serviceId: 'nope' });
    const res = await fetch(`${hub.url}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(text).toMatch(/yc_connected_clients\{namespace="\/display"\} 1/);
    expect(text).toMatch(/yc_commands_total\{type="ticket:issue",outcome="applied"\} 1/);
    expect(text).toMatch(/yc_rejections_total\{type="ticket:issue",code="unknown-service"\} 1/);
    expect(text).toMatch(/yc_command_duration_seconds_count\{type="ticket:issue"\} 2/);
    expect(text).toMatch(/yc_nodejs_eventloop_lag_seconds/);
    wall.socket.disconnect();
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM hands its sockets back (they reconnect elsewhere) and exits cleanly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yc-term-'));
    const node = await startChildHub(dir);
    try {
      const wall = await connect<PublicSnapshot>(node.url, '/display', { hallId: 'demo' });
      const reason = new Promise<string>((r) => wall.socket.once('disconnect', r));
      node.child.kill('SIGTERM');
      // A closed transport, not a kick: socket.io clients reconnect by themselves (to another node behind the balancer).
      expect(await reason).toBe('transport close');
      expect(await node.exited).toBe(0);
      expect(node.logs.join('\n')).toContain('shutting down: draining sockets');
    } finally {
      node.child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
