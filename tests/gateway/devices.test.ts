import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HallConfig } from '@yichuang/protocol';
import { deviceTopic } from '@yichuang/protocol';
import { DEMO_CONFIG_PATH, loadInstallation } from '@yichuang/server';
import { HallSimulator } from '@yichuang/edge-gateway';
import { hallNow, http, startHub, type Hub } from '../support/hub.js';
import { eventually, mosquittoPub, startGateway, testRoot, type RunningGateway } from '../support/gateway.js';

/** Device health as the hub keeps it, from simulated hardware (the `npm run devices` simulator). */
describe('device health and the simulators', () => {
  let hub: Hub;
  let gw: RunningGateway;
  let sim: HallSimulator;
  let hall: HallConfig;
  const root = testRoot();
  const health = async (id: string) => (await hallNow(hub)).devices.find((d) => d.id === id)?.health;

  beforeAll(async () => {
    hall = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
    hub = await startHub();
    gw = await startGateway({ hubUrl: hub.url, hall, root, silenceMs: 2000 });
    sim = new HallSimulator(hall, {
      url: `mqtt://127.0.0.1:${gw.mqttPort}`,
      root,
      heartbeatMs: 500,
      only: (id) =>
        ['dispenser-1', 'printer-1', 'keypad-5', 'window-display-5', 'evaluator-5', 'speaker-1'].includes(id),
    });
    await sim.start();
  });
  afterAll(async () => {
    await sim?.stop();
    await gw?.close();
    await hub?.close();
  });

  it('shows each device online once it is heard from, with the faults it reports', async () => {
    for (const id of sim.devices.keys())
      await eventually(async () => expect(await health(id)).toMatchObject({ online: true }));
    const printer = sim.device('printer-1');
    printer.faults = ['paper-out'];
    await printer.status(true);
    await eventually(async () =>
      expect(await health('printer-1')).toMatchObject({ online: true, faults: ['paper-out'] }),
    );
    // Heartbeats (every 500 ms here) say "still here", not "no faults": the fault stays.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await health('printer-1')).toMatchObject({ online: true, faults: ['paper-out'] });
    printer.faults = [];
    await printer.status(true);
    await eventually(async () => expect(await health('printer-1')).toMatchObject({ faults: [] }));
  });

  it('marks a device offline when it drops off (its last will) or falls silent', async () => {
    sim.device('evaluator-5').crash();
    await eventually(async () => expect(await health('evaluator-5')).toMatchObject({ online: false }));
    // keypad-9 says one heartbeat and nothing more.
    await mosquittoPub(
      gw.mqttPort,
      deviceTopic('demo', 'keypad', 'keypad-9', 'heartbeat', root),
      { at: Date.now() },
      { user: 'keypad-9', password: 'demo' },
      0,
    );
    await eventually(async () => expect(await health('keypad-9')).toMatchObject({ online: true }));
    await eventually(async () => expect(await health('keypad-9')).toMatchObject({ online: false }), 10_000);
    // Still-heartbeating devices stay online.
    expect(await health('keypad-5')).toMatchObject({ online: true });
  });

  it('drives a counter from the simulated keypad and shows it on the simulated window display', async () => {
    const c = hall.counters.find((x) => x.number === 5)!;
    await http(`${hub.url}/api/v1/halls/demo/counters/${c.id}/open`, 'POST', {}, hub.tokenFor('s05'));
    const service = c.serviceIds[0]!;
    const slip = sim.next('printer-1', 'print');
    await sim.press(service);
    const printed = (await slip).payload as { ticket: { number: string } };
    const shown = sim.next('window-display-5', 'show');
    await sim.key(5, 'call-next');
    expect((await shown).payload).toMatchObject({ state: 'calling', number: printed.ticket.number });
  });
});

describe('npm run devices', () => {
  it('is driven from the terminal: a press prints a slip', async () => {
    const hall = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
    const hub = await startHub();
    const root = testRoot();
    const gw = await startGateway({ hubUrl: hub.url, hall, root });
    try {
      const script = fileURLToPath(new URL('../../scripts/devices.ts', import.meta.url));
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          script,
          '--hall',
          'demo',
          '--mqtt',
          `mqtt://127.0.0.1:${gw.mqttPort}`,
          '--root',
          root,
        ],
        {
          stdio: ['pipe', 'pipe', 'inherit'],
        },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
      await eventually(() => expect(out).toContain('devices online'), 20_000);
      child.stdin.write('press tax\n');
      await eventually(() => expect(out).toMatch(/🖨 {2}printer-1\n[\s\S]*G001[\s\S]*税务办理/), 10_000);
      child.stdin.write('quit\n');
      await new Promise((r) => child.once('exit', r));
    } finally {
      await gw.close();
      await hub.close();
    }
  }, 60_000);
});
