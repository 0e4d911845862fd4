import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io as connectClient, type Socket } from 'socket.io-client';
import type { ErrorBody, StaffSnapshot } from '@yichuang/protocol';
import { command, connect, http, hallNow, startHub, type Hub } from '../support/hub.js';

/**
 * #12, R8: sessions are short-lived access tokens renewed with a refresh token, and whatever ends a
 * session (sign-out, a deactivated account or device, a changed role) ends its live connections
 * within a second and keeps them out.
 */
let hub: Hub;
const open: Socket[] = [];
beforeAll(async () => {
  hub = await startHub();
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(async () => {
  await hub.close();
});

const api = (path: string) => `${hub.url}/api/v1${path}`;
const login = async (username: string) =>
  await http(api('/auth/login'), 'POST', { username, password: 'demo' });
const snapshot = (token: string) => http(api('/halls/demo/snapshot'), 'GET', undefined, token);
const manager = () => hub.tokenFor('mgr01');

/** A panel's socket as the browser keeps it: reconnecting on its own, with recovery. */
function panel(token: string, ns = '/counter'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectClient(hub.url + ns, {
      auth: { hallId: 'demo', token },
      transports: ['websocket'],
      reconnectionDelay: 300,
      reconnectionDelayMax: 300,
      forceNew: true,
    });
    open.push(socket);
    socket.once('hall:snapshot', () => resolve(socket));
    socket.once('connect_error', (err) => reject(err));
  });
}

/**
 * Resolves when the socket is closed, with what it was told and how long it took (Infinity when it
 * was not the hub that closed it).
 */
function closedByHub(socket: Socket): Promise<{ why: ErrorBody | null; ms: number }> {
  const started = performance.now();
  let why: ErrorBody | null = null;
  socket.once('session:revoked', (w: ErrorBody) => (why = w));
  return new Promise((resolve) =>
    socket.once('disconnect', (reason) =>
      resolve({ why, ms: reason === 'io server disconnect' ? performance.now() - started : Infinity }),
    ),
  );
}

const staffAction = (staffId: string, action: string, body: unknown, token = manager()) =>
  http(api(`/halls/demo/staff/${staffId}/${action}`), 'POST', body, token);

describe('sessions (#12, R8)', () => {
  it('signs in with a short-lived access token and a refresh token; each is only good as itself', async () => {
    const r = await login('staff01');
    expect(r.status).toBe(200);
    const { token, expiresAt, refreshToken, refreshExpiresAt } = r.body;
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(refreshExpiresAt - Date.now()).toBeGreaterThan(11 * 3600_000);
    expect((await snapshot(token)).status).toBe(200);
    // A refresh token opens nothing by itself; an access token renews nothing.
    expect((await snapshot(refreshToken)).status).toBe(401);
    expect((await http(api('/auth/refresh'), 'POST', { refreshToken: token })).status).toBe(401);
    const renewed = await http(api('/auth/refresh'), 'POST', { refreshToken });
    expect(renewed.status).toBe(200);
    expect(renewed.body.token).not.toBe(token);
    expect(renewed.body.staff).toMatchObject({ id: 's01', roles: ['staff'] });
    expect((await snapshot(renewed.body.token)).status).toBe(200);
    expect((await http(api('/auth/refresh'), 'POST', { refreshToken: 'x', more: 1 })).status).toBe(400);
  });

  it('signs out one session at once: its tokens stop and its panel is closed, another session stays', async () => {
    const one = (await login('staff02')).body;
    const two = (await login('staff02')).body;
    const [panelOne, panelTwo] = await Promise.all([panel(one.token), panel(two.token)]);
    const closed = closedByHub(panelOne);
    expect((await http(api('/auth/logout'), 'POST', {}, one.token)).status).toBe(204);
    const { why, ms } = await closed;
    expect(ms).toBeLessThan(1000);
    expect(why).toMatchObject({ code: 'unauthenticated' });
    expect((await snapshot(one.token)).status).toBe(401);
    expect((await http(api('/auth/refresh'), 'POST', { refreshToken: one.refreshToken })).status).toBe(401);
    expect((await http(api('/auth/logout'), 'POST', {}, one.token)).status).toBe(401);
    expect(panelTwo.connected).toBe(true);
    expect((await snapshot(two.token)).status).toBe(200);
    // Signing out everywhere ends the other one too.
    const closedTwo = closedByHub(panelTwo);
    expect((await http(api('/auth/logout'), 'POST', { everywhere: true }, two.token)).status).toBe(204);
    expect((await closedTwo).ms).toBeLessThan(1000);
    expect((await snapshot(two.token)).status).toBe(401);
  });

  it('puts a deactivated account out within a second, a reconnecting socket included, and keeps it out', async () => {
    const clerk = (await login('staff03')).body;
    const live = await panel(clerk.token);
    const reconnecting = await panel(clerk.token);
    // The second panel loses its network: socket.io reconnects on its own, with session recovery.
    const away = new Promise((r) => reconnecting.once('disconnect', r));
    reconnecting.io.engine.close();
    await away;
    const closed = closedByHub(live);
    const refused = new Promise<ErrorBody>((r) =>
      reconnecting.once('connect_error', (e) => r((e as Error & { data: ErrorBody }).data)),
    );
    // A colleague's panel hears that the account is off, not why (the reason is the managers').
    const colleague = await panel(hub.tokenFor('s08'));
    const heard = new Promise<{
      note: string;
      after: { accounts: Array<{ staffId: string; note: string }> };
    }>((res) => colleague.once('staff:deactivated', res));
    const r = await staffAction('s03', 'deactivate', { note: '调离岗位' });
    expect(r.status).toBe(200);
    const event = await heard;
    expect(event.note).toBe('');
    expect(event.after.accounts.find((a) => a.staffId === 's03')?.note).toBe('');
    const { ms } = await closed;
    expect(ms).toBeLessThan(1000);
    expect(await refused).toMatchObject({ code: 'unauthenticated' });
    await new Promise((res) => setTimeout(res, 1500));
    expect(reconnecting.connected).toBe(false);
    expect(live.connected).toBe(false);
    // Every door: REST, refresh, sign-in (the right password included), a new socket.
    expect((await snapshot(clerk.token)).status).toBe(401);
    expect((await http(api('/auth/refresh'), 'POST', { refreshToken: clerk.refreshToken })).status).toBe(401);
    const again = await login('staff03');
    expect(again.status).toBe(403);
    expect(again.body.error?.message).toContain('deactivated');
    await expect(panel(clerk.token)).rejects.toThrow();
    // The console sees the account as it is now; a colleague reading the hall over REST, not why.
    const hall = await hallNow(hub);
    expect(hall.accounts.find((a) => a.staffId === 's03')).toMatchObject({ active: false, note: '调离岗位' });
    const asColleague = (await snapshot(hub.tokenFor('s08'))).body as StaffSnapshot;
    expect(asColleague.accounts.find((a) => a.staffId === 's03')).toMatchObject({ active: false, note: '' });
    // Reactivated, the clerk signs in again; the old session stays over.
    expect((await staffAction('s03', 'reactivate', {})).status).toBe(200);
    expect((await login('staff03')).status).toBe(200);
    expect((await snapshot(clerk.token)).status).toBe(401);
    expect((await staffAction('s03', 'reactivate', {})).body.error.code).toBe('no-change');
  });

  it('changes roles only by an admin, and a changed role ends the sessions so it counts at once', async () => {
    const mgr = (await login('manager')).body;
    const console = await panel(mgr.token, '/supervisor');
    // A manager keeps accounts but does not give roles; nobody changes their own.
    expect((await staffAction('s04', 'change-roles', { roles: ['manager', 'staff'] })).status).toBe(403);
    const admin = hub.tokenFor('adm01');
    expect((await staffAction('adm01', 'change-roles', { roles: ['staff'] }, admin)).body.error.code).toBe(
      'not-allowed',
    );
    const closed = closedByHub(console);
    const r = await staffAction('mgr01', 'change-roles', { roles: ['staff'] }, admin);
    expect(r.status).toBe(200);
    expect((await closed).ms).toBeLessThan(1000);
    const now = (await login('manager')).body;
    expect(now.staff.roles).toEqual(['staff']);
    await expect(panel(now.token, '/supervisor')).rejects.toThrow();
    expect((await staffAction('mgr01', 'change-roles', { roles: ['manager', 'staff'] }, admin)).status).toBe(
      200,
    );
  });

  it('switches a device off: its connections close within a second and its token opens nothing', async () => {
    const wall = await connect<StaffSnapshot>(hub.url, '/display', {
      hallId: 'demo',
      deviceToken: 'demo-display-token',
    });
    open.push(wall.socket);
    const kiosk = () =>
      http(api('/halls/demo/tickets'), 'POST', { serviceId: 'tax', channel: 'kiosk' }, 'demo-kiosk-token');
    expect((await kiosk()).status).toBe(201);
    const closed = closedByHub(wall.socket);
    const device = (id: string, action: string) =>
      http(api(`/halls/demo/devices/${id}/${action}`), 'POST', { note: '被盗' }, manager());
    expect((await device('wall-1', 'deactivate')).status).toBe(200);
    expect((await closed).ms).toBeLessThan(1000);
    await expect(
      connect(hub.url, '/display', { hallId: 'demo', deviceToken: 'demo-display-token' }),
    ).rejects.toThrow();
    expect((await device('kiosk-1', 'deactivate')).status).toBe(200);
    expect((await kiosk()).status).toBe(401);
    expect((await device('kiosk-1', 'deactivate')).body.error.code).toBe('no-change');
    // A clerk does not switch devices; a manager switches them back on.
    expect(
      (await http(api('/halls/demo/devices/kiosk-1/reactivate'), 'POST', {}, hub.tokenFor('s05'))).status,
    ).toBe(403);
    expect((await http(api('/halls/demo/devices/kiosk-1/reactivate'), 'POST', {}, manager())).status).toBe(
      200,
    );
    expect((await http(api('/halls/demo/devices/wall-1/reactivate'), 'POST', {}, manager())).status).toBe(
      200,
    );
    expect((await kiosk()).status).toBe(201);
  });

  it('refuses a clerk who keeps accounts, and a sign-out without a session', async () => {
    expect((await staffAction('s06', 'deactivate', {}, hub.tokenFor('s05'))).status).toBe(403);
    expect((await staffAction('mgr01', 'deactivate', {})).body.error.message).toContain('own account');
    expect((await staffAction('nobody', 'deactivate', {})).body.error.code).toBe('unknown-staff');
    expect((await staffAction('s06', 'promote', {})).status).toBe(404);
    expect((await http(api('/auth/logout'), 'POST', {})).status).toBe(401);
    const clerk = await panel(hub.tokenFor('s07'));
    // Over the socket, the command signs out the session it came through.
    const closed = closedByHub(clerk);
    expect(await command(clerk, 'session:sign-out', {})).toMatchObject({ ok: true });
    expect((await closed).ms).toBeLessThan(1000);
  });
});
