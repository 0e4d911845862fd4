import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result, StaffEvent, StaffSnapshot } from '@yichuang/protocol';
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
});

describe('a staff view kept by the records each event carries', () => {
  it('ends equal to a fresh snapshot after every kind of change', async () => {
    const mgr = hub.tokenFor('mgr01', ['manager', 'staff']);
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
    const fresh = (await socket.emitWithAck('hall:sync')) as Result<StaffSnapshot>;
    if (!fresh.ok) throw new Error(fresh.error.message);
    expect(view.version).toBeGreaterThan(snapshot.version + 12);
    expect(normal(view)).toEqual(normal(fresh.data));
    socket.disconnect();
  });
});
