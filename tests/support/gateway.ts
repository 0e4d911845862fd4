import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino, type Logger } from 'pino';
import type { HallConfig } from '@yichuang/protocol';
import { EdgeGateway, startBroker, type EmbeddedBroker } from '@yichuang/edge-gateway';

export type RunningGateway = {
  gateway: EdgeGateway;
  broker: EmbeddedBroker | null;
  mqttPort: number;
  root: string;
  dataDir: string;
  /** Stops the gateway (and its embedded broker); keeps its data unless `wipe`. */
  close: (wipe?: boolean) => Promise<void>;
};

/** A topic root of its own for one test run, so runs on a shared broker never meet. */
export const testRoot = () => `yc-test-${randomBytes(4).toString('hex')}/v1`;

/**
 * Starts the real edge gateway against a hub: with its embedded aedes broker on a free port, or
 * against an external broker at `mqttPort` (the machine's Mosquitto, or one a test started).
 */
export async function startGateway(opts: {
  hubUrl: string;
  hall: HallConfig;
  mqttPort?: number;
  root?: string;
  dataDir?: string;
  logger?: Logger;
  silenceMs?: number;
}): Promise<RunningGateway> {
  const logger = opts.logger ?? pino({ level: process.env.GATEWAY_LOG ?? 'silent' });
  const root = opts.root ?? testRoot();
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'yc-gw-')));
  const broker =
    opts.mqttPort === undefined
      ? await startBroker({ hall: opts.hall, port: 0, host: '127.0.0.1', production: false, root, logger })
      : null;
  const mqttPort = broker?.port ?? opts.mqttPort!;
  const gateway = new EdgeGateway({
    hall: opts.hall,
    gatewayId: 'gateway-1',
    hubUrl: opts.hubUrl,
    hubToken: 'demo-gateway-token',
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    mqttPassword: 'demo',
    dataDir,
    publicUrl: 'http://hall.example',
    root,
    ackTimeoutMs: 3000,
    ...(opts.silenceMs ? { silenceMs: opts.silenceMs } : {}),
    ...(broker ? { onBlocked: (ids: ReadonlySet<string>) => broker.block(ids) } : { dynsec: true }),
    logger,
  });
  gateway.start();
  return {
    gateway,
    broker,
    mqttPort,
    root,
    dataDir,
    close: async (wipe = true) => {
      await gateway.stop();
      await broker?.close();
      if (wipe) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

type Cred = { user?: string; password?: string };
const credArgs = (c: Cred) => [...(c.user ? ['-u', c.user] : []), ...(c.password ? ['-P', c.password] : [])];

/** Publishes one message with Debian's `mosquitto_pub`, a client that is not ours. Resolves with its exit code and stderr. */
export function mosquittoPub(
  port: number,
  topic: string,
  message: unknown,
  cred: Cred,
  qos: 0 | 1 | 2 = 2,
): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'mosquitto_pub',
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        ...credArgs(cred),
        '-q',
        String(qos),
        '-t',
        topic,
        '-m',
        typeof message === 'string' ? message : JSON.stringify(message),
      ],
      { timeout: 10_000 },
      (err, _out, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

/**
 * Subscribes with `mosquitto_sub` and collects `count` messages (topic and JSON payload), or what
 * came within `seconds`. `ready` resolves once the subscription is in place.
 */
export function mosquittoSub(
  port: number,
  topic: string,
  cred: Cred,
  count: number,
  seconds = 10,
): { ready: Promise<void>; messages: Promise<Array<{ topic: string; payload: unknown }>>; stop: () => void } {
  // stdbuf: a piped mosquitto_sub buffers its output until it exits, SUBACK included.
  const child = spawn('stdbuf', [
    '-oL',
    'mosquitto_sub',
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    ...credArgs(cred),
    '-q',
    '2',
    '-v',
    '-d',
    '-t',
    topic,
    '-C',
    String(count),
    '-W',
    String(seconds),
  ]);
  let out = '';
  let ready!: () => void;
  const readyP = new Promise<void>((r) => (ready = r));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    if (out.includes('SUBACK')) ready();
  });
  const messages = new Promise<Array<{ topic: string; payload: unknown }>>((resolve) => {
    child.on('close', () => {
      ready();
      const lines = out.split('\n').filter((l) => l.startsWith(topic.split('/')[0]!) && l.includes(' '));
      resolve(
        lines.map((l) => {
          const i = l.indexOf(' ');
          const text = l.slice(i + 1);
          let payload: unknown = text;
          try {
            payload = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          return { topic: l.slice(0, i), payload };
        }),
      );
    });
  });
  return { ready: readyP, messages, stop: () => child.kill() };
}

/** Waits until `check` passes (or throws its last failure after `ms`). */
export async function eventually<T>(check: () => T | Promise<T>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
