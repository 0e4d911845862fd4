import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Aedes, type Client } from 'aedes';
import type { Logger } from 'pino';
import type { HallConfig } from '@yichuang/protocol';
import { TOPIC_ROOT } from '@yichuang/protocol';
import { mayPublish, maySubscribe, permissionsOf, type Permissions } from './acl.js';

export type EmbeddedBroker = {
  port: number;
  close: () => Promise<void>;
  aedes: Aedes;
  /** R8: the hall's switched-off devices now: their connections close and they cannot connect again. */
  block: (deviceIds: Iterable<string>) => void;
};

/** The password every demo device uses; refused when NODE_ENV=production. */
export const DEMO_PASSWORD = 'demo';

const sha256 = (s: Buffer) => createHash('sha256').update(s).digest();

/**
 * Checks a device's MQTT credentials against the hall: its username is its device id, its password
 * hashes to the configured `mqttPasswordSha256`. Answers the account's permissions, or null.
 */
export function authenticateDevice(
  hall: HallConfig,
  username: string | undefined,
  password: Buffer | undefined,
  opts: { production: boolean; root?: string },
): Permissions | null {
  const device = hall.devices.find((d) => d.id === username);
  if (!device?.mqttPasswordSha256 || !password) return null;
  if (opts.production && password.toString('utf8') === DEMO_PASSWORD) return null;
  const ok = timingSafeEqual(sha256(password), Buffer.from(device.mqttPasswordSha256, 'hex'));
  return ok ? permissionsOf(device, hall.id, opts.root) : null;
}

/**
 * The embedded broker (aedes) the gateway runs when no MQTT_URL is set: every connection
 * authenticated as one of the hall's devices, every publish and subscribe checked against the one
 * access rule (acl.ts). A refused publish closes the connection (MQTT 3.1.1 has no other answer);
 * a refused subscription is acknowledged with 0x80. Listens on `port`, or, with `fallback`, on the
 * next free port above it when it is taken.
 */
export async function startBroker(opts: {
  hall: HallConfig;
  port: number;
  host?: string;
  fallback?: boolean;
  production: boolean;
  root?: string;
  logger: Logger;
}): Promise<EmbeddedBroker> {
  const { hall, logger } = opts;
  const root = opts.root ?? TOPIC_ROOT;
  const accounts = new WeakMap<object, Permissions>();
  const aedes = await Aedes.createBroker({
    maxClientsIdLength: 128,
    queueLimit: 1000,
    drainTimeout: 30_000,
    heartbeatInterval: 60_000,
  });
  /** R8: devices a manager switched off; their connections are closed and they cannot sign in again. */
  let blocked: ReadonlySet<string> = new Set();
  const connected = new Map<Client, string>();
  aedes.authenticate = (client, username, password, callback) => {
    if (username !== undefined && blocked.has(username)) {
      logger.warn({ clientId: client.id, username }, 'MQTT connection refused: the device is switched off');
      return callback(Object.assign(new Error('Not authorized'), { returnCode: 5 }), false);
    }
    const p = authenticateDevice(hall, username, password, { production: opts.production, root });
    if (!p) {
      logger.warn({ clientId: client.id, username }, 'MQTT connection refused: wrong username or password');
      return callback(Object.assign(new Error('Bad username or password'), { returnCode: 4 }), false);
    }
    accounts.set(client, p);
    connected.set(client, username!);
    callback(null, true);
  };
  aedes.authorizePublish = (client, packet, callback) => {
    // client is null for a will aedes publishes after the client is gone: it was checked at connect.
    const p = client ? accounts.get(client) : undefined;
    if (client && (!p || !mayPublish(p, packet.topic))) {
      logger.warn(
        { clientId: client.id, topic: packet.topic },
        'MQTT publish refused: not this device’s topic',
      );
      return callback(new Error(`not allowed to publish on ${packet.topic}`));
    }
    callback(null);
  };
  aedes.authorizeSubscribe = (client, sub, callback) => {
    const p = accounts.get(client);
    if (!p || !maySubscribe(p, sub.topic)) {
      logger.warn({ clientId: client.id, topic: sub.topic }, 'MQTT subscription refused');
      return callback(null, null);
    }
    callback(null, sub);
  };
  aedes.on('clientDisconnect', (client) => connected.delete(client));
  aedes.on('clientError', (client, err) =>
    logger.debug({ clientId: client.id, err: err.message }, 'MQTT client error'),
  );

  const server: Server = createServer(aedes.handle as (socket: Socket) => void);
  let port = opts.port;
  for (let attempt = 0; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, opts.host ?? '0.0.0.0', () => {
          server.off('error', reject);
          resolve();
        });
      });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !opts.fallback || attempt >= 20) throw err;
      logger.warn(`MQTT port ${port} is taken: trying ${port + 1}`);
      port += 1;
    }
  }
  port = (server.address() as AddressInfo).port;
  return {
    port,
    aedes,
    block: (deviceIds) => {
      blocked = new Set(deviceIds);
      for (const [client, id] of connected) {
        if (!blocked.has(id)) continue;
        logger.warn(
          { clientId: client.id, deviceId: id },
          'MQTT connection closed: the device was switched off',
        );
        client.close();
      }
    },
    close: async () => {
      await new Promise<void>((r) => aedes.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
