import { describe, expect, it } from 'vitest';
import type { Command, VersionedEvent } from '@yichuang/protocol';
import { parseDevicePayload, parseDeviceTopic } from '@yichuang/protocol';
import {
  DEMO_CONFIG_PATH,
  initialState,
  loadInstallation,
  staffSnapshot,
  transition,
  type HallState,
} from '@yichuang/server';
import { toDevices, type DeviceMessage } from '../../edge-gateway/src/outbound.js';
import { staff, T0 } from '../support/factories.js';

const manager = staff('mgr01', ['manager', 'staff']);

/** The demo hall, one command after another, with what its devices get after each. */
async function play(commands: Command[]) {
  let s: HallState = initialState((await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!);
  const out: Array<{ event: VersionedEvent; messages: DeviceMessage[] }> = [];
  commands.forEach((command, i) => {
    const r = transition(s, { command, actor: manager, id: `t${i}` }, T0 + i * 60_000);
    if (!r.ok) throw new Error(r.error.message);
    s = r.state;
    for (const event of r.events) out.push({ event, messages: toDevices(event, staffSnapshot(s)) });
  });
  return out;
}
const at = (messages: DeviceMessage[], deviceId: string) =>
  messages.filter((m) => parseDeviceTopic(m.topic)?.deviceId === deviceId);

describe('what the hall’s devices get from its events', () => {
  it('shows calls on the window display, says them on the speaker, and asks for a rating after completion', async () => {
    const steps = await play([
      { type: 'counter:open', counterId: 'c05', staffId: 's05' },
      { type: 'ticket:issue', serviceId: 'housing-fund', priority: 'normal', channel: 'kiosk' },
      { type: 'counter:call-next', counterId: 'c05' },
      { type: 'counter:recall', counterId: 'c05' },
      { type: 'counter:start', counterId: 'c05' },
      { type: 'counter:complete', counterId: 'c05', outcome: 'accepted' },
      { type: 'ticket:rate', ticketId: 't1', level: 5 },
      { type: 'counter:pause', counterId: 'c05', reason: 'break', note: '' },
    ]);
    const byType = (t: string) => steps.find((s) => s.event.type === t)!.messages;
    expect(byType('ticket:issued')).toEqual([]);

    const called = byType('ticket:called');
    expect(at(called, 'window-display-5')).toEqual([
      {
        topic: 'yichuang/v1/demo/window-display/window-display-5/show',
        payload: { counterNumber: 5, state: 'calling', number: 'C001', text: '请 C001 号' },
        qos: 1,
        retain: true,
      },
    ]);
    expect(at(called, 'speaker-1')[0]!.payload).toEqual({
      text: '请 C001 号到 5 号窗口办理',
      lang: 'zh-CN',
      repeat: 1,
    });
    // Other windows' displays are not touched.
    expect(at(called, 'window-display-6')).toEqual([]);
    const recall = steps.filter((s) => s.event.type === 'ticket:called')[1]!.messages;
    expect(at(recall, 'speaker-1')[0]!.payload).toMatchObject({ repeat: 2 });

    const done = byType('ticket:completed');
    expect(at(done, 'evaluator-5')[0]!.payload).toMatchObject({
      number: 'C001',
      staffName: '陈静',
      levels: 5,
    });
    expect(at(done, 'window-display-5')[0]!.payload).toMatchObject({ state: 'open', number: null });
    expect(at(byType('counter:paused'), 'window-display-5')[0]!.payload).toMatchObject({ text: '暂停服务' });
    // Once rated, the pad's retained prompt is cleared (an empty retained message).
    expect(at(byType('ticket:rated'), 'evaluator-5')).toEqual([
      { topic: 'yichuang/v1/demo/evaluator/evaluator-5/prompt', payload: null, qos: 1, retain: true },
    ]);
    // A new call clears a prompt nobody answered; a recall does not.
    expect(at(called, 'evaluator-5')).toMatchObject([{ payload: null, retain: true }]);
    expect(at(recall, 'evaluator-5')).toEqual([]);

    // Every message fits its channel's schema, QoS and retain flag in the device protocol.
    for (const { messages } of steps)
      for (const m of messages) {
        if (m.payload === null) continue; // a clear
        const parsed = parseDeviceTopic(m.topic)!;
        expect(parseDevicePayload(parsed.channel, m.payload).success, m.topic).toBe(true);
      }
  });

  it('an emergency takes every window display and the speakers until the all-clear, which restores each window (R38)', async () => {
    const steps = await play([
      { type: 'counter:open', counterId: 'c05', staffId: 's05' },
      { type: 'hall:declare-emergency', kind: 'fire', text: '请从东侧楼梯撤离' },
      { type: 'counter:pause', counterId: 'c05', reason: 'other', note: '' },
      { type: 'counter:resume', counterId: 'c05' },
      { type: 'hall:all-clear', emergencyId: 't1' },
    ]);
    const byType = (t: string) => steps.find((s) => s.event.type === t)!.messages;
    const declared = byType('hall:emergency-declared');
    const displays = declared.filter((m) => parseDeviceTopic(m.topic)?.kind === 'window-display');
    // Every window of the hall, open or closed, shows the emergency, retained for displays that reconnect.
    expect(displays.length).toBeGreaterThanOrEqual(12);
    for (const d of displays) {
      expect(d.payload).toMatchObject({ state: 'emergency', number: null, text: '火警 请立即疏散' });
      expect(d.retain).toBe(true);
      expect(parseDevicePayload('window-display/show', d.payload).success).toBe(true);
    }
    expect(at(declared, 'speaker-1')[0]!.payload).toEqual({
      text: '火警 请立即疏散，请从东侧楼梯撤离',
      lang: 'zh-CN',
      repeat: 3,
    });
    // What the windows do meanwhile does not take the emergency off their displays.
    expect(at(byType('counter:paused'), 'window-display-5')).toEqual([]);
    expect(at(byType('counter:resumed'), 'window-display-5')).toEqual([]);
    const cleared = byType('hall:emergency-cleared');
    expect(at(cleared, 'window-display-5')[0]!.payload).toMatchObject({ state: 'open', text: '空闲' });
    expect(at(cleared, 'window-display-6')[0]!.payload).toMatchObject({ state: 'closed' });
  });
});
