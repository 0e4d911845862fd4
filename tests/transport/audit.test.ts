import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, Result } from '@yichuang/protocol';
import { command, connect, http, startHub, type Hub } from '../support/hub.js';

/** #12: every staff, manager, admin and device action and every denied attempt, in the audit log. */
let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.close();
});

const api = (path: string) => `${hub.url}/api/v1${path}`;
const audit = async (query = '') =>
  (await http(api(`/halls/demo/audit${query}`), 'GET', undefined, hub.tokenFor('mgr01'))).body as {
    entries: AuditEntry[];
  };

describe('audit log (#12)', () => {
  it('keeps who did what, when, from where and by which door, done or refused', async () => {
    const clerk = hub.tokenFor('s11');
    expect((await http(api('/halls/demo/counters/c11/open'), 'POST', {}, clerk)).status).toBe(200);
    const panel = await connect(hub.url, '/counter', { hallId: 'demo', token: clerk });
    expect(
      await command<Result<unknown>>(panel.socket, 'counter:pause', { counterId: 'c11', reason: 'break' }),
    ).toMatchObject({ ok: true });
    // A clerk asking for a manager's command, and a credential that opens nothing.
    expect(
      (await http(api('/halls/demo/emergency'), 'POST', { kind: 'other', text: '试' }, clerk)).status,
    ).toBe(403);
    expect((await http(api('/halls/demo/snapshot'), 'GET', undefined, 'forged.token')).status).toBe(401);
    panel.socket.disconnect();
    // Sign-in: a wrong password and a right one.
    await http(api('/auth/login'), 'POST', { username: 'staff12', password: 'wrong' });
    await http(api('/auth/login'), 'POST', { username: 'staff12', password: 'demo' });

    const { entries } = await audit();
    const find = (who: string, action: string) => entries.filter((e) => e.who === who && e.action === action);
    expect(find('staff:s11', 'counter:open')[0]).toMatchObject({
      target: 'c11',
      outcome: 'done',
      address: '127.0.0.1',
      via: 'rest',
    });
    expect(find('staff:s11', 'counter:pause')[0]).toMatchObject({ outcome: 'done', via: 'socket' });
    expect(find('staff:s11', 'hall:declare-emergency')[0]).toMatchObject({
      outcome: 'refused',
      code: 'not-allowed',
    });
    expect(entries.find((e) => e.who === 'unknown-credential')).toMatchObject({
      action: 'http:GET /api/v1/halls/:hallId/snapshot',
      code: 'unauthenticated',
    });
    expect(find('login:staff12', 'auth:login')[0]).toMatchObject({ outcome: 'refused' });
    expect(find('staff:s12', 'auth:login')[0]).toMatchObject({ outcome: 'done' });
    // Never a password, not even a wrong one.
    const files = await readdir(join(hub.dataDir, 'audit', 'demo'));
    const text = (
      await Promise.all(files.map((f) => readFile(join(hub.dataDir, 'audit', 'demo', f), 'utf8')))
    ).join('');
    expect(text).not.toContain('wrong');
    expect(text).not.toMatch(/password/i);
    await http(api('/halls/demo/counters/c11/resume'), 'POST', {}, hub.tokenFor('mgr01'));
    await http(api('/halls/demo/counters/c11/close'), 'POST', {}, clerk);
  });

  it('is searched and exported by managers only', async () => {
    expect((await http(api('/halls/demo/audit'), 'GET', undefined, hub.tokenFor('s01'))).status).toBe(403);
    expect((await http(api('/halls/demo/audit'), 'GET')).status).toBe(401);
    const refused = await audit('?outcome=refused');
    expect(refused.entries.length).toBeGreaterThan(0);
    expect(refused.entries.every((e) => e.outcome === 'refused')).toBe(true);
    const mine = await audit('?who=s11&action=counter');
    expect(mine.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['counter:open', 'counter:pause']),
    );
    expect(
      (await http(api('/halls/demo/audit?from=2026-13-01'), 'GET', undefined, hub.tokenFor('mgr01'))).status,
    ).toBe(400);
    const csv = await fetch(api('/halls/demo/audit?format=csv&who=s11'), {
      headers: { authorization: `Bearer ${hub.tokenFor('mgr01')}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    // A byte-order mark first, so spreadsheet programs read the Chinese as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = new TextDecoder().decode(bytes);
    expect(body.startsWith('时间,操作人,操作,对象,说明,结果,原因,来源地址,途径')).toBe(true);
    expect(body).toContain('staff:s11,counter:open,c11,,完成');
  });
});
