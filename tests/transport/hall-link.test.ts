import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicEvent, PublicSnapshot, StaffSnapshot, VersionedEvent } from '@yichuang/protocol';
import { connectHall, type LinkState } from '@yichuang/protocol/client';
import { http, startHub, type Hub } from '../support/hub.js';

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.close();
});

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the apps’ hall link against the real hub', () => {
  it('gets a snapshot, then events in version order, and reports the link', async () => {
    const states: LinkState[] = [];
    let snap: PublicSnapshot | null = null;
    const events: PublicEvent[] = [];
    const link = connectHall<PublicSnapshot, PublicEvent>({
      url: hub.url,
      namespace: '/display',
      auth: { hallId: 'demo' },
      onSnapshot: (s) => (snap = s),
      onEvent: (e) => events.push(e),
      onLink: (s) => states.push(s),
    });
    await until(() => snap !== null);
    await http(`${hub.url}/api/v1/halls/demo/tickets`, 'POST', { serviceId: 'tax' });
    await until(() => events.length === 1);
    expect(events[0]).toMatchObject({ type: 'ticket:issued', version: snap!.version + 1 });
    expect(states.slice(0, 2)).toEqual(['connecting', 'online']);
    link.close();
  });

  it('answers a command sent while offline with unavailable at once, and does nothing', async () => {
    let snap: StaffSnapshot | null = null;
    const link = connectHall<StaffSnapshot, VersionedEvent>({
      url: hub.url,
      namespace: '/counter',
      auth: { hallId: 'demo', token: hub.tokenFor('s02') },
      onSnapshot: (s) => (snap = s),
      onEvent: () => {},
      onLink: () => {},
    });
    await until(() => snap !== null);
    const before = snap!.version;
    expect(await link.send('counter:open', { counterId: 'c02' })).toMatchObject({ ok: true });
    link.socket.disconnect();
    const started = Date.now();
    const r = await link.send('counter:close', { counterId: 'c02' });
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(Date.now() - started).toBeLessThan(100);
    const after = await http(`${hub.url}/api/v1/halls/demo/public`, 'GET');
    expect(after.body.version).toBe(before + 1); // the open, not the close
    expect(after.body.counters.find((c: { id: string }) => c.id === 'c02').state).toBe('open');
  });
});
