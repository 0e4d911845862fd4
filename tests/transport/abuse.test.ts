import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connectClient } from 'socket.io-client';
import { connect, hallNow, http, startHub, type Hub } from '../support/hub.js';

/**
 * #12, abuse: what one address may do without a credential, who may give a head start, where a ticket
 * says it came from, and which sites' pages may call the hub. Limits are low here so they are reached.
 */
let hub: Hub;
beforeAll(async () => {
  hub = await startHub({
    publicLimits: { issuePerAddress: 5, issueWindowS: 600, readsPerMinute: 40, socketsPerAddress: 3 },
    allowedOrigins: ['https://portal.example.gov.cn'],
    // Behind the hall's reverse proxy (here: the test itself), X-Forwarded-For names the client.
    trustProxy: 'loopback',
  });
});
afterAll(async () => {
  await hub.close();
});

const api = (path: string) => `${hub.url}/api/v1${path}`;
/** Issues as a client at `address` (through the trusted proxy). */
async function issue(body: unknown, token?: string, address = '203.0.113.1') {
  const res = await fetch(api('/halls/demo/tickets'), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': address,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any };
}

describe('abuse (#12)', () => {
  it('gives one address a few tickets without a credential, not a service’s day of numbers', async () => {
    const before = (await hallNow(hub)).tickets.length;
    for (let i = 0; i < 5; i++) expect((await issue({ serviceId: 'tax' })).status).toBe(201);
    const refused = await issue({ serviceId: 'tax' });
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.body.error.code).toBe('rate-limited');
    // Another phone, at another address, is not held up.
    expect((await issue({ serviceId: 'tax' }, undefined, '203.0.113.2')).status).toBe(201);
    // The kiosk (its dispenser token) and the counter (staff) go on issuing from the same address.
    expect((await issue({ serviceId: 'tax' }, 'demo-kiosk-token')).status).toBe(201);
    expect((await issue({ serviceId: 'tax' }, hub.tokenFor('s01'))).status).toBe(201);
    const after = await hallNow(hub);
    expect(after.tickets.length).toBe(before + 8);
    expect(after.tickets.filter((t) => t.serviceId === 'tax').map((t) => t.number)).toContain('G008');
  });

  it('gives a head start only to a credential the hall trusts, and the channel is the credential’s', async () => {
    for (const priority of ['special-care', 'appointment'])
      for (const token of [undefined, 'demo-display-token']) {
        const r = await issue({ serviceId: 'social-insurance', priority }, token, '203.0.113.9');
        expect(r.status, `${priority} by ${token ?? 'anyone'}`).toBe(403);
        expect(r.body.error.code).toBe('not-allowed');
      }
    const care = await issue(
      { serviceId: 'social-insurance', priority: 'special-care', channel: 'api' },
      'demo-kiosk-token',
    );
    expect(care.status).toBe(201);
    const hall = await hallNow(hub);
    expect(hall.tickets.find((t) => t.id === care.body.id)).toMatchObject({
      priority: 'special-care',
      channel: 'kiosk',
    });
    // Whatever the caller says, a ticket without a credential came from a phone, a clerk's from the counter.
    const phone = await issue({ serviceId: 'social-insurance', channel: 'kiosk' }, undefined, '203.0.113.10');
    const desk = await issue({ serviceId: 'social-insurance', channel: 'kiosk' }, hub.tokenFor('s02'));
    const now = await hallNow(hub);
    expect(now.tickets.find((t) => t.id === phone.body.id)?.channel).toBe('mobile');
    expect(now.tickets.find((t) => t.id === desk.body.id)?.channel).toBe('counter');
  });

  it('limits public reads per address', async () => {
    const t = (await issue({ serviceId: 'household' }, 'demo-kiosk-token')).body as { id: string };
    let status = 200;
    for (let i = 0; i < 45 && status === 200; i++)
      status = (await http(api(`/tickets/${t.id}`), 'GET')).status;
    expect(status).toBe(429);
  });

  it('holds at most a few public sockets per address; a freed place can be taken again', async () => {
    const screens = await Promise.all([1, 2, 3].map(() => connect(hub.url, '/display', { hallId: 'demo' })));
    await expect(connect(hub.url, '/display', { hallId: 'demo' })).rejects.toMatchObject({
      data: { code: 'rate-limited' },
    });
    // A wall with its own device token is not a public screen.
    const wall = await connect(hub.url, '/display', { hallId: 'demo', deviceToken: 'demo-display-token' });
    screens[0]!.socket.disconnect();
    await new Promise((r) => setTimeout(r, 200));
    const again = await connect(hub.url, '/display', { hallId: 'demo' });
    for (const s of [...screens, wall, again]) s.socket.disconnect();
  });

  it('answers the hub’s own pages and listed sites, and refuses other sites’ pages, REST and sockets alike', async () => {
    const from = (origin: string) => fetch(api('/halls/demo'), { headers: { origin } });
    expect((await from(hub.url)).status).toBe(200);
    const listed = await from('https://portal.example.gov.cn');
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://portal.example.gov.cn');
    const other = await from('https://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const socketFrom = (origin: string) =>
      new Promise<boolean>((resolve) => {
        const s = connectClient(`${hub.url}/display`, {
          auth: { hallId: 'demo' },
          transports: ['websocket'],
          extraHeaders: { origin },
          reconnection: false,
          forceNew: true,
        });
        s.once('connect', () => {
          s.disconnect();
          resolve(true);
        });
        s.once('connect_error', () => {
          s.close();
          resolve(false);
        });
      });
    expect(await socketFrom('https://evil.example')).toBe(false);
    expect(await socketFrom(hub.url)).toBe(true);
  });
  it('locks a paused panel against password guessing as sign-in is (R19)', async () => {
    const clerk = hub.tokenFor('s12');
    const act = (action: string, body: unknown, token = clerk) =>
      http(api(`/halls/demo/counters/c12/${action}`), 'POST', body, token);
    expect((await act('open', {})).status).toBe(200);
    expect((await act('pause', { reason: 'break' })).status).toBe(200);
    for (let i = 0; i < 5; i++)
      expect((await act('resume', { password: 'guess' })).body.error.code).toBe('wrong-password');
    // Locked now: even the right password waits, before any hashing.
    const locked = await act('resume', { password: 'demo' });
    expect([locked.status, locked.body.error.code]).toEqual([429, 'rate-limited']);
    // The manager resumes it (and the clerk closes it).
    expect((await act('resume', {}, hub.tokenFor('mgr01'))).status).toBe(200);
    expect((await act('close', {})).status).toBe(200);
  });
});
