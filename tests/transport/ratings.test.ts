import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketView } from '@yichuang/protocol';
import { http, startHub, type Hub } from '../support/hub.js';

/** R34 over REST: the applicant rates on their phone, once, within the window, never by default. */
let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.close();
});

const api = (path: string) => `${hub.url}/api/v1${path}`;

async function servedTicket(): Promise<TicketView> {
  const clerk = hub.tokenFor('s03');
  const t = (await http(api('/halls/demo/tickets'), 'POST', { serviceId: 'social-insurance' }))
    .body as TicketView;
  for (const [action, body] of [
    ['open', {}],
    ['call', { ticketId: t.id }],
    ['start', {}],
    ['complete', { outcome: 'accepted' }],
  ] as const)
    expect((await http(api(`/halls/demo/counters/c03/${action}`), 'POST', body, clerk)).status).toBe(200);
  return (await http(api(`/tickets/${t.id}`), 'GET')).body as TicketView;
}

describe('ratings on the phone (R34)', () => {
  it('are open for the window once served, given once, and shown with who served it', async () => {
    const t = await servedTicket();
    expect(t.status).toBe('completed');
    expect(t.servedBy).toMatchObject({ name: expect.any(String), badge: expect.any(String) });
    expect(t.ratingOpenUntil).toBeGreaterThan(Date.now() + 25 * 60_000);
    const rate = (body: unknown) => http(api(`/tickets/${t.id}/rating`), 'POST', body);
    expect((await rate({ level: 7 })).status).toBe(400);
    expect((await rate({})).status).toBe(400);
    const done = await rate({ level: 2, comment: '等候时间太长' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ rating: { level: 2 }, ratingOpenUntil: null });
    expect(await rate({ level: 5 })).toMatchObject({
      status: 409,
      body: { error: { code: 'already-rated' } },
    });
    // The console sees it with the comment; the clerk who served it is named on the ticket.
    const hall = (await http(api('/halls/demo/snapshot'), 'GET', undefined, hub.tokenFor('mgr01'))).body;
    expect(hall.tickets.find((x: { id: string }) => x.id === t.id)).toMatchObject({
      rating: { level: 2, comment: '等候时间太长' },
      servedByStaffId: 's03',
    });
  });

  it('are refused before completion and for a ticket that does not exist', async () => {
    const t = (await http(api('/halls/demo/tickets'), 'POST', { serviceId: 'tax' })).body as TicketView;
    expect(t.ratingOpenUntil).toBeNull();
    expect(await http(api(`/tickets/${t.id}/rating`), 'POST', { level: 5 })).toMatchObject({
      status: 409,
      body: { error: { code: 'ticket-not-completed' } },
    });
    expect((await http(api('/tickets/nope-nope/rating'), 'POST', { level: 5 })).status).toBe(404);
  });
});
