import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicSnapshot, Result } from '@yichuang/protocol';
import { VersionedFeed } from '@yichuang/protocol';
import { connect, http, startHub, type Hub } from '../support/hub.js';

describe('VersionedFeed', () => {
  it('applies the next version, drops duplicates, and asks for one snapshot on a gap', () => {
    let syncs = 0;
    const feed = new VersionedFeed(() => syncs++);
    expect(feed.event(1)).toBe('duplicate'); // nothing to apply to before a snapshot
    feed.snapshot(5);
    expect([feed.event(5), feed.event(6), feed.event(7), feed.event(3)]).toEqual([
      'duplicate',
      'apply',
      'apply',
      'duplicate',
    ]);
    expect(feed.event(9)).toBe('gap');
    expect(feed.event(10)).toBe('duplicate'); // waiting for the snapshot
    expect(syncs).toBe(1);
    feed.snapshot(10);
    expect(feed.event(11)).toBe('apply');
    expect(feed.current).toBe(11);
  });
});

describe('a client that misses an event resyncs from the hub', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(async () => {
    await hub.close();
  });

  it('gets a snapshot at the hub’s version after a gap', async () => {
    const { socket, snapshot } = await connect<PublicSnapshot>(hub.url, '/display', { hallId: 'demo' });
    const synced: number[] = [];
    const feed = new VersionedFeed(() => {
      void (socket.emitWithAck('hall:sync') as Promise<Result<PublicSnapshot>>).then((r) => {
        if (r.ok) {
          feed.snapshot(r.data.version);
          synced.push(r.data.version);
        }
      });
    });
    feed.snapshot(snapshot.version);
    let dropped = false;
    const steps: string[] = [];
    socket.on('ticket:issued', (e: { version: number }) => {
      // The network loses the first event; the second shows the gap.
      if (!dropped) {
        dropped = true;
        return;
      }
      steps.push(feed.event(e.version));
    });
    await http(`${hub.url}/api/v1/halls/demo/tickets`, 'POST', { serviceId: 'tax' });
    await http(`${hub.url}/api/v1/halls/demo/tickets`, 'POST', { serviceId: 'tax' });
    for (let i = 0; i < 100 && synced.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(steps).toEqual(['gap']);
    expect(synced).toEqual([snapshot.version + 2]);
    socket.disconnect();
  });
});
