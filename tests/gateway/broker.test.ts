import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { HallConfig } from '@yichuang/protocol';
import { deviceTopic } from '@yichuang/protocol';
import { DEMO_CONFIG_PATH, loadInstallation } from '@yichuang/server';
import { authenticateDevice } from '@yichuang/edge-gateway';
import { hallNow, http, startHub, type Hub } from '../support/hub.js';
import {
  eventually,
  mosquittoPub,
  mosquittoSub,
  startGateway,
  testRoot,
  type RunningGateway,
} from '../support/gateway.js';
import { OwnMosquitto } from '../support/own-mosquitto.js';

const hall: HallConfig = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;

/** Both brokers the gateway runs with: its embedded aedes, and Mosquitto with the generated files. */
const BROKERS = ['embedded aedes', 'Mosquitto with the generated dynamic-security file'] as const;

describe.each(BROKERS)('who may use the broker (%s)', (kind) => {
  let hub: Hub;
  let gw: RunningGateway;
  let own: OwnMosquitto | null = null;
  const root = testRoot();
  const topic = (k: Parameters<typeof deviceTopic>[1], id: string, ch: string) =>
    deviceTopic('demo', k, id, ch, root);
  const taxTickets = async () => (await hallNow(hub)).tickets.filter((t) => t.serviceId === 'tax');

  beforeAll(async () => {
    hub = await startHub();
    if (kind !== 'embedded aedes') own = await OwnMosquitto.start(hall, root);
    gw = await startGateway({ hubUrl: hub.url, hall, root, ...(own ? { mqttPort: own.port } : {}) });
    await eventually(() => expect(gw.gateway.numbersLeft().tax).toBe(20));
  });
  afterAll(async () => {
    await gw?.close();
    await own?.close();
    await hub?.close();
  });

  it('refuses a device with a wrong password, an unknown name, or none', async () => {
    const press = { pressId: 'press-bad-0001', serviceId: 'tax', at: Date.now() };
    const t = topic('dispenser', 'dispenser-1', 'press');
    for (const cred of [
      { user: 'dispenser-1', password: 'wrong' },
      { user: 'dispenser-9', password: 'demo' },
      {},
    ]) {
      const r = await mosquittoPub(gw.mqttPort, t, press, cred);
      expect(r.code, JSON.stringify(cred)).not.toBe(0);
      expect(r.stderr).toMatch(/not authori[sz]ed|bad user name or password|refused/i);
    }
    expect(await taxTickets()).toEqual([]);
  });

  it('keeps a device to its own topics: another device’s publish and subscription are refused', async () => {
    // keypad-1 pretends to be the dispenser, and listens to the printer.
    const spy = mosquittoSub(
      gw.mqttPort,
      topic('printer', 'printer-1', 'print'),
      { user: 'keypad-1', password: 'demo' },
      1,
      3,
    );
    await spy.ready;
    await mosquittoPub(
      gw.mqttPort,
      topic('dispenser', 'dispenser-1', 'press'),
      { pressId: 'press-spoof-01', serviceId: 'tax', at: Date.now() },
      { user: 'keypad-1', password: 'demo' },
    );
    // The real dispenser presses once, and its ticket is the only one.
    const printed = mosquittoSub(
      gw.mqttPort,
      topic('printer', 'printer-1', 'print'),
      { user: 'printer-1', password: 'demo' },
      1,
    );
    await printed.ready;
    await mosquittoPub(
      gw.mqttPort,
      topic('dispenser', 'dispenser-1', 'press'),
      { pressId: 'press-real-001', serviceId: 'tax', at: Date.now() },
      { user: 'dispenser-1', password: 'demo' },
    );
    expect(((await printed.messages)[0]!.payload as { ticket: { number: string } }).ticket.number).toBe(
      'G001',
    );
    expect(await spy.messages).toEqual([]);
    expect((await taxTickets()).map((t) => t.number)).toEqual(['G001']);
  });

  it('closes a switched-off device’s connection within a second and refuses it until it is on again (R8)', async () => {
    const device = (action: string) =>
      http(`${hub.url}/api/v1/halls/demo/devices/keypad-3/${action}`, 'POST', {}, hub.tokenFor('mgr01'));
    const keypad = { username: 'keypad-3', password: 'demo', reconnectPeriod: 0 };
    const live = await mqtt.connectAsync(`mqtt://127.0.0.1:${gw.mqttPort}`, keypad);
    const closed = new Promise<number>((r) => {
      const started = performance.now();
      live.once('close', () => r(performance.now() - started));
    });
    expect((await device('deactivate')).status).toBe(200);
    expect(await closed).toBeLessThan(1000);
    await expect(mqtt.connectAsync(`mqtt://127.0.0.1:${gw.mqttPort}`, keypad)).rejects.toThrow();
    // Switched on again, it connects again.
    expect((await device('reactivate')).status).toBe(200);
    await eventually(async () => {
      const back = await mqtt.connectAsync(`mqtt://127.0.0.1:${gw.mqttPort}`, keypad);
      await back.endAsync();
    });
  });
});

describe('the embedded broker’s credentials', () => {
  it('refuses the demo password in production, and takes a device’s own password only for itself', () => {
    const demo = Buffer.from('demo');
    expect(authenticateDevice(hall, 'keypad-1', demo, { production: false })).not.toBeNull();
    expect(authenticateDevice(hall, 'keypad-1', demo, { production: true })).toBeNull();
    expect(authenticateDevice(hall, 'keypad-1', Buffer.from('Demo'), { production: false })).toBeNull();
    expect(authenticateDevice(hall, 'wall-1', demo, { production: false })).toBeNull();
    expect(authenticateDevice(hall, '__proto__', demo, { production: false })).toBeNull();
  });
});

describe('a broker restart while devices press', () => {
  let hub: Hub;
  let gw: RunningGateway;
  let own: OwnMosquitto;
  const root = testRoot();

  beforeAll(async () => {
    hub = await startHub();
    own = await OwnMosquitto.start(hall, root);
    gw = await startGateway({ hubUrl: hub.url, hall, root, mqttPort: own.port });
    await eventually(() => expect(gw.gateway.numbersLeft().tax).toBe(20));
  });
  afterAll(async () => {
    await gw?.close();
    await own?.close();
    await hub?.close();
  });

  it('loses nothing a device was told was received', async () => {
    const dispenser = await mqtt.connectAsync(`mqtt://127.0.0.1:${own.port}`, {
      username: 'dispenser-1',
      password: 'demo',
      clientId: 'dispenser-1-test',
      clean: false,
      reconnectPeriod: 200,
    });
    const t = deviceTopic('demo', 'dispenser', 'dispenser-1', 'press', root);
    const acknowledged = new Set<string>();
    const presses: Array<Promise<void>> = [];
    for (let i = 0; i < 60; i++) {
      const pressId = `restart-${String(i).padStart(4, '0')}`;
      presses.push(
        dispenser
          .publishAsync(t, JSON.stringify({ pressId, serviceId: 'tax', at: Date.now() }), { qos: 2 })
          .then(() => void acknowledged.add(pressId)),
      );
      await new Promise((r) => setTimeout(r, 40));
      if (i === 20) await own.down();
      if (i === 35) await own.up();
    }
    await Promise.all(presses);
    expect(acknowledged.size).toBe(60);
    const tax = async () => (await hallNow(hub)).tickets.filter((x) => x.serviceId === 'tax');
    await eventually(async () => expect((await tax()).length).toBe(60), 20_000);
    const numbers = (await tax()).map((x) => x.number);
    expect(new Set(numbers).size).toBe(60);
    await dispenser.endAsync();
  });
});

describe('the embedded broker’s port', () => {
  it('takes the next free port when its own is taken and it may (npm start on a machine with a broker)', async () => {
    const { createServer } = await import('node:net');
    const { pino } = await import('pino');
    const { startBroker } = await import('@yichuang/edge-gateway');
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    const logger = pino({ level: 'silent' });
    try {
      await expect(
        startBroker({ hall, port, host: '127.0.0.1', production: false, logger }),
      ).rejects.toMatchObject({ code: 'EADDRINUSE' });
      const b = await startBroker({
        hall,
        port,
        host: '127.0.0.1',
        fallback: true,
        production: false,
        logger,
      });
      expect(b.port).toBeGreaterThan(port);
      const r = await mosquittoPub(
        b.port,
        'yichuang/v1/demo/keypad/keypad-1/heartbeat',
        { at: Date.now() },
        {
          user: 'keypad-1',
          password: 'demo',
        },
      );
      expect(r.code).toBe(0);
      await b.close();
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});
