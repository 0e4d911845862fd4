import { describe, expect, it } from 'vitest';
import { deviceTopic } from '@yichuang/protocol';
import { fromDevice, type GatewayHall } from '../../edge-gateway/src/inbound.js';

const hall: GatewayHall = {
  id: 'demo',
  devices: [
    { id: 'dispenser-1', kind: 'dispenser' },
    { id: 'printer-1', kind: 'printer' },
    { id: 'keypad-5', kind: 'keypad', counterId: 'c05' },
    { id: 'evaluator-5', kind: 'evaluator', counterId: 'c05' },
    { id: 'id-reader-1', kind: 'id-reader', pairedWith: 'dispenser-1' },
    { id: 'id-reader-2', kind: 'id-reader' },
  ],
};
const json = (v: unknown) => JSON.stringify(v);

describe('device messages to hub commands', () => {
  it('turns a press into a ticket with the press id as its idempotency key', () => {
    const topic = deviceTopic('demo', 'dispenser', 'dispenser-1', 'press');
    const r = fromDevice(topic, json({ pressId: 'press-00000042', serviceId: 'tax', at: 1 }), hall);
    expect(r).toEqual({
      kind: 'command',
      deviceId: 'dispenser-1',
      command: { type: 'ticket:issue', serviceId: 'tax', priority: 'normal', channel: 'kiosk' },
      key: 'mqtt:dispenser-1:press-00000042',
    });
  });

  it('turns keypad keys into commands for the keypad’s own counter; complete carries its outcome (R18)', () => {
    const topic = deviceTopic('demo', 'keypad', 'keypad-5', 'key');
    const key = (k: Record<string, unknown>) =>
      fromDevice(topic, json({ pressId: 'key-000000001', at: 1, ...k }), hall);
    expect(key({ key: 'call-next' })).toMatchObject({
      kind: 'command',
      command: { type: 'counter:call-next', counterId: 'c05' },
    });
    expect(key({ key: 'complete', outcome: 'one-time-notice' })).toMatchObject({
      command: { type: 'counter:complete', counterId: 'c05', outcome: 'one-time-notice' },
    });
    expect(key({ key: 'complete' })).toMatchObject({
      kind: 'dropped',
      reason: expect.stringMatching(/outcome/),
    });
  });

  it('records ratings and device health', () => {
    expect(
      fromDevice(
        deviceTopic('demo', 'evaluator', 'evaluator-5', 'rating'),
        json({ pressId: 'rate-00000001', ticketId: 't1', level: 2, at: 5 }),
        hall,
      ),
    ).toMatchObject({ kind: 'rating', counterId: 'c05', ticketId: 't1', level: 2 });
    expect(
      fromDevice(
        deviceTopic('demo', 'printer', 'printer-1', 'status'),
        json({ online: true, at: 5, faults: ['paper-low'] }),
        hall,
      ),
    ).toEqual({ kind: 'health', deviceId: 'printer-1', online: true, faults: ['paper-low'], at: 5 });
  });

  it('takes an ID card read as the applicant of its dispenser’s next press, refusing a wrong number without repeating it (#12)', () => {
    const read = (id: string, body: Record<string, unknown>) =>
      fromDevice(
        deviceTopic('demo', 'id-reader', id, 'read'),
        json({ pressId: 'read-00000001', at: 1, ...body }),
        hall,
      );
    expect(read('id-reader-1', { idNumber: '11010519491231002x', name: '王小明' })).toEqual({
      kind: 'identity',
      deviceId: 'id-reader-1',
      dispenserId: 'dispenser-1',
      applicant: { idNumber: '11010519491231002X', name: '王小明' },
    });
    const wrong = read('id-reader-1', { idNumber: '110105194912310021' });
    expect(wrong.kind).toBe('dropped');
    expect(JSON.stringify(wrong)).not.toContain('1101051949');
    expect(read('id-reader-2', { idNumber: '11010519491231002X' })).toMatchObject({
      kind: 'dropped',
      reason: 'id-reader id-reader-2 is paired with no dispenser',
    });
  });

  it('drops, with the reason, what is not a configured device speaking well on its own channel', () => {
    const cases: Array<[string, string]> = [
      ['yichuang/v1/other/dispenser/dispenser-1/press', 'another hall'],
      [deviceTopic('demo', 'dispenser', 'dispenser-9', 'press'), 'no dispenser dispenser-9'],
      [deviceTopic('demo', 'keypad', 'dispenser-1', 'key'), 'no keypad dispenser-1'],
      [deviceTopic('demo', 'printer', 'printer-1', 'print'), 'published by the hub'],
      ['yichuang/v1/demo/dispenser/dispenser-1/__proto__', 'not a device topic'],
    ];
    for (const [topic, reason] of cases)
      expect(
        fromDevice(topic, json({ pressId: 'press-00000042', serviceId: 'tax', at: 1 }), hall),
        topic,
      ).toMatchObject({
        kind: 'dropped',
        reason: expect.stringContaining(reason),
      });
    const press = deviceTopic('demo', 'dispenser', 'dispenser-1', 'press');
    expect(fromDevice(press, '{not json', hall)).toMatchObject({
      reason: expect.stringContaining('not JSON'),
    });
    expect(fromDevice(press, json({ pressId: 'p', serviceId: 'tax', at: 1 }), hall)).toMatchObject({
      kind: 'dropped',
    });
    expect(
      fromDevice(press, '{"__proto__":{"x":1},"pressId":"press-00000042","serviceId":"tax","at":1}', hall),
    ).toMatchObject({
      kind: 'dropped',
    });
  });
});
