import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PostgresHistoryStore } from '@yichuang/server';
import { http, startHub, type Hub } from '../support/hub.js';

/** The machine's PostgreSQL (CI checks it answers); this run in a schema of its own, dropped after. */
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const schema = `yc_test_${process.pid}_${randomBytes(4).toString('hex')}`;

// Friday 27 November 2026, 10:00 in Shanghai.
const FRIDAY_1000 = Date.parse('2026-11-27T02:00:00Z');
let now = FRIDAY_1000;
let hub: Hub;
let store: PostgresHistoryStore;

beforeAll(async () => {
  store = new PostgresHistoryStore(DATABASE_URL, schema);
  await store.migrate();
  hub = await startHub({ clock: { now: () => now }, history: store, archiveEveryMs: 200 });
});
afterAll(async () => {
  await hub.close();
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

const api = (path: string) => `${hub.url}/api/v1${path}`;
const until = async (check: () => Promise<boolean>) => {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('reports over the history, live on PostgreSQL (#14)', () => {
  it('archives a day when the next begins, the running one with a lag, and reports both', async () => {
    // Access tokens are short-lived: minted on the hub's clock as it moves.
    let mgr = hub.tokenFor('mgr01');
    let s03 = hub.tokenFor('s03');
    const fresh = () => ((mgr = hub.tokenFor('mgr01')), (s03 = hub.tokenFor('s03')));
    const post = (path: string, body: unknown, token?: string) => {
      fresh();
      return http(api(path), 'POST', body, token === 'mgr' ? mgr : s03);
    };
    expect((await post('/halls/demo/counters/c03/open', { staffId: 's03' })).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      now += 60_000;
      expect((await post('/halls/demo/tickets', { serviceId: 'social-insurance' }, 'mgr')).status).toBe(201);
    }
    now += 5 * 60_000;
    const ok = async (r: Promise<{ status: number; body: unknown }>) =>
      expect((await r).body).not.toHaveProperty('error');
    await ok(post('/halls/demo/counters/c03/call-next', {}));
    await ok(post('/halls/demo/counters/c03/start', {}));
    now += 8 * 60_000;
    await ok(post('/halls/demo/counters/c03/complete', { outcome: 'accepted' }));
    now += 60_000;
    await ok(post('/halls/demo/counters/c03/call-next', {}));
    now += 3 * 60_000;
    await ok(post('/halls/demo/counters/c03/no-show', {}));

    // The running day is in the history within the lag, but not as a closed day.
    await until(async () => (await store.tickets('demo', '2026-11-27', '2026-11-27')).length === 3);
    expect(await store.archivedDays('demo', '2026-11-01', '2026-11-30')).toEqual([]);

    // Saturday morning: the first event of the day ends Friday, which is archived complete.
    now = Date.parse('2026-11-28T01:30:00Z');
    expect((await post('/halls/demo/tickets', { serviceId: 'tax' }, 'mgr')).status).toBe(201);
    await until(async () => (await store.archivedDays('demo', '2026-11-01', '2026-11-30')).length === 1);

    fresh();
    const friday = await http(
      api('/halls/demo/reports?from=2026-11-27&to=2026-11-27&by=counter'),
      'GET',
      undefined,
      mgr,
    );
    expect(friday.status).toBe(200);
    expect(friday.body.archivedDays).toBe(1);
    expect(friday.body.total).toMatchObject({ issued: 3, served: 1, noShows: 1, called: 2, cancelled: 0 });
    expect(friday.body.total.outcomes.accepted).toBe(1);
    expect(friday.body.total.handlingP50).toBe(8);
    // Called 7 and 15 minutes after they were issued (target 20): both within.
    expect(friday.body.total).toMatchObject({ waitP50: 7, waitMax: 15, withinTarget: 1 });
    expect(friday.body.rows.map((r: { key: string }) => r.key)).toEqual(['', 'c03']);

    // Filtered to one service: Saturday's ticket is in the month (the running day), not in this service.
    const month = await http(
      api('/halls/demo/reports?from=2026-11-01&to=2026-11-30&serviceId=tax'),
      'GET',
      undefined,
      mgr,
    );
    await until(async () => (await store.tickets('demo', '2026-11-28', '2026-11-28')).length === 1);
    const again = await http(
      api('/halls/demo/reports?from=2026-11-01&to=2026-11-30&serviceId=tax'),
      'GET',
      undefined,
      mgr,
    );
    expect(month.status).toBe(200);
    expect(again.body.total.issued).toBe(1);

    // Drill-down to the tickets of the day.
    const tickets = await http(api('/halls/demo/reports/tickets?day=2026-11-27'), 'GET', undefined, mgr);
    expect(tickets.body.tickets.map((t: { status: string }) => t.status).sort()).toEqual([
      'completed',
      'no-show',
      'waiting',
    ]);

    // CSV with Chinese headings, readable by spreadsheet programs (BOM).
    const csv = await fetch(api('/halls/demo/reports?from=2026-11-27&to=2026-11-27&by=service&format=csv'), {
      headers: { authorization: `Bearer ${mgr}` },
    });
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('事项,名称,取号数,办结数');
    expect(text).toContain('social-insurance,社会保险,3,1,1');
    expect(text).toContain('合计');

    // The city view: the city's managers see every hall's months; a hall manager does not.
    const city = await http(
      api('/reports/halls?from=2026-11-01&to=2026-11-30'),
      'GET',
      undefined,
      hub.tokenFor('city01'),
    );
    expect(city.status).toBe(200);
    expect(city.body.months).toEqual([
      expect.objectContaining({
        hallId: 'demo',
        month: '2026-11',
        days: 2,
        issued: 4,
        served: 1,
        noShows: 1,
        // Friday's two calls, 7 and 15 minutes after issue, both within the target of 20.
        called: 2,
        withinTarget: 1,
        waitMean: 11,
        waitMax: 15,
        handlingMean: 8,
      }),
    ]);
    expect((await http(api('/reports/halls'), 'GET', undefined, mgr)).status).toBe(403);
    // Clerks see no reports; a range backwards is a clear error.
    expect((await http(api('/halls/demo/reports'), 'GET', undefined, s03)).status).toBe(403);
    const backwards = await http(
      api('/halls/demo/reports?from=2026-11-30&to=2026-11-01'),
      'GET',
      undefined,
      mgr,
    );
    expect(backwards.body.error).toEqual({
      code: 'invalid-payload',
      message: 'The range ends before it starts.',
    });
  });

  it('are in the OpenAPI document with their filters', async () => {
    const { body } = await http(api('/openapi.json'), 'GET');
    const report = body.paths['/halls/{hallId}/reports'].get;
    expect(report.parameters.map((p: { name: string }) => p.name)).toEqual([
      'hallId',
      'from',
      'to',
      'by',
      'serviceId',
      'counterId',
      'staffId',
      'format',
    ]);
    expect(Object.keys(report.responses[200].content)).toContain(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(body.paths).toHaveProperty(['/halls/{hallId}/reports/tickets']);
    expect(body.paths).toHaveProperty(['/reports/halls']);
  });
});
