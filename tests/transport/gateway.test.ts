import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { CommandReply, Result, StaffSnapshot } from '@yichuang/protocol';
import { connect, http, nextEvent, startHub, type Hub } from '../support/hub.js';

let hub: Hub;
let gw: Socket;
let snapshot: StaffSnapshot;
beforeAll(async () => {
  hub = await startHub();
  ({ socket: gw, snapshot } = await connect<StaffSnapshot>(hub.url, '/gateway', {
    hallId: 'demo',
    token: 'demo-gateway-token',
  }));
});
afterAll(async () => {
  gw.disconnect();
  await hub.close();
});

const send = (message: unknown) =>
  gw.timeout(5000).emitWithAck('gateway:command', message) as Promise<Result<CommandReply>>;

describe('the /gateway namespace', () => {
  it('takes only a gateway’s token', async () => {
    expect(snapshot.devices.some((d) => d.id === 'keypad-5')).toBe(true);
    for (const token of ['demo-kiosk-token', 'demo', hub.tokenFor('mgr01')])
      await expect(connect(hub.url, '/gateway', { hallId: 'demo', token })).rejects.toMatchObject({
        data: { code: 'unauthenticated' },
      });
  });

  it('issues a ticket for a dispenser press once, however often the press is retried', async () => {
    const press = {
      deviceId: 'dispenser-1',
      type: 'ticket:issue',
      payload: { serviceId: 'tax', channel: 'kiosk' },
      key: 'mqtt:dispenser-1:press-0001',
    };
    const first = await send(press);
    const again = await send(press);
    expect(first.ok && first.data.ticket?.number).toMatch(/^G\d{3}$/);
    expect(again).toMatchObject({ ok: true, data: { replayed: true } });
    expect(again.ok && again.data.ticket?.id).toBe(first.ok && first.data.ticket?.id);
  });

  it('acts for a keypad at its own counter only, and hears the events it must show', async () => {
    await http(`${hub.url}/api/v1/halls/demo/counters/c08/open`, 'POST', {}, hub.tokenFor('s08'));
    const called = nextEvent(gw, 'ticket:called');
    const r = await send({
      deviceId: 'keypad-8',
      type: 'counter:call-next',
      payload: { counterId: 'c08' },
      key: 'mqtt:keypad-8:k-0001',
    });
    expect(r.ok).toBe(true);
    expect(await called).toMatchObject({ counterId: 'c08', after: { counter: { state: 'calling' } } });
    const elsewhere = await send({
      deviceId: 'keypad-8',
      type: 'counter:close',
      payload: { counterId: 'c05' },
      key: 'mqtt:keypad-8:k-0002',
    });
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
  });

  it('refuses unknown devices, unknown commands and malformed messages with a reason', async () => {
    expect(
      await send({ deviceId: 'keypad-99', type: 'counter:call-next', payload: {}, key: 'k-00000001' }),
    ).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    expect(
      await send({
        deviceId: 'gateway-1',
        type: 'ticket:issue',
        payload: { serviceId: 'tax' },
        key: 'k-00000002',
      }),
    ).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    expect(
      await send({ deviceId: 'keypad-8', type: 'toString', payload: {}, key: 'k-00000003' }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(
      await send({ deviceId: 'keypad-8', type: 'counter:call-next', payload: {}, key: 'k' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(await send('nonsense')).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
  });

  it('tells public screens only that the version moved when a device’s health changes (their feed stays gapless)', async () => {
    const { socket: wall, snapshot: pub } = await connect<{ version: number }>(hub.url, '/display', {
      hallId: 'demo',
    });
    const heard: string[] = [];
    wall.onAny((name: string) => heard.push(name));
    const tick = nextEvent<{ version: number }>(wall, 'hall:version');
    const staffSees = nextEvent<{ deviceId: string; online: boolean }>(gw, 'device:health-changed');
    const r = await send({
      deviceId: 'gateway-1',
      type: 'device:report',
      payload: { deviceId: 'printer-1', online: true, faults: ['paper-out'] },
      key: 'health:printer-1:0001',
    });
    expect(r.ok).toBe(true);
    expect(await staffSees).toMatchObject({ deviceId: 'printer-1', online: true });
    expect((await tick).version).toBeGreaterThan(pub.version);
    expect(heard).not.toContain('device:health-changed');
    wall.disconnect();
  });
});
