import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { Result, StaffSnapshot } from '@yichuang/protocol';
import { Id } from '@yichuang/protocol';
import { capturingLogger, command, connect, http, startHub, type Hub } from '../support/hub.js';

/** Names of Object.prototype that the Id schema lets through, and a few more. */
const BUILT_INS = [...Object.getOwnPropertyNames(Object.prototype), 'prototype', 'then'].filter(
  (s) => Id.safeParse(s).success,
);

let hub: Hub;
const captured = capturingLogger();
let manager: Socket;
let clerk: Socket;
beforeAll(async () => {
  hub = await startHub({ logger: captured.logger });
  manager = (
    await connect<StaffSnapshot>(hub.url, '/supervisor', {
      hallId: 'demo',
      token: hub.tokenFor('mgr01'),
    })
  ).socket;
  clerk = (await connect<StaffSnapshot>(hub.url, '/counter', { hallId: 'demo', token: hub.tokenFor('s03') }))
    .socket;
});
afterAll(async () => {
  manager.disconnect();
  clerk.disconnect();
  await hub.close();
});

const api = (path: string) => `${hub.url}/api/v1${path}`;
const version = async () => (await http(api('/halls/demo/public'), 'GET')).body.version as number;
const errorsLogged = () => captured.lines.filter((l) => (l.level as number) >= 50);

describe('ids that name built-ins', () => {
  it('are unknown records on every REST route, and change nothing', async () => {
    const before = await version();
    for (const x of BUILT_INS) {
      expect((await http(api(`/halls/${x}`), 'GET')).status, x).toBe(404);
      expect((await http(api(`/halls/${x}/public`), 'GET')).status, x).toBe(404);
      expect((await http(api(`/tickets/${x}`), 'GET')).body.error.code, x).toBe('unknown-ticket');
      expect((await http(api(`/tickets/${x}/cancel`), 'POST')).body.error.code, x).toBe('unknown-ticket');
      expect((await http(api('/halls/demo/tickets'), 'POST', { serviceId: x })).body.error.code, x).toBe(
        'unknown-service',
      );
      const token = hub.tokenFor('mgr01');
      const call = await http(api(`/halls/demo/counters/${x}/call-next`), 'POST', {}, token);
      expect(call.body.error.code, x).toBe('unknown-counter');
      const action = await http(api(`/halls/demo/counters/c03/${x}`), 'POST', {}, token);
      expect(action.body.error.code, x).toBe('not-found');
    }
    expect(await version()).toBe(before);
  });

  it('are refused over socket.io: a transfer or a move to counter `constructor` strands nothing', async () => {
    const opened = await command<Result<unknown>>(clerk, 'counter:open', { counterId: 'c03' });
    expect(opened.ok).toBe(true);
    const issued = await http(api('/halls/demo/tickets'), 'POST', { serviceId: 'social-insurance' });
    const waiting = await http(api('/halls/demo/tickets'), 'POST', { serviceId: 'social-insurance' });
    expect(waiting.status).toBe(201);
    const called = await command<Result<{ ticket: { id: string } }>>(clerk, 'counter:call-next', {
      counterId: 'c03',
    });
    expect(called.ok && called.data.ticket.id).toBe(issued.body.id);
    const before = await version();
    for (const x of BUILT_INS) {
      const transfer = await command<Result<unknown>>(clerk, 'counter:transfer', {
        counterId: 'c03',
        to: { counterId: x },
      });
      expect(transfer, x).toMatchObject({ ok: false, error: { code: 'unknown-counter' } });
      const move = await command<Result<unknown>>(manager, 'ticket:move', {
        ticketId: waiting.body.id,
        to: { counterId: x },
      });
      expect(move, x).toMatchObject({ ok: false, error: { code: 'unknown-counter' } });
      const moveTicket = await command<Result<unknown>>(manager, 'ticket:move', {
        ticketId: x,
        to: { serviceId: 'tax' },
      });
      expect(moveTicket, x).toMatchObject({ ok: false, error: { code: 'unknown-ticket' } });
    }
    expect(await version()).toBe(before);
    // The ticket is still at its counter and the other still waits where it was.
    expect((await http(api(`/tickets/${issued.body.id}`), 'GET')).body).toMatchObject({
      status: 'called',
      counterId: 'c03',
    });
    expect((await http(api(`/tickets/${waiting.body.id}`), 'GET')).body).toMatchObject({
      status: 'waiting',
      ahead: 0,
    });
  });
});

describe('malformed paths', () => {
  const PATHS = [
    '/api/v1/halls/%ff',
    '/api/v1/tickets/%E0%A4%A',
    '/api/v1/halls/demo/counters/%c0%af/call-next',
    '/t/%E0%A4%A',
    '/display/%ff',
    '/%',
  ];
  it('answer 400 with the usual JSON error and no stack, and log no error', async () => {
    for (const path of PATHS) {
      const res = await fetch(hub.url + path);
      const text = await res.text();
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type'), path).toMatch(/application\/json/);
      expect(JSON.parse(text), path).toEqual({
        ok: false,
        error: { code: 'invalid-payload', message: expect.stringMatching(/path/) },
      });
      expect(text, path).not.toMatch(/at \w+ \(|URIError|node_modules/);
    }
    expect(errorsLogged()).toEqual([]);
  });

  it('leave unknown pages a JSON 404', async () => {
    const res = await fetch(`${hub.url}/no/such/page`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
