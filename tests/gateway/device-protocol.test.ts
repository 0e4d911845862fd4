import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEVICE_CHANNELS, deviceTopic, parseDevicePayload, parseDeviceTopic } from '@yichuang/protocol';
import { channelTable } from '../../scripts/devices-doc.js';

describe('the device protocol', () => {
  it('takes its topics apart, and only its own', () => {
    expect(parseDeviceTopic(deviceTopic('demo', 'keypad', 'keypad-5', 'key'))).toEqual({
      hallId: 'demo',
      kind: 'keypad',
      deviceId: 'keypad-5',
      channel: 'keypad/key',
    });
    expect(parseDeviceTopic('yichuang/v1/demo/printer/printer-1/status')).toMatchObject({
      channel: 'status',
    });
    for (const bad of [
      'yichuang/v1/demo/keypad/keypad-5/press', // a keypad has no press channel
      'yichuang/v1/demo/toaster/t-1/status', // no such kind
      'yichuang/v2/demo/keypad/keypad-5/key',
      'yichuang/v1/demo/keypad/keypad-5/key/extra',
      'yichuang/v1/de mo/keypad/k/key',
      'yichuang/v1/demo/keypad/__proto__/constructor',
      'yichuang/v1/demo/dispenser/d-1/toString',
    ])
      expect(parseDeviceTopic(bad), bad).toBeNull();
  });

  it('refuses malformed payloads with the reason, and a press without its press id', () => {
    const ok = parseDevicePayload('dispenser/press', { pressId: 'p-20261128-0001', serviceId: 'tax', at: 1 });
    expect(ok.success).toBe(true);
    for (const bad of [
      { serviceId: 'tax', at: 1 },
      { pressId: 'short', serviceId: 'tax', at: 1 },
      { pressId: 'p-20261128-0001', serviceId: 'tax', at: 1, extra: true },
      { pressId: 'p-20261128-0001', serviceId: '__proto__ x', at: 1 },
      JSON.parse(
        '{"__proto__": {"polluted": true}, "pressId": "p-20261128-0001", "serviceId": "tax", "at": 1}',
      ),
    ])
      expect(parseDevicePayload('dispenser/press', bad).success, JSON.stringify(bad)).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(
      parseDevicePayload('evaluator/rating', { pressId: 'r-000000001', ticketId: 't1', level: 6, at: 1 })
        .success,
    ).toBe(false);
  });

  it('delivers presses, keys and ratings at QoS 2, and keeps device state retained', () => {
    for (const c of ['dispenser/press', 'keypad/key', 'evaluator/rating', 'id-reader/read'] as const)
      expect(DEVICE_CHANNELS[c].qos).toBe(2);
    for (const c of ['window-display/show', 'status'] as const) expect(DEVICE_CHANNELS[c].retain).toBe(true);
  });

  it('is documented for vendors exactly as the table says (npm run docs:devices)', async () => {
    const doc = await readFile(new URL('../../docs/devices.md', import.meta.url), 'utf8');
    expect(doc).toContain(channelTable());
  });
});

describe('opening hours (a device lost while the hall is open is an alert)', () => {
  it('reads the hall’s hours in its own time zone', async () => {
    const { isOpenAt } = await import('@yichuang/protocol');
    const hours = {
      fri: [
        { open: '09:00', close: '12:00' },
        { open: '13:30', close: '17:00' },
      ],
    };
    const shanghai = (h: number, m = 0) => Date.UTC(2026, 10, 27, h - 8, m); // Friday 27 November 2026
    expect(isOpenAt(hours, 'Asia/Shanghai', shanghai(9))).toBe(true);
    expect(isOpenAt(hours, 'Asia/Shanghai', shanghai(8, 59))).toBe(false);
    expect(isOpenAt(hours, 'Asia/Shanghai', shanghai(12, 30))).toBe(false);
    expect(isOpenAt(hours, 'Asia/Shanghai', shanghai(16, 59))).toBe(true);
    expect(isOpenAt(hours, 'Asia/Shanghai', shanghai(17))).toBe(false);
    expect(isOpenAt(hours, 'Asia/Shanghai', shanghai(10) + 86_400_000)).toBe(false); // Saturday
  });
});
