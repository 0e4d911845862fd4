import type { Id } from '@yichuang/protocol';
import { DEVICE_CHANNELS, MqttDeviceKind, TOPIC_ROOT } from '@yichuang/protocol';

/** An MQTT account of the hall: a device (its id is its username) or the gateway itself. */
export type MqttAccount = { id: Id; kind: string };

/** What one account may do: exact topics it may publish on, filters it may subscribe to. */
export type Permissions = {
  /** Every topic under `prefix` (the gateway), or only those listed (a device). */
  wide: boolean;
  prefix: string;
  publish: readonly string[];
  subscribe: readonly string[];
};

/** Channel names of a device kind that flow in `direction`, the common ones included. */
function channels(kind: MqttDeviceKind, direction: 'device-to-hub' | 'hub-to-device'): string[] {
  return Object.entries(DEVICE_CHANNELS)
    .filter(([name, c]) => c.direction === direction && (!name.includes('/') || name.startsWith(`${kind}/`)))
    .map(([name]) => name.split('/').pop()!);
}

/**
 * The one access rule for the hall's broker, whichever runs it (the embedded aedes checks it on
 * every connect, publish and subscribe; the Mosquitto files are generated from it): a device
 * publishes only its own device-to-hub channels and subscribes only under its own topic; the
 * gateway publishes and subscribes anywhere under its hall. Anything else, nothing.
 */
export function permissionsOf(account: MqttAccount, hallId: Id, root = TOPIC_ROOT): Permissions | null {
  if (account.kind === 'gateway') {
    const prefix = `${root}/${hallId}`;
    return { wide: true, prefix, publish: [`${prefix}/#`], subscribe: [`${prefix}/#`] };
  }
  const kind = MqttDeviceKind.safeParse(account.kind);
  if (!kind.success) return null;
  const prefix = `${root}/${hallId}/${kind.data}/${account.id}`;
  return {
    wide: false,
    prefix,
    publish: channels(kind.data, 'device-to-hub').map((c) => `${prefix}/${c}`),
    subscribe: [
      ...channels(kind.data, 'hub-to-device').map((c) => `${prefix}/${c}`),
      `${prefix}/+`,
      `${prefix}/#`,
    ],
  };
}

/** Whether `p` lets its account publish on `topic` (a concrete topic, never a wildcard). */
export function mayPublish(p: Permissions, topic: string): boolean {
  if (topic.includes('+') || topic.includes('#')) return false;
  return p.wide ? topic.startsWith(`${p.prefix}/`) : p.publish.includes(topic);
}

/** Whether `p` lets its account subscribe to `filter`. */
export function maySubscribe(p: Permissions, filter: string): boolean {
  return p.wide ? filter.startsWith(`${p.prefix}/`) : p.subscribe.includes(filter);
}
