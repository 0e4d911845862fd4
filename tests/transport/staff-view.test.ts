import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicEvent, PublicSnapshot, Result, StaffEvent, StaffSnapshot } from '@yichuang/protocol';
import { applyStaffEvent, EVENT_TYPES } from '@yichuang/protocol';
import { connect, http, startHub, type Hub } from '../support/hub.js';

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.close();
});

const normal = (s: StaffSnapshot) => ({
  version: s.version,
  tickets: [...s.tickets].sort((a, b) => a.id.localeCompare(b.id)),
  counterStatus: [...s.counterStatus].sort((a, b) => a.id.localeCompare(b.id)),
  recentCalls: s.recentCalls,
  notices: s.notices,
  issuingPaused: s.issuingPaused,
  // What the hall learnt of handling times comes with each completion, and the routing policy with its change.
  estimates: s.estimates,
  routing: s.routing,
});

describe('screens kept by the events they hear', () => {
  it('ends equal to a fresh snapshot after every kind of change', async () => {
    const mgr = hub.tokenFor('mgr01');
    const { socket, snapshot } = await connect<StaffSnapshot>(hub.url, '/supervisor', {
      hallId: 'demo',
      token: mgr,
    });
    let view = snapshot;
    let last = snapshot.version;
    for (const type of EVENT_TYPES)
      socket.on(type, (e: StaffEvent) => {
        expect(e.version).toBe(last + 1);
        last = e.version;
        view = applyStaffEvent(view, e);
      });
    const api = (path: string, body?: unknown) => http(`${hub.url}/api/v1${path}`, 'POST', body, mgr);
    const a = (await api('/halls/demo/tickets', { serviceId: 'tax' })).body;
    const b = (await api('/halls/demo/tickets', { serviceId: 'tax' })).body;
    await api('/halls/demo/tickets', { serviceId: 'household' });
    await api('/halls/demo/counters/c08/open', { staffId: 's08' });
    await api('/halls/demo/counters/c08/call-next');
    await api('/halls/demo/counters/c08/recall');
    await api('/halls/demo/counters/c08/start');
    await api('/halls/demo/counters/c08/transfer', { to: { serviceId: 'business-startup' }, note: '' });
    await api('/halls/demo/counters/c08/call-next');
    await api('/halls/demo/counters/c08/complete', { outcome: 'one-time-notice' });
    await api('/halls/demo/counters/c08/pause', { reason: '' });
    await api(`/tickets/${b.id as string}/cancel`);
    await socket.emitWithAck('ticket:move', { ticketId: a.id as string, to: { counterId: 'c09' } });
    await socket.emitWithAck('service:set-issuing', { serviceId: 'tax', open: false });
    await socket.emitWithAck('hall:post-notice', { text: '午间照常办理' });
    await socket.emitWithAck('counter:set-services', { counterId: 'c09', serviceIds: ['tax'] });
    // The demo hall calls by the balanced policy; the manager switches it (#10).
    await socket.emitWithAck('hall:set-routing', { policy: 'fifo', specialCareRun: 2 });
    expect(view.routing).toEqual({ policy: 'fifo', specialCareRun: 2 });
    const fresh = (await socket.emitWithAck('hall:sync')) as Result<StaffSnapshot>;
    if (!fresh.ok) throw new Error(fresh.error.message);
    expect(view.version).toBeGreaterThan(snapshot.version + 12);
    expect(normal(view)).toEqual(normal(fresh.data));
    socket.disconnect();
  });

  it('a wall hears each completion with the handling time the hall learnt (what its expected waits use)', async () => {
    const mgr = hub.tokenFor('mgr01');
    const { socket } = await connect<PublicSnapshot>(hub.url, '/display', { hallId: 'demo' });
    const completed: PublicEvent[] = [];
    socket.on('ticket:completed', (e: PublicEvent) => completed.push(e));
    const api = (path: string, body?: unknown) => http(`${hub.url}/api/v1${path}`, 'POST', body, mgr);
    await api('/halls/demo/tickets', { serviceId: 'vehicles' });
    await api('/halls/demo/counters/c11/open', { staffId: 's11' });
    await api('/halls/demo/counters/c11/call-next');
    await api('/halls/demo/counters/c11/start');
    await api('/halls/demo/counters/c11/complete', { outcome: 'accepted' });
    const fresh = (await socket.emitWithAck('hall:sync')) as Result<PublicSnapshot>;
    if (!fresh.ok) throw new Error(fresh.error.message);
    // The public event carries the service's estimate (the wall's reducer takes it, tests/apps), and
    // nothing of the staff member's own. (Window 11 may have called an earlier household ticket.)
    expect(completed).toHaveLength(1);
    const serviceId = (completed[0] as { serviceId: string }).serviceId;
    const learnt = fresh.data.services.find((x) => x.id === serviceId)!.handling;
    expect(learnt.samples).toBe(1);
    expect(completed[0]).toMatchObject({ handling: learnt });
    expect(completed[0]).not.toHaveProperty('staffHandling');
    socket.disconnect();
  });
});
