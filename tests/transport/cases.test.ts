import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, Case, CommandReply, StaffSnapshot, TicketView } from '@yichuang/protocol';
import { connect, http, nextEvent, startHub, type Hub } from '../support/hub.js';
import { applicant, leaked, readableText } from '../support/applicants.js';

/**
 * #13 (R14, R36) through the hub: a bad review on the phone opens a case the console hears of at
 * once, without the applicant's number; managers assign it over REST, the assignee works it, the
 * number is revealed on record to them alone.
 */
let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.close();
});

const api = (path: string) => `${hub.url}/api/v1${path}`;
const dan = applicant(7);

async function servedTicket(): Promise<TicketView> {
  const clerk = hub.tokenFor('s03');
  const t = (await http(api('/halls/demo/tickets'), 'POST', { serviceId: 'social-insurance' }))
    .body as TicketView;
  for (const [action, body] of [
    ['open', {}],
    ['call', { ticketId: t.id }],
    ['start', {}],
    ['complete', { outcome: 'accepted' }],
    ['close', {}],
  ] as const)
    expect((await http(api(`/halls/demo/counters/c03/${action}`), 'POST', body, clerk)).status).toBe(200);
  return t;
}

describe('follow-up cases through the hub (#13)', () => {
  it('opens a case for a 非常不满意 on the phone, heard by the console with the number masked', async () => {
    const console_ = await connect<StaffSnapshot>(hub.url, '/supervisor', {
      hallId: 'demo',
      token: hub.tokenFor('mgr01'),
    });
    const t = await servedTicket();
    const heard = nextEvent<Record<string, any>>(console_.socket, 'case:opened');
    const rated = await http(api(`/tickets/${t.id}/rating`), 'POST', {
      level: 1,
      comment: '窗口人员态度生硬',
      aspects: ['attitude', 'language'],
      phone: dan.phone,
    });
    expect(rated.status).toBe(200);
    const e = await heard;
    expect(e).toMatchObject({ kind: 'bad-review', ticketId: t.id, staffId: 's03', level: 1 });
    expect(e.applicant).toBeUndefined();
    expect(e.after.case).toMatchObject({
      named: true,
      applicant: { phone: `${dan.phone.slice(0, 3)}****${dan.phone.slice(7)}` },
    });
    expect(leaked(readableText([e, rated.body]), [dan])).toEqual([]);
    // A number with praise is refused, clearly.
    const other = await servedTicket();
    expect(
      await http(api(`/tickets/${other.id}/rating`), 'POST', { level: 5, phone: dan.phone }),
    ).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid-payload' } },
    });
    console_.socket.close();
  });

  it('is assigned by a manager, worked and revealed by the assignee alone, on record', async () => {
    const mgr = hub.tokenFor('mgr01');
    const snapshot = (await http(api('/halls/demo/snapshot'), 'GET', undefined, mgr)).body as StaffSnapshot;
    const c = snapshot.cases.find((x) => x.kind === 'bad-review' && x.closedAt === null)!;
    expect(c.deadlines.map((d) => d.name)).toEqual(['call-back', 'rectify']);
    const path = (action: string) => api(`/halls/demo/cases/${c.id}/${action}`);

    expect((await http(path('assign'), 'POST', { staffId: 's05' }, hub.tokenFor('s04'))).status).toBe(403);
    const assigned = await http(path('assign'), 'POST', { staffId: 's05' }, mgr);
    expect(assigned).toMatchObject({ status: 200, body: { case: { assignedTo: 's05' } } });

    const reveal = { reason: '电话回访' };
    expect((await http(path('reveal-applicant'), 'POST', reveal, hub.tokenFor('s04'))).status).toBe(403);
    expect(await http(path('reveal-applicant'), 'POST', reveal, hub.tokenFor('s05'))).toMatchObject({
      status: 200,
      body: { applicant: { name: null, phone: dan.phone } },
    });
    const close = await http(path('close'), 'POST', { note: '已致歉' }, hub.tokenFor('s05'));
    expect(close).toMatchObject({ status: 409, body: { error: { code: 'case-not-called-back' } } });
    const called = await http(
      path('record'),
      'POST',
      { step: 'called-back', note: '已电话回访，申请人接受道歉' },
      hub.tokenFor('s05'),
    );
    expect(called.status).toBe(200);
    const closed = (await http(path('close'), 'POST', { note: '已致歉，纳入月度考核' }, hub.tokenFor('s05')))
      .body as CommandReply;
    expect(closed.case).toMatchObject({ closedAt: expect.any(Number) });
    expect((closed.case as Case).entries.map((x) => x.step)).toEqual(['assigned', 'called-back', 'closed']);

    const { entries } = (await http(api('/halls/demo/audit?action=case'), 'GET', undefined, mgr)).body as {
      entries: AuditEntry[];
    };
    expect(entries.map((x) => [x.who, x.action, x.outcome, x.target])).toEqual(
      expect.arrayContaining([
        ['staff:s04', 'case:assign', 'refused', c.id],
        ['staff:s05', 'case:reveal-applicant', 'done', c.id],
        ['staff:s04', 'case:reveal-applicant', 'refused', c.id],
        ['staff:s05', 'case:close', 'done', c.id],
      ]),
    );
    expect(entries.find((x) => x.action === 'case:reveal-applicant' && x.outcome === 'done')!.detail).toBe(
      '电话回访',
    );
  });

  it('records a “办不成事” problem from the window, refusing one without its size and remit', async () => {
    const clerk = hub.tokenFor('s04');
    const bare = await http(
      api('/halls/demo/cases'),
      'POST',
      { kind: 'cannot-do', description: '办不成' },
      clerk,
    );
    expect(bare).toMatchObject({ status: 400, body: { error: { code: 'invalid-payload' } } });
    const opened = await http(
      api('/halls/demo/cases'),
      'POST',
      {
        kind: 'cannot-do',
        description: '企业注销后社保账户无法转出，两个部门互相推诿',
        serviceIds: ['social-insurance'],
        departments: ['区人社局', '区市场监管局'],
        complexity: 'complex',
        remit: 'inside',
        applicant: { name: dan.name, phone: dan.phone },
      },
      clerk,
    );
    expect(opened).toMatchObject({
      status: 200,
      body: { case: { kind: 'cannot-do', openedBy: 's04', named: true } },
    });
    expect(leaked(readableText([opened.body]), [dan])).toEqual([]);
    expect(
      (await http(api('/halls/demo/cases'), 'POST', { kind: 'complaint', description: '投诉' })).status,
    ).toBe(401);
  });
});
