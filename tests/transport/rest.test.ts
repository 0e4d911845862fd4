import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTER_ACTIONS } from '@yichuang/protocol';
import { http, startHub, type Hub } from '../support/hub.js';

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.close();
});

const api = (path: string) => `${hub.url}/api/v1${path}`;

describe('REST contract', () => {
  it('answers /healthz', async () => {
    const r = await http(`${hub.url}/healthz`, 'GET');
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
  });

  it('says in /healthz which years’ holiday schedule it does not know (#13: deadlines would be off)', async () => {
    const later = await startHub({ clock: { now: () => Date.UTC(2035, 5, 1) } });
    try {
      expect((await http(`${later.url}/healthz`, 'GET')).body.unscheduledYears).toEqual({
        demo: [2035, 2036],
      });
    } finally {
      await later.close();
    }
  });

  it('lists the halls and describes the demo hall', async () => {
    expect((await http(api('/halls'), 'GET')).body).toEqual([
      expect.objectContaining({ id: 'demo', name: '示范市政务服务中心', level: 'city' }),
    ]);
    const { status, body } = await http(api('/halls/demo'), 'GET');
    expect(status).toBe(200);
    expect(body.services.length).toBeGreaterThanOrEqual(10);
    expect(body.services[0]).toEqual({
      id: 'social-insurance',
      code: 'RS-SB-001',
      name: '社会保险',
      nameEn: 'Social insurance',
      prefix: 'A',
      category: '人力资源和社会保障',
    });
    expect(body.counters).toHaveLength(12);
    expect(new Set(body.counters.map((c: { type: string }) => c.type))).toEqual(
      new Set(['consult', 'comprehensive', 'complaint']),
    );
    expect(JSON.stringify(body)).not.toContain('passwordHash');
    expect((await http(api('/halls/nope'), 'GET')).status).toBe(404);
  });

  it('issues a ticket with 201, its number, status and the tickets ahead, and finds it again', async () => {
    const first = await http(api('/halls/demo/tickets'), 'POST', { serviceId: 'real-estate' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      number: 'D001',
      serviceId: 'real-estate',
      status: 'waiting',
      ahead: 0,
    });
    const second = await http(api('/halls/demo/tickets'), 'POST', {
      serviceId: 'real-estate',
      priority: 'normal',
      channel: 'kiosk',
    });
    expect(second.body).toMatchObject({ number: 'D002', ahead: 1 });
    const found = await http(api(`/tickets/${second.body.id}`), 'GET');
    expect(found.body).toMatchObject({ id: second.body.id, number: 'D002', status: 'waiting', ahead: 1 });
    expect((await http(api('/tickets/unknown-id'), 'GET')).status).toBe(404);
  });

  it('answers bad input with a code and a message and issues nothing', async () => {
    const before = (await http(api('/halls/demo/public'), 'GET')).body.version;
    const cases: Array<[unknown, number, string]> = [
      [{}, 400, 'invalid-payload'],
      [{ serviceId: 'tax', priority: 'vip' }, 400, 'invalid-payload'],
      [{ serviceId: 'tax', extra: 1 }, 400, 'invalid-payload'],
      [{ serviceId: 'no-such-service' }, 404, 'unknown-service'],
      ['{not json', 400, 'invalid-payload'],
      [[1, 2], 400, 'invalid-payload'],
    ];
    for (const [body, status, code] of cases) {
      const r = await http(api('/halls/demo/tickets'), 'POST', body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body).toMatchObject({ ok: false, error: { code } });
      expect(r.body.error.message.length).toBeGreaterThan(5);
    }
    expect((await http(api('/halls/demo/public'), 'GET')).body.version).toBe(before);
  });

  it('signs in with the demo password (scrypt) and refuses a wrong one or an unknown name alike', async () => {
    const ok = await http(api('/auth/login'), 'POST', { username: 'manager', password: 'demo' });
    expect(ok.status).toBe(200);
    expect(ok.body.staff).toMatchObject({ name: '王建国', roles: ['manager', 'staff'], hallId: 'demo' });
    expect(typeof ok.body.token).toBe('string');
    const snap = await http(api('/halls/demo/snapshot'), 'GET', undefined, ok.body.token);
    expect(snap.status).toBe(200);
    for (const creds of [
      { username: 'manager', password: 'wrong' },
      { username: 'nobody', password: 'demo' },
    ]) {
      const r = await http(api('/auth/login'), 'POST', creds);
      expect(r.status).toBe(401);
      expect(r.body.error).toEqual({ code: 'unauthenticated', message: 'Wrong username or password.' });
    }
    expect((await http(api('/auth/login'), 'POST', { username: 'manager' })).status).toBe(400);
    expect((await http(api('/halls/demo/snapshot'), 'GET', undefined, 'forged.token')).status).toBe(401);
  });

  it('works a counter through every action, with optional bodies where a default exists', async () => {
    const s1 = hub.tokenFor('s01');
    const counter = (action: string, body?: unknown, token = s1) =>
      http(api(`/halls/demo/counters/c05/${action}`), 'POST', body, token);
    expect((await counter('open')).body.counter).toMatchObject({ state: 'open', staffId: 's01' });
    const t = (await http(api('/halls/demo/tickets'), 'POST', { serviceId: 'housing-fund' })).body;
    const called = await counter('call-next');
    expect(called.status).toBe(200);
    expect(called.body).toMatchObject({
      id: t.id,
      number: t.number,
      status: 'called',
      counterId: 'c05',
      counterNumber: 5,
    });
    expect((await counter('recall')).body.ticket).toMatchObject({ recalls: 1 });
    expect((await counter('start')).body.ticket).toMatchObject({
      status: 'serving',
      firstContactStaffId: 's01',
    });
    expect(
      (await counter('transfer', { to: { serviceId: 'tax' }, note: '需补税务' })).body.ticket,
    ).toMatchObject({ status: 'waiting', serviceId: 'tax', number: t.number });
    await http(api('/halls/demo/tickets'), 'POST', { serviceId: 'social-insurance' });
    await counter('call-next');
    expect((await counter('no-show')).body.ticket).toMatchObject({ status: 'no-show' });
    await http(api('/halls/demo/tickets'), 'POST', { serviceId: 'housing-fund' });
    await counter('call-next');
    expect((await counter('requeue')).body.ticket).toMatchObject({ status: 'waiting' });
    await counter('call-next');
    // Completing needs an explicit outcome (R18): none is recorded by default.
    const silent = await counter('complete');
    expect(silent.status).toBe(400);
    expect(silent.body.error.code).toBe('invalid-payload');
    expect((await counter('complete', { outcome: 'accepted' })).body.ticket).toMatchObject({
      status: 'completed',
      outcome: 'accepted',
    });
    expect((await counter('pause')).body.counter).toMatchObject({ state: 'paused', pauseReason: 'other' });
    // R19: the paused counter unlocks with the signed-in clerk's password only.
    const locked = await counter('resume', { password: 'wrong' });
    expect([locked.status, locked.body.error.code]).toEqual([403, 'wrong-password']);
    expect((await counter('resume', { password: 'demo' })).body.counter).toMatchObject({ state: 'open' });
    expect((await counter('close')).body.counter).toMatchObject({ state: 'closed', staffId: null });
  });

  it('refuses counter actions without a credential, on another’s counter, and unknown actions', async () => {
    expect((await http(api('/halls/demo/counters/c07/open'), 'POST')).status).toBe(401);
    await http(api('/halls/demo/counters/c07/open'), 'POST', undefined, hub.tokenFor('s02'));
    const r = await http(api('/halls/demo/counters/c07/pause'), 'POST', {}, hub.tokenFor('s03'));
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('not-allowed');
    expect((await http(api('/halls/demo/counters/c07/dance'), 'POST', {}, hub.tokenFor('s02'))).status).toBe(
      404,
    );
    const twoCounters = await http(
      api('/halls/demo/counters/c07/call-next'),
      'POST',
      { counterId: 'c01' },
      hub.tokenFor('s02'),
    );
    expect(twoCounters).toMatchObject({ status: 400, body: { error: { code: 'invalid-payload' } } });
    const closedCall = await http(
      api('/halls/demo/counters/c08/call-next'),
      'POST',
      undefined,
      hub.tokenFor('mgr01'),
    );
    expect(closedCall).toMatchObject({ status: 409, body: { error: { code: 'counter-closed' } } });
  });

  it('lets managers act on alerts and emergencies over REST, refusing clerks, bad bodies and unknown actions', async () => {
    const mgr = hub.tokenFor('mgr01');
    const clerk = hub.tokenFor('s03');
    await http(
      api('/halls/demo/counters/c03/open'),
      'POST',
      { check: { pc: true, caller: true, pad: true, forms: true } },
      clerk,
    );
    const reported = await http(
      api('/halls/demo/counters/c03/report-incident'),
      'POST',
      { kind: 'quarrel', note: '排队争执' },
      clerk,
    );
    expect(reported.status).toBe(200);
    const snap = (await http(api('/halls/demo/snapshot'), 'GET', undefined, mgr)).body;
    expect(snap.counterStatus.find((c: { id: string }) => c.id === 'c03').check).toMatchObject({
      pc: true,
      forms: true,
    });
    const alert = snap.alerts.find(
      (a: { kind: string; counterId: string }) => a.kind === 'incident' && a.counterId === 'c03',
    );
    expect(alert).toMatchObject({
      severity: 'critical',
      detail: 'quarrel',
      note: '排队争执',
      staffId: 's03',
    });
    const act = (action: string, body?: unknown, token = mgr) =>
      http(api(`/halls/demo/alerts/${alert.id}/${action}`), 'POST', body, token);
    expect((await act('acknowledge', undefined, clerk)).status).toBe(403);
    expect((await act('escalate')).status).toBe(404);
    expect((await act('assign', { staffId: 's04', alertId: 'other' })).status).toBe(400);
    expect((await act('acknowledge')).status).toBe(200);
    expect((await act('acknowledge')).body.error.code).toBe('already-acknowledged');
    expect((await act('resolve', { note: '已调解' })).status).toBe(200);
    expect((await act('resolve', { note: '' })).body.error.code).toBe('alert-resolved');

    expect((await http(api('/halls/demo/emergency'), 'POST', { kind: 'fire' }, clerk)).status).toBe(403);
    expect((await http(api('/halls/demo/emergency'), 'POST', { kind: 'flood' }, mgr)).status).toBe(400);
    const declared = await http(
      api('/halls/demo/emergency'),
      'POST',
      { kind: 'lift-failure', text: '2 号电梯' },
      mgr,
    );
    expect(declared.status).toBe(200);
    const { emergency } = (await http(api('/halls/demo/snapshot'), 'GET', undefined, mgr)).body;
    expect(emergency).toMatchObject({ kind: 'lift-failure', text: '2 号电梯', stopsIssuing: false });
    expect((await http(api(`/halls/demo/public`), 'GET')).body.emergency).not.toHaveProperty('declaredBy');
    expect((await http(api('/halls/demo/emergency/nope/all-clear'), 'POST', {}, mgr)).body.error.code).toBe(
      'no-emergency',
    );
    expect((await http(api(`/halls/demo/emergency/${emergency.id}/all-clear`), 'POST', {}, mgr)).status).toBe(
      200,
    );
    await http(api('/halls/demo/counters/c03/close'), 'POST', {}, clerk);
  });

  it('gives managers attendance as JSON and CSV with Chinese headings (R5, R26), and clerks nothing', async () => {
    const mgr = hub.tokenFor('mgr01');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(Date.now());
    expect((await http(api('/halls/demo/attendance'), 'GET', undefined, hub.tokenFor('s02'))).status).toBe(
      403,
    );
    expect((await http(api('/halls/demo/attendance?from=tomorrow'), 'GET', undefined, mgr)).status).toBe(400);
    await http(api('/halls/demo/counters/c09/open'), 'POST', {}, hub.tokenFor('s09'));
    const r = await http(api('/halls/demo/attendance'), 'GET', undefined, mgr);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ from: today, to: today });
    const s09 = r.body.days.find((d: { staffId: string }) => d.staffId === 's09');
    expect(s09).toMatchObject({ day: today, lastOut: null });
    expect(s09.firstIn).toBeGreaterThan(0);
    const csv = await fetch(api(`/halls/demo/attendance?from=${today}&to=${today}&format=csv`), {
      headers: { authorization: `Bearer ${mgr}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    // A UTF-8 byte-order mark first, so spreadsheet programs read the Chinese as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [head, ...rows] = bytes.subarray(3).toString('utf8').trim().split('\n');
    expect(head).toBe(
      '日期,工号,姓名,应到,请假,签到,签退,迟到(分钟),早退(分钟),离岗(分钟),缺勤,在岗(分钟),加班(分钟)',
    );
    expect(rows.find((l) => l.includes('周婷'))).toMatch(new RegExp(`^${today},`));
    await http(api('/halls/demo/counters/c09/close'), 'POST', {}, hub.tokenFor('s09'));
  });

  it('refuses a token with anything after its signature, one for a staff member no longer in the hall, and reads roles from the hall (#12, R8)', async () => {
    const snapshot = (token: string) => http(api('/halls/demo/snapshot'), 'GET', undefined, token);
    const good = hub.tokenFor('s01');
    expect((await snapshot(good)).status).toBe(200);
    expect((await snapshot(`${good}.extra`)).status).toBe(401);
    expect((await snapshot(`${good}.`)).status).toBe(401);
    // Signed with the hub's own secret, but nobody of that id works here (any more).
    expect((await snapshot(hub.tokenFor('s99'))).status).toBe(401);
    // A clerk's token that claims the manager role is a clerk's: the hall's configuration says so.
    const claimed = hub.tokenFor('s01');
    const r = await http(api('/halls/demo/emergency'), 'POST', { kind: 'other', text: '测试' }, claimed);
    expect(r.status).toBe(403);
  });

  it('sends security headers on every page and API answer: no framing, no sniffing, no referrer, own scripts only (#12)', async () => {
    for (const path of ['/console', '/kiosk', '/api/v1/halls']) {
      const res = await fetch(`${hub.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    }
  });

  it('keeps /metrics to its token when one is set (#12)', async () => {
    const guarded = await startHub({ metricsToken: 'metrics-secret-123' });
    try {
      expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401);
      const bad = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
      expect(bad.status).toBe(401);
      const ok = await fetch(`${guarded.url}/metrics`, {
        headers: { authorization: 'Bearer metrics-secret-123' },
      });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('yc_commands_total');
    } finally {
      await guarded.close();
    }
    // Without a token, this machine may read them (the hub's own Prometheus agent).
    expect((await fetch(`${hub.url}/metrics`)).status).toBe(200);
  });

  it('publishes an OpenAPI document generated from the protocol schemas', async () => {
    const { body } = await http(api('/openapi.json'), 'GET');
    expect(body.openapi).toBe('3.1.0');
    for (const action of Object.keys(COUNTER_ACTIONS))
      expect(body.paths).toHaveProperty([`/halls/{hallId}/counters/{counterId}/${action}`]);
    const issue = body.paths['/halls/{hallId}/tickets'].post;
    expect(issue.requestBody.content['application/json'].schema.properties.priority.enum).toEqual([
      'normal',
      'appointment',
      'special-care',
    ]);
    expect(issue.responses['201'].content['application/json'].schema.required).toContain('ahead');
  });

  it('issues once per Idempotency-Key and caller: a retried press gets the same ticket', async () => {
    const post = (key: string, token?: string) =>
      fetch(api('/halls/demo/tickets'), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': key,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ serviceId: 'tax' }),
      });
    const first = await post('press-7f3a9c21');
    const again = await post('press-7f3a9c21');
    const a = (await first.json()) as { id: string; number: string };
    const b = (await again.json()) as { id: string; number: string };
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(b).toMatchObject({ id: a.id, number: a.number });
    // The same key from another caller is that caller's own action.
    const staff = (await (await post('press-7f3a9c21', hub.tokenFor('s01'))).json()) as { id: string };
    expect(staff.id).not.toBe(a.id);
    const bad = await post('x');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid-payload');
  });
});
