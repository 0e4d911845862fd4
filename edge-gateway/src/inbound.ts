import type { ApplicantInput, Command, DeviceKind, Id, RatingAspect } from '@yichuang/protocol';
import {
  DEVICE_CHANNELS,
  describeIssues,
  parseCommand,
  parseDevicePayload,
  parseDeviceTopic,
} from '@yichuang/protocol';

/** What the gateway makes of a device's message. */
export type Inbound =
  | { kind: 'command'; deviceId: Id; command: Command; key: string }
  | {
      kind: 'rating';
      deviceId: Id;
      counterId: Id | null;
      ticketId: Id;
      level: number;
      comment?: string;
      aspects?: RatingAspect[];
      key: string;
    }
  /** #12: an ID card read beside a dispenser: its next press is for this person. */
  | { kind: 'identity'; deviceId: Id; dispenserId: Id; applicant: ApplicantInput }
  /** `faults` null: unchanged (a heartbeat says only "still here"). */
  | { kind: 'health'; deviceId: Id; online: boolean; faults: string[] | null; at: number }
  | { kind: 'dropped'; reason: string };

/** The hall as the gateway knows it: its id and its configured devices. */
export type GatewayHall = {
  id: Id;
  devices: ReadonlyArray<{ id: Id; kind: DeviceKind; counterId?: Id | null; pairedWith?: Id | null }>;
};

const KEYPAD: Record<string, Command['type']> = {
  'call-next': 'counter:call-next',
  recall: 'counter:recall',
  'no-show': 'counter:no-show',
  pause: 'counter:pause',
  resume: 'counter:resume',
  complete: 'counter:complete',
};

const dropped = (reason: string): Inbound => ({ kind: 'dropped', reason });

/**
 * Maps a device's MQTT message to what the hub must do (pure). Anything that is not a configured
 * device of this hall publishing a well-formed payload on one of its own channels is dropped with
 * the reason, for the log; nothing else is disturbed. Presses and keys carry their press id as the
 * command's idempotency key, so a retried press acts once.
 */
export function fromDevice(topic: string, raw: Buffer | string, hall: GatewayHall, root?: string): Inbound {
  const t = parseDeviceTopic(topic, root);
  if (!t) return dropped(`not a device topic: ${topic.slice(0, 120)}`);
  if (t.hallId !== hall.id) return dropped(`topic of another hall (${t.hallId})`);
  const device = hall.devices.find((d) => d.id === t.deviceId);
  if (!device || device.kind !== t.kind) return dropped(`no ${t.kind} ${t.deviceId} in this hall`);
  if (DEVICE_CHANNELS[t.channel].direction !== 'device-to-hub')
    return dropped(`${t.channel} is published by the hub, not by devices`);
  let json: unknown;
  try {
    json = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    return dropped(`${t.channel} from ${device.id}: not JSON`);
  }
  const parsed = parseDevicePayload(t.channel, json);
  if (!parsed.success) return dropped(`${t.channel} from ${device.id}: ${describeIssues(parsed.error)}`);
  const p = parsed.data as Record<string, unknown>;
  const key = `mqtt:${device.id}:${String(p.pressId)}`;
  const command = (type: Command['type'], payload: Record<string, unknown>): Inbound => {
    const c = parseCommand(type, payload);
    return c.ok
      ? { kind: 'command', deviceId: device.id, command: c.command, key }
      : dropped(describeIssues(c.error));
  };
  switch (t.channel) {
    case 'dispenser/press':
      return command('ticket:issue', { serviceId: p.serviceId, priority: p.priority, channel: 'kiosk' });
    case 'keypad/key': {
      if (!device.counterId) return dropped(`keypad ${device.id} belongs to no counter`);
      const type = KEYPAD[p.key as string]!;
      const payload: Record<string, unknown> = { counterId: device.counterId };
      if (type === 'counter:complete') payload.outcome = p.outcome;
      return command(type, payload);
    }
    case 'evaluator/rating':
      return {
        kind: 'rating',
        deviceId: device.id,
        counterId: device.counterId ?? null,
        ticketId: p.ticketId as Id,
        level: p.level as number,
        ...(typeof p.comment === 'string' ? { comment: p.comment } : {}),
        ...(Array.isArray(p.aspects) ? { aspects: p.aspects as RatingAspect[] } : {}),
        key,
      };
    case 'status':
      return {
        kind: 'health',
        deviceId: device.id,
        online: p.online as boolean,
        faults: p.faults as string[],
        at: p.at as number,
      };
    case 'id-reader/read':
      if (!device.pairedWith) return dropped(`id-reader ${device.id} is paired with no dispenser`);
      return {
        kind: 'identity',
        deviceId: device.id,
        dispenserId: device.pairedWith,
        applicant: {
          idNumber: p.idNumber as string,
          ...(typeof p.name === 'string' ? { name: p.name } : {}),
        },
      };
    case 'heartbeat':
      return { kind: 'health', deviceId: device.id, online: true, faults: null, at: p.at as number };
    default:
      return dropped(`${t.channel} is not handled yet`);
  }
}
