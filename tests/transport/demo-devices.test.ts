import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffSnapshot } from '@yichuang/protocol';
import { DEMO_CONFIG_PATH, loadInstallation } from '@yichuang/server';
import { http, startHub, type Hub } from '../support/hub.js';

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.close();
});

describe('the demo hall’s devices', () => {
  it('has a keypad, a window display and an evaluator per counter, and a dispenser with its printer and a speaker', async () => {
    const hall = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
    const demo = createHash('sha256').update('demo').digest('hex');
    for (const c of hall.counters)
      for (const kind of ['keypad', 'window-display', 'evaluator'] as const)
        expect(
          hall.devices.find((d) => d.id === `${kind}-${c.number}`),
          `${kind}-${c.number}`,
        ).toMatchObject({
          kind,
          counterId: c.id,
          mqttPasswordSha256: demo,
        });
    expect(hall.devices.find((d) => d.id === 'printer-1')).toMatchObject({
      kind: 'printer',
      pairedWith: 'dispenser-1',
    });
    expect(hall.devices.filter((d) => ['dispenser-1', 'speaker-1'].includes(d.id))).toHaveLength(2);
    // An MQTT password is never a REST or socket credential: only the gateway has both, and they differ.
    const both = hall.devices.filter((d) => d.mqttPasswordSha256 && d.tokenSha256);
    expect(both.map((d) => d.kind)).toEqual(['gateway']);
    expect(both[0]!.mqttPasswordSha256).not.toBe(both[0]!.tokenSha256);
  });

  it('lists a counter’s devices to its clerk for the pre-shift check, and takes no MQTT password as a token', async () => {
    const snap = await http(`${hub.url}/api/v1/halls/demo/snapshot`, 'GET', undefined, hub.tokenFor('s05'));
    const mine = (snap.body as StaffSnapshot).devices.filter((d) => d.counterId === 'c05').map((d) => d.id);
    expect(mine.sort()).toEqual(['evaluator-5', 'keypad-5', 'window-display-5']);
    const asDevice = await http(`${hub.url}/api/v1/halls/demo/counters/c05/open`, 'POST', {}, 'demo');
    expect(asDevice.status).toBe(401);
  });
});
