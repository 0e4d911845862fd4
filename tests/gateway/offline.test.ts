import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import type { HallConfig, Ticket } from '@yichuang/protocol';
import { deviceTopic } from '@yichuang/protocol';
import { DEMO_CONFIG_PATH, loadInstallation } from '@yichuang/server';
import { hallNow, http, startHub, type Hub } from '../support/hub.js';
import { eventually, startGateway, testRoot, type RunningGateway } from '../support/gateway.js';
import { TcpProxy } from '../support/tcp-proxy.js';

/**
 * The gateway cut from the hub: presses keep printing tickets from the block the hub reserved,
 * keys wait on disk; on reconnect every press is exactly one ticket, no number twice, and every
 * key acts once, in order. The network between them is a proxy the test cuts.
 */
describe('the gateway without the hub', () => {
  let hub: Hub;
  let proxy: TcpProxy;
  let gw: RunningGateway;
  let hall: HallConfig;
  const root = testRoot();
  const clients: MqttClient[] = [];
  const printed: Array<{ number: string; offline: boolean; pressId: string }> = [];
  const snapshot = () => hallNow(hub);

  async function device(id: string): Promise<MqttClient> {
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${gw.mqttPort}`, { username: id, password: 'demo' });
    clients.push(c);
    return c;
  }
  const send = (
    c: MqttClient,
    kind: Parameters<typeof deviceTopic>[1],
    id: string,
    channel: string,
    body: object,
  ) =>
    c.publishAsync(
      deviceTopic('demo', kind, id, channel, root),
      JSON.stringify({ ...body, at: Date.now() }),
      {
        qos: 2,
      },
    );

  beforeAll(async () => {
    hall = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
    hub = await startHub();
    proxy = await TcpProxy.start(hub.url);
    gw = await startGateway({ hubUrl: proxy.url, hall, root });
    await eventually(() => expect(gw.gateway.numbersLeft().tax).toBe(20));
    const printer = await device('printer-1');
    await printer.subscribeAsync(deviceTopic('demo', 'printer', 'printer-1', 'print', root), { qos: 2 });
    printer.on('message', (_t, payload) => {
      const p = JSON.parse(payload.toString()) as {
        pressId: string;
        offline: boolean;
        ticket: { number: string };
      };
      printed.push({ number: p.ticket.number, offline: p.offline, pressId: p.pressId });
    });
  });
  afterAll(async () => {
    for (const c of clients) await c.endAsync();
    await gw?.close();
    await proxy?.cut();
    await hub?.close();
  });

  it('keeps the hall going and reconciles exactly once, in order, when the hub is back', async () => {
    const c = hall.counters.find((x) => x.serviceIds.includes('tax'))!;
    const staffId = 's' + String(c.number).padStart(2, '0');
    expect(
      (await http(`${hub.url}/api/v1/halls/demo/counters/${c.id}/open`, 'POST', {}, hub.tokenFor(staffId)))
        .status,
    ).toBe(200);
    const dispenser = await device('dispenser-1');
    const keypad = await device(`keypad-${c.number}`);

    // Online: a normal number.
    await send(dispenser, 'dispenser', 'dispenser-1', 'press', { pressId: 'online-0001', serviceId: 'tax' });
    await eventually(() => expect(printed.map((p) => p.number)).toEqual(['G001']));

    await proxy.cut();
    await eventually(() => expect(gw.gateway.hubConnected).toBe(false));
    // The console sees the gateway offline while it is.
    await eventually(async () =>
      expect((await snapshot()).devices.find((d) => d.id === 'gateway-1')?.health).toMatchObject({
        online: false,
      }),
    );

    for (let i = 1; i <= 5; i++)
      await send(dispenser, 'dispenser', 'dispenser-1', 'press', {
        pressId: `offline-000${i}`,
        serviceId: 'tax',
      });
    // A device retrying a press it already sent: still one slip, one ticket.
    await send(dispenser, 'dispenser', 'dispenser-1', 'press', { pressId: 'offline-0003', serviceId: 'tax' });
    const keys = [
      { pressId: 'k-offline-01', key: 'call-next' },
      { pressId: 'k-offline-02', key: 'complete', outcome: 'accepted' },
      { pressId: 'k-offline-03', key: 'call-next' },
      { pressId: 'k-offline-04', key: 'no-show' },
      { pressId: 'k-offline-05', key: 'call-next' },
    ];
    for (const k of keys) await send(keypad, 'keypad', `keypad-${c.number}`, 'key', k);
    await send(keypad, 'keypad', `keypad-${c.number}`, 'key', keys[1]!); // a retried key

    await eventually(() => expect(printed).toHaveLength(6));
    const offline = printed.slice(1);
    expect(offline.every((p) => p.offline)).toBe(true);
    expect(new Set(offline.map((p) => p.number)).size).toBe(5);
    expect(gw.gateway.pending).toBe(10);
    // Nothing reached the hub meanwhile.
    expect((await snapshot()).tickets.filter((t) => t.serviceId === 'tax')).toHaveLength(1);

    await proxy.restore();
    await eventually(() => expect(gw.gateway.pending).toBe(0), 20_000);

    const s = await snapshot();
    const tax = s.tickets.filter((t) => t.serviceId === 'tax');
    expect(tax.map((t) => t.number).sort()).toEqual(['G001', ...offline.map((p) => p.number)].sort());
    const offTickets = tax.filter((t) => t.offline).sort((a, b) => a.issuedAt - b.issuedAt);
    expect(offTickets.map((t) => t.number)).toEqual(offline.map((p) => p.number));
    // Keys in order, once each: G001 (issued first) completed, the first offline ticket a no-show,
    // the second called; the rest wait.
    const byNumber = (n: string) => tax.find((t) => t.number === n)!;
    expect(byNumber('G001')).toMatchObject<Partial<Ticket>>({ status: 'completed', outcome: 'accepted' });
    expect(byNumber(offline[0]!.number).status).toBe('no-show');
    expect(byNumber(offline[1]!.number).status).toBe('called');
    expect(offline.slice(2).map((p) => byNumber(p.number).status)).toEqual(['waiting', 'waiting', 'waiting']);
    expect(s.devices.find((d) => d.id === 'gateway-1')?.health).toMatchObject({ online: true });

    // Back online, numbers go on from the day's sequence, never into the reserved block.
    await send(dispenser, 'dispenser', 'dispenser-1', 'press', { pressId: 'online-0002', serviceId: 'tax' });
    await eventually(() => expect(printed.at(-1)).toMatchObject({ number: 'G002', offline: false }));
  });
});
