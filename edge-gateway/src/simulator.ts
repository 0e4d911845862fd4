import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { HallConfig, Id, MqttDeviceKind } from '@yichuang/protocol';
import { DEVICE_CHANNELS, MqttDeviceKind as Kinds, TOPIC_ROOT, deviceTopic } from '@yichuang/protocol';
import { DEMO_PASSWORD } from './broker.js';

/** Something a simulated device received from the hub, as it would show, print or say it. */
export type Received = {
  deviceId: Id;
  kind: MqttDeviceKind;
  channel: string;
  payload: Record<string, unknown>;
};

const pressId = () => `sim-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

/**
 * One piece of hall hardware as a vendor's box behaves: it connects with its own credentials, says
 * it is online (retained `status`, with a last will that says it is not), sends a heartbeat every
 * 30 s, listens on its own hub-to-device channels and publishes presses, keys and ratings at QoS 2
 * with a press id.
 */
export class SimulatedDevice {
  private client: MqttClient | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  faults: string[] = [];

  constructor(
    readonly id: Id,
    readonly kind: MqttDeviceKind,
    private readonly opts: {
      hallId: Id;
      url: string;
      password: string;
      root: string;
      onReceive: (r: Received) => void;
      heartbeatMs?: number;
    },
  ) {}

  private topic(channel: string) {
    return deviceTopic(this.opts.hallId, this.kind, this.id, channel, this.opts.root);
  }

  async connect(): Promise<void> {
    const client = await mqtt.connectAsync(this.opts.url, {
      username: this.id,
      password: this.opts.password,
      clientId: `sim-${this.opts.root.replaceAll('/', '_')}-${this.id}`,
      clean: false,
      reconnectPeriod: 1000,
      will: {
        topic: this.topic('status'),
        payload: Buffer.from(JSON.stringify({ online: false, at: Date.now(), faults: [] })),
        qos: 1,
        retain: true,
      },
    });
    this.client = client;
    const inbound = Object.entries(DEVICE_CHANNELS)
      .filter(([name, c]) => c.direction === 'hub-to-device' && name.startsWith(`${this.kind}/`))
      .map(([name]) => name.split('/')[1]!);
    client.on('message', (topic, payload) => {
      const channel = topic.split('/').pop()!;
      try {
        this.opts.onReceive({
          deviceId: this.id,
          kind: this.kind,
          channel,
          payload: JSON.parse(payload.toString('utf8')) as Record<string, unknown>,
        });
      } catch {
        /* not JSON: a real box would ignore it too */
      }
    });
    if (inbound.length > 0)
      await client.subscribeAsync(
        Object.fromEntries(inbound.map((c) => [this.topic(c), { qos: 2 as const }])),
      );
    await this.status(true);
    this.heartbeat = setInterval(() => {
      client.publish(this.topic('heartbeat'), JSON.stringify({ at: Date.now() }), { qos: 0 });
    }, this.opts.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  /** Publishes its retained status: online and its faults (e.g. `paper-out`). */
  async status(online: boolean): Promise<void> {
    await this.client?.publishAsync(
      this.topic('status'),
      JSON.stringify({ online, at: Date.now(), faults: this.faults }),
      { qos: 1, retain: true },
    );
  }

  /** Publishes on one of its device-to-hub channels with a fresh press id (or the one given: a retry). */
  async send(channel: string, body: Record<string, unknown>, id = pressId()): Promise<string> {
    await this.client?.publishAsync(
      this.topic(channel),
      JSON.stringify({ pressId: id, ...body, at: Date.now() }),
      {
        qos: 2,
      },
    );
    return id;
  }

  /** Disconnects cleanly (its status says offline). */
  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    const client = this.client;
    if (!client) return;
    this.client = null;
    // With the broker gone there is nobody to tell: a publish would wait for it forever.
    if (client.connected)
      await client.publishAsync(
        this.topic('status'),
        JSON.stringify({ online: false, at: Date.now(), faults: this.faults }),
        { qos: 1, retain: true },
      );
    await client.endAsync(!client.connected);
  }

  /** Drops off the network without a word: the broker publishes its last will. */
  crash(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.client?.stream.destroy();
    this.client?.end(true);
    this.client = null;
  }
}

/**
 * Simulated hardware for a hall: for every MQTT device of its configuration (dispensers with their
 * printers, keypads, window displays, evaluators, speakers), a SimulatedDevice. `npm run devices`
 * drives it from the terminal; tests drive it from code.
 */
export class HallSimulator {
  readonly devices = new Map<Id, SimulatedDevice>();
  /** What each device last received on each channel. */
  readonly last = new Map<string, Received>();
  private readonly listeners: Array<(r: Received) => void> = [];

  constructor(
    readonly hall: HallConfig,
    opts: { url: string; password?: string; root?: string; heartbeatMs?: number; only?: (id: Id) => boolean },
  ) {
    for (const d of hall.devices) {
      const kind = Kinds.safeParse(d.kind);
      if (!kind.success || !d.mqttPasswordSha256 || (opts.only && !opts.only(d.id))) continue;
      this.devices.set(
        d.id,
        new SimulatedDevice(d.id, kind.data, {
          hallId: hall.id,
          url: opts.url,
          password: opts.password ?? DEMO_PASSWORD,
          root: opts.root ?? TOPIC_ROOT,
          heartbeatMs: opts.heartbeatMs,
          onReceive: (r) => {
            this.last.set(`${r.deviceId}/${r.channel}`, r);
            for (const l of this.listeners) l(r);
          },
        }),
      );
    }
  }

  async start(): Promise<void> {
    await Promise.all([...this.devices.values()].map((d) => d.connect()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.devices.values()].map((d) => d.close()));
  }

  onReceive(listener: (r: Received) => void): void {
    this.listeners.push(listener);
  }

  /** The next message a device receives on a channel. */
  next(deviceId: Id, channel: string, timeoutMs = 10_000): Promise<Received> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${deviceId} received nothing on ${channel}`)), timeoutMs);
      this.listeners.push((r) => {
        if (r.deviceId === deviceId && r.channel === channel) {
          clearTimeout(t);
          resolve(r);
        }
      });
    });
  }

  device(id: Id): SimulatedDevice {
    const d = this.devices.get(id);
    if (!d) throw new Error(`No simulated device ${id}.`);
    return d;
  }

  /** The device of `kind` at counter number `n` (keypad-N, window-display-N, evaluator-N). */
  atCounter(kind: 'keypad' | 'window-display' | 'evaluator', n: number): SimulatedDevice {
    const counter = this.hall.counters.find((c) => c.number === n);
    const d = this.hall.devices.find((x) => x.kind === kind && x.counterId === counter?.id);
    if (!d) throw new Error(`No ${kind} at counter ${n}.`);
    return this.device(d.id);
  }

  press(serviceId: Id, priority: 'normal' | 'special-care' | 'appointment' = 'normal', dispenserId?: Id) {
    const id =
      dispenserId ?? this.hall.devices.find((d) => d.kind === 'dispenser' && this.devices.has(d.id))?.id;
    if (!id) throw new Error('No simulated dispenser.');
    return this.device(id).send('press', { serviceId, priority });
  }

  key(counterNumber: number, key: string, outcome?: string) {
    return this.atCounter('keypad', counterNumber).send('key', { key, ...(outcome ? { outcome } : {}) });
  }

  /** Rates the ticket the evaluator at the counter was last asked about. */
  rate(counterNumber: number, level: number, comment?: string, aspects?: string[]) {
    const pad = this.atCounter('evaluator', counterNumber);
    const prompt = this.last.get(`${pad.id}/prompt`);
    if (!prompt)
      throw new Error(`The evaluator at counter ${counterNumber} has not been asked to rate anything.`);
    return pad.send('rating', {
      ticketId: prompt.payload.ticketId,
      level,
      ...(comment ? { comment } : {}),
      ...(aspects ? { aspects } : {}),
    });
  }
}
