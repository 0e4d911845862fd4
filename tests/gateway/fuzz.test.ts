import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import mqtt, { type MqttClient } from 'mqtt';
import type { HallConfig, MqttDeviceKind } from '@yichuang/protocol';
import { DEVICE_CHANNELS, deviceTopic } from '@yichuang/protocol';
import { DEMO_CONFIG_PATH, loadInstallation } from '@yichuang/server';
import { hallNow, http, startHub, type Hub } from '../support/hub.js';
import { eventually, mosquittoSub, startGateway, testRoot, type RunningGateway } from '../support/gateway.js';

/**
 * #12: hostile payloads on every device-to-hub MQTT channel, each sent as the device that owns it
 * (what a tampered or broken device can do): the gateway drops what is not valid, stays connected to
 * the hub and the broker, and the hall goes on (a real press still prints its ticket).
 */
let hub: Hub;
let gw: RunningGateway;
let hall: HallConfig;
const root = testRoot();
const clients = new Map<string, MqttClient>();

beforeAll(async () => {
  hall = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
  hub = await startHub();
  gw = await startGateway({ hubUrl: hub.url, hall, root });
  await eventually(() => expect(gw.gateway.hubConnected).toBe(true));
});
afterAll(async () => {
  for (const c of clients.values()) c.end(true);
  await gw?.close();
  await hub?.close();
});

/** One device of each kind, with the channels it may publish. */
const senders = () =>
  Object.entries(DEVICE_CHANNELS)
    .filter(([, c]) => c.direction === 'device-to-hub')
    .flatMap(([name]) => {
      const [kind, leaf] = name.includes('/') ? name.split('/') : [null, name];
      const devices = hall.devices.filter(
        (d) =>
          d.mqttPasswordSha256 !== undefined &&
          (kind ? d.kind === kind : d.kind !== 'gateway' && d.kind !== 'display'),
      );
      return devices.slice(0, 1).map((d) => ({ device: d.id, kind: d.kind as MqttDeviceKind, leaf: leaf }));
    });

async function clientFor(id: string): Promise<MqttClient> {
  let c = clients.get(id);
  if (!c) {
    c = await mqtt.connectAsync(`mqtt://127.0.0.1:${gw.mqttPort}`, {
      username: id,
      password: 'demo',
      reconnectPeriod: 0,
    });
    clients.set(id, c);
  }
  return c;
}

const hostileJson = fc.oneof(
  fc.jsonValue({ maxDepth: 8 }),
  fc.dictionary(
    fc.constantFrom('__proto__', 'constructor', 'pressId', 'serviceId', 'key', 'at', 'online'),
    fc.jsonValue({ maxDepth: 3 }),
  ),
);
const payload = fc.oneof(
  hostileJson.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc
    .string({ minLength: 10_000, maxLength: 60_000 })
    .map((s) => Buffer.from(JSON.stringify({ pressId: s, serviceId: s, at: 1 }))),
);

describe('MQTT fuzz (#12)', () => {
  it('drops what is not valid on every channel, and the hall goes on', async () => {
    const list = senders();
    expect(list.length).toBeGreaterThanOrEqual(5);
    const before = (await hallNow(hub)).tickets.length;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...list), payload, async (s, body) => {
        const c = await clientFor(s.device);
        await c.publishAsync(deviceTopic('demo', s.kind, s.device, s.leaf, root), body, { qos: 1 });
      }),
      { numRuns: 200 },
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(gw.gateway.hubConnected).toBe(true);
    expect((await http(`${hub.url}/healthz`, 'GET')).status).toBe(200);
    expect((await hallNow(hub)).tickets.length).toBe(before);
    // A real press after all that: issued and printed.
    const printed = mosquittoSub(
      gw.mqttPort,
      deviceTopic('demo', 'printer', 'printer-1', 'print', root),
      { user: 'printer-1', password: 'demo' },
      1,
    );
    await printed.ready;
    const press = await clientFor('dispenser-1');
    await press.publishAsync(
      deviceTopic('demo', 'dispenser', 'dispenser-1', 'press', root),
      JSON.stringify({ pressId: 'press-fuzz-0001', serviceId: 'tax', at: Date.now() }),
      { qos: 1 },
    );
    expect(((await printed.messages)[0]!.payload as { ticket: { number: string } }).ticket.number).toMatch(
      /^G\d{3}$/,
    );
  }, 120_000);
});
