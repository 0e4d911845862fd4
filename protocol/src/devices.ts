import { z } from 'zod';
import { RATING_ASPECTS, RatingAspect } from './ratings.js';
import { Id, Timestamp } from './common.js';
import { Outcome, Priority } from './ticket.js';
import { WaitBand } from './waits.js';
import { ResidentIdNumber } from './privacy.js';

/**
 * The device protocol over MQTT, version 1 (docs/devices.md). Topics are
 * `yichuang/v1/{hallId}/{deviceKind}/{deviceId}/{channel}`; one table below gives, for every
 * channel, its payload schema, direction, QoS and retain flag, and the gateway, the hub and the
 * simulators all read it.
 */
export const TOPIC_ROOT = 'yichuang/v1';

/** The kinds of hall hardware that speak MQTT. */
export const MqttDeviceKind = z.enum([
  'dispenser',
  'printer',
  'window-display',
  'keypad',
  'evaluator',
  'id-reader',
  'speaker',
]);
export type MqttDeviceKind = z.infer<typeof MqttDeviceKind>;

/** A device's own id for one press, key or rating: a retry carries the same id and acts once. */
export const PressId = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" and "_" only');

/** The keys of a counter's caller keypad (呼叫器). */
export const KeypadKey = z.enum(['call-next', 'recall', 'no-show', 'pause', 'resume', 'complete']);

/** A ticket to print, as structured fields (a printer box may lay it out itself). */
export const SlipTicket = z.object({
  hallName: z.string(),
  number: z.string(),
  serviceName: z.string(),
  ahead: z.number().int().nonnegative(),
  /** The expected wait with its band; null when no window serves the service now. */
  wait: WaitBand.nullable(),
  issuedAt: Timestamp,
  /** The time as the hall reads it, e.g. 2026-11-28 09:05. */
  issuedAtText: z.string(),
  /** What the slip's QR code holds: the ticket's page on a phone. */
  qr: z.string().max(512),
  /** R26: the hall's closing time when the expected call falls after it (the slip says so), else null. */
  pastClosingText: z.string().max(8).nullable().default(null),
});
export type SlipTicket = z.infer<typeof SlipTicket>;

const status = z
  .object({
    online: z.boolean(),
    at: Timestamp,
    /** Faults the device reports, e.g. `paper-out`, `paper-low`, `cover-open`. */
    faults: z.array(z.string().max(40)).max(10).default([]),
    firmware: z.string().max(40).optional(),
  })
  .strict();

/** Who publishes on a channel. */
export type Direction = 'device-to-hub' | 'hub-to-device';

type Channel = { schema: z.ZodType; direction: Direction; qos: 0 | 1 | 2; retain: boolean; doc: string };

/** Every channel of every device kind. Presses, keys and ratings are QoS 2 with a press id (platform facts). */
export const DEVICE_CHANNELS = {
  'dispenser/press': {
    schema: z
      .object({ pressId: PressId, serviceId: Id, priority: Priority.default('normal'), at: Timestamp })
      .strict(),
    direction: 'device-to-hub',
    qos: 2,
    retain: false,
    doc: 'A button pressed for a service; the ticket comes back on the paired printer’s `print`.',
  },
  'printer/print': {
    schema: z
      .object({
        pressId: PressId,
        ticket: SlipTicket,
        /** The slip as ESC/POS bytes for an 80 mm printer in its Chinese mode (GB18030), base64. */
        escpos: z.string().max(16_384),
        /** Issued from the gateway's reserved block while the hub was unreachable. */
        offline: z.boolean().default(false),
      })
      .strict(),
    direction: 'hub-to-device',
    qos: 2,
    retain: false,
    doc: 'A ticket to print, both as fields and as ready ESC/POS bytes.',
  },
  'keypad/key': {
    schema: z
      .object({ pressId: PressId, key: KeypadKey, outcome: Outcome.optional(), at: Timestamp })
      .strict()
      // R18: a ticket is completed with the outcome the clerk chose, never a default.
      .refine((k) => k.key !== 'complete' || k.outcome !== undefined, {
        message: 'the complete key carries the outcome',
        path: ['outcome'],
      }),
    direction: 'device-to-hub',
    qos: 2,
    retain: false,
    doc: 'A key of the counter’s keypad, acting for the staff member signed in at that counter.',
  },
  'window-display/show': {
    schema: z
      .object({
        counterNumber: z.number().int(),
        /** `emergency`: the hall's emergency (R38) replaces the counter's state until the all-clear. */
        state: z.enum(['open', 'calling', 'serving', 'paused', 'closed', 'emergency']),
        number: z.string().nullable(),
        /** The line to show as it is, in the hall's language (e.g. 暂停服务). */
        text: z.string().max(40),
      })
      .strict(),
    direction: 'hub-to-device',
    qos: 1,
    retain: true,
    doc: 'What the LED display above the window shows now (retained: a display that restarts shows it at once).',
  },
  'evaluator/prompt': {
    schema: z
      .object({
        ticketId: Id,
        number: z.string(),
        staffName: z.string(),
        staffBadge: z.string(),
        /** R34: five levels, 非常满意 … 非常不满意. */
        levels: z.literal(5),
      })
      .strict(),
    direction: 'hub-to-device',
    qos: 1,
    retain: true,
    doc: 'Ask the applicant at the counter to rate the service just completed.',
  },
  'evaluator/rating': {
    schema: z
      .object({
        pressId: PressId,
        ticketId: Id,
        /** 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意 (R34). */
        level: z.number().int().min(1).max(5),
        comment: z.string().max(200).optional(),
        /** R35: what the rating was about (the pad's aspect keys, any of them). */
        aspects: z.array(RatingAspect).max(RATING_ASPECTS.length).optional(),
        at: Timestamp,
      })
      .strict(),
    direction: 'device-to-hub',
    qos: 2,
    retain: false,
    doc: 'The applicant’s rating of a ticket.',
  },
  'id-reader/read': {
    schema: z
      .object({
        pressId: PressId,
        idNumber: ResidentIdNumber,
        /** The name on the card. */
        name: z.string().trim().min(1).max(40).optional(),
        at: Timestamp,
      })
      .strict(),
    direction: 'device-to-hub',
    qos: 2,
    retain: false,
    doc: 'An ID card was read at the dispenser the reader is paired with: its next press takes the ticket for that person. Only the gateway may read it; the hub keeps only the number’s keyed hash (R9).',
  },
  'speaker/say': {
    schema: z
      .object({
        text: z.string().max(200),
        lang: z.enum(['zh-CN', 'en']),
        repeat: z.number().int().min(1).max(3),
      })
      .strict(),
    direction: 'hub-to-device',
    qos: 1,
    retain: false,
    doc: 'A phrase to speak, e.g. the calling phrase of R37.',
  },
  status: {
    schema: status,
    direction: 'device-to-hub',
    qos: 1,
    retain: true,
    doc: 'Every device: online and faults, retained; its last will publishes `online: false`.',
  },
  heartbeat: {
    schema: z.object({ at: Timestamp }).strict(),
    direction: 'device-to-hub',
    qos: 0,
    retain: false,
    doc: 'Every device, every 30 s: a device silent for 90 s counts as offline.',
  },
} as const satisfies Record<string, Channel>;

export type DeviceChannelName = keyof typeof DEVICE_CHANNELS;

/** The channels every kind has besides its own. */
const COMMON = ['status', 'heartbeat'] as const;

/** The channel's table key for a device kind and channel name, if that kind has it. */
export function channelOf(kind: MqttDeviceKind, channel: string): DeviceChannelName | null {
  if ((COMMON as readonly string[]).includes(channel)) return channel as DeviceChannelName;
  const key = `${kind}/${channel}`;
  return Object.hasOwn(DEVICE_CHANNELS, key) ? (key as DeviceChannelName) : null;
}

/** The topic of a device's channel (`root`: another topic root, e.g. one per test run). */
export const deviceTopic = (
  hallId: Id,
  kind: MqttDeviceKind,
  deviceId: Id,
  channel: string,
  root: string = TOPIC_ROOT,
) => `${root}/${hallId}/${kind}/${deviceId}/${channel}`;

/** A topic taken apart, or null when it is not one of the protocol's. */
export function parseDeviceTopic(
  topic: string,
  root: string = TOPIC_ROOT,
): { hallId: Id; kind: MqttDeviceKind; deviceId: Id; channel: DeviceChannelName } | null {
  if (!topic.startsWith(`${root}/`)) return null;
  const parts = topic.slice(root.length + 1).split('/');
  if (parts.length !== 4) return null;
  const [hallId, kindText, deviceId, channelText] = parts as [string, string, string, string];
  const kind = MqttDeviceKind.safeParse(kindText);
  if (!kind.success || !Id.safeParse(hallId).success || !Id.safeParse(deviceId).success) return null;
  const channel = channelOf(kind.data, channelText);
  return channel ? { hallId, kind: kind.data, deviceId, channel } : null;
}

/** Validates a payload (already JSON-parsed) against its channel's schema. */
export function parseDevicePayload(channel: DeviceChannelName, payload: unknown) {
  return DEVICE_CHANNELS[channel].schema.safeParse(payload);
}

/**
 * What the edge gateway sends the hub on `/gateway` for a device: the command the device's message
 * became, with the device's press id as its idempotency key. The hub acts as that device.
 */
export const GatewayCommand = z
  .object({
    deviceId: Id,
    type: z.string().max(40),
    payload: z.unknown(),
    key: z.string().min(8).max(200),
  })
  .strict();
export type GatewayCommand = z.infer<typeof GatewayCommand>;
