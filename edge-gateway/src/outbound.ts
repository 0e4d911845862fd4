import type {
  DeviceChannelName,
  EmergencyType,
  MqttDeviceKind,
  StaffSnapshot,
  VersionedEvent,
} from '@yichuang/protocol';
import { callPhrase, DEVICE_CHANNELS, deviceTopic } from '@yichuang/protocol';

/**
 * A message for a device: its topic, its payload, and how the broker must carry it. A null payload
 * is sent empty and retained: MQTT's way to clear what a topic retained (devices ignore it).
 */
export type DeviceMessage = { topic: string; payload: unknown; qos: 0 | 1 | 2; retain: boolean };

/** The texts a window display shows (the hall's own words, R37). */
const SHOW = {
  open: '空闲',
  calling: '请 {n} 号',
  serving: '正在办理',
  paused: '暂停服务',
  closed: '暂未开放',
};

/** What a window display shows in an emergency (R38): what it is and what to do, in one short line. */
const EMERGENCY_SHOW: Record<EmergencyType, string> = {
  fire: '火警 请立即疏散',
  'power-cut': '停电 暂停服务',
  'lift-failure': '电梯故障 请走楼梯',
  illness: '现场救助 请让出通道',
  disorder: '请保持秩序',
  petition: '请保持秩序',
  other: '紧急通知',
};

/** The window display's line during an emergency. */
const emergencyShow = (hall: StaffSnapshot, counterNumber: number) => ({
  counterNumber,
  state: 'emergency' as const,
  number: null,
  text: EMERGENCY_SHOW[hall.emergency!.kind],
});

/**
 * What the hall's devices must show or say after an event (pure): the window display above the
 * counter, the hall's speakers, the evaluation pad facing the applicant. `hall` is the staff view
 * after the event. Devices the hall does not have get nothing.
 */
export function toDevices(e: VersionedEvent, hall: StaffSnapshot, root?: string): DeviceMessage[] {
  const out: DeviceMessage[] = [];
  const send = (
    kind: MqttDeviceKind,
    counterId: string | null,
    channel: DeviceChannelName,
    payload: unknown,
  ) => {
    const { qos, retain } = DEVICE_CHANNELS[channel];
    for (const d of hall.devices)
      if (d.kind === kind && (counterId === null || d.counterId === counterId))
        out.push({
          topic: deviceTopic(hall.hall.id, kind, d.id, channel.split('/')[1]!, root),
          payload,
          qos,
          retain,
        });
  };
  const show = (counterId: string, state: keyof typeof SHOW, number: string | null) => {
    const counter = hall.counters.find((c) => c.id === counterId);
    // An emergency stays on the window displays until the all-clear, whatever the counter does.
    if (counter && !hall.emergency)
      send('window-display', counterId, 'window-display/show', {
        counterNumber: counter.number,
        state,
        number,
        text: SHOW[state].replace('{n}', number ?? ''),
      });
  };
  switch (e.type) {
    case 'ticket:called':
      show(e.counterId, 'calling', e.number);
      // The next applicant is at the window: a rating not given is not asked for any more.
      if (e.recalls === 0) send('evaluator', e.counterId, 'evaluator/prompt', null);
      send('speaker', null, 'speaker/say', {
        text: callPhrase(e.number, e.counterNumber, 'zh'),
        lang: 'zh-CN',
        // A recall is said twice: the applicant may not have heard the first call.
        repeat: e.recalls > 0 ? 2 : 1,
      });
      break;
    case 'ticket:started':
      show(e.counterId, 'serving', e.number);
      break;
    case 'ticket:completed': {
      show(e.counterId, 'open', null);
      const staff = hall.staff.find((s) => s.id === e.staffId);
      // R34: the applicant rates the service just completed on the pad facing them.
      if (staff)
        send('evaluator', e.counterId, 'evaluator/prompt', {
          ticketId: e.ticketId,
          number: e.number,
          staffName: staff.name,
          staffBadge: staff.badge,
          levels: 5,
        });
      break;
    }
    case 'ticket:no-show':
    case 'ticket:transferred':
    case 'ticket:requeued':
    case 'counter:opened':
    case 'counter:covered':
    case 'counter:resumed':
      show(e.counterId, 'open', null);
      break;
    case 'ticket:rated':
      // Rated: the pad stops asking (its retained prompt is cleared).
      if (e.counterId) send('evaluator', e.counterId, 'evaluator/prompt', null);
      break;
    case 'counter:paused':
      show(e.counterId, 'paused', null);
      break;
    case 'counter:closed':
      show(e.counterId, 'closed', null);
      break;
    case 'hall:emergency-declared':
      out.push(...showAll(hall, root));
      send('speaker', null, 'speaker/say', {
        text: [EMERGENCY_SHOW[e.kind], e.text].filter(Boolean).join('，').slice(0, 200),
        lang: 'zh-CN',
        repeat: 3,
      });
      break;
    case 'hall:emergency-cleared':
      out.push(...showAll(hall, root));
      break;
    default:
      break;
  }
  return out;
}

/**
 * What every window display must show now, from a whole snapshot: sent when the gateway
 * (re)connects to the hub, so displays are right after anything they or the gateway missed.
 */
export function showAll(hall: StaffSnapshot, root?: string): DeviceMessage[] {
  const { qos, retain } = DEVICE_CHANNELS['window-display/show'];
  const out: DeviceMessage[] = [];
  for (const d of hall.devices) {
    if (d.kind !== 'window-display' || !d.counterId) continue;
    const counter = hall.counters.find((c) => c.id === d.counterId);
    const status = hall.counterStatus.find((c) => c.id === d.counterId);
    if (!counter || !status) continue;
    const number = hall.tickets.find((t) => t.id === status.ticketId)?.number ?? null;
    const state = status.state;
    out.push({
      topic: deviceTopic(hall.hall.id, 'window-display', d.id, 'show', root),
      payload: hall.emergency
        ? emergencyShow(hall, counter.number)
        : { counterNumber: counter.number, state, number, text: SHOW[state].replace('{n}', number ?? '') },
      qos,
      retain,
    });
  }
  return out;
}
