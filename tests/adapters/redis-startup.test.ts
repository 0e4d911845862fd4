import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { pino } from 'pino';
import {
  createApp,
  DEMO_CONFIG_PATH,
  loadInstallation,
  readSettings,
  redisComponents,
} from '@yichuang/server';
import type { InstallationConfig } from '@yichuang/protocol';
import { dropPrefix, REDIS_URL, runPrefix } from '../support/redis.js';
import { capturingLogger } from '../support/hub.js';

// ioredis #2037 (platform facts): a SUBSCRIBE sent during the connection's handshake turns the
// INFO ready check into "Connection in subscriber mode…", and the commands still queued are
// rejected where nobody catches them. A non-zero database index (SELECT in the handshake)
// widens the window, so these tests use database 7.
const DB = 7;
const URL_DB = `${REDIS_URL}/${DB}`;
const RACE = /subscriber mode|Ready check failed/;

let config: InstallationConfig;
const prefixes: string[] = [];
const burners: ChildProcess[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  config = await loadInstallation(DEMO_CONFIG_PATH);
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  for (const b of burners.splice(0)) b.kill('SIGKILL');
  vi.restoreAllMocks();
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  const r = new Redis(URL_DB);
  for (const p of prefixes) await dropPrefix(r, p);
  r.disconnect();
});

const settingsFor = (prefix: string) => ({
  ...readSettings({}),
  redisUrl: URL_DB,
  redisPrefix: prefix,
  tokenSecret: 'startup-test',
  privacyKey: 'startup-test',
});

/** Every connection an ioredis client duplicates while `run` runs, with the errors each reports. */
async function watchDuplicates<T>(run: () => Promise<T>) {
  const made: Array<{ client: Redis; errors: string[] }> = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- applied with its own `this` below
  const original = Redis.prototype.duplicate;
  const spy = vi.spyOn(Redis.prototype, 'duplicate').mockImplementation(function (this: Redis, ...args) {
    const client = original.apply(this, args);
    const entry = { client, errors: [] as string[] };
    client.on('error', (err: Error) => entry.errors.push(err.message));
    made.push(entry);
    return client;
  });
  const result = await run();
  spy.mockRestore();
  return { result, made };
}

/** Keeps both cores busy, as on the busy machine where the crash was seen. */
function loadCpu() {
  for (let i = 0; i < 2; i++) burners.push(spawn(process.execPath, ['-e', 'for(;;){}']));
}

describe('Redis connections at start-up (ioredis #2037)', () => {
  it('subscribe only after the handshake, even when namespaces appear in the middle of it', async () => {
    let hits = 0;
    for (let i = 0; i < 10; i++) {
      const prefix = runPrefix('startup');
      prefixes.push(prefix);
      const logger = pino({ level: 'silent' });
      const { result: components, made } = await watchDuplicates(() =>
        redisComponents(settingsFor(prefix), config, logger),
      );
      // The adapter duplicates its client twice while the components are made, the subscriber
      // last. Create the namespaces (each subscribes) the moment it has connected but is not ready.
      const subscriber = made[made.length - 1]!.client;
      if (subscriber.status !== 'ready') {
        await once(subscriber, 'connect');
        hits++;
      }
      const httpServer = createServer().listen(0, '127.0.0.1');
      const io = new Server(httpServer, { adapter: components.adapter! });
      for (const ns of ['/display', '/counter', '/supervisor', '/gateway']) io.of(ns);
      await new Promise((r) => setTimeout(r, 300));
      const errors = made.flatMap((m) => m.errors).filter((e) => RACE.test(e));
      await io.close();
      await components.scheduler.close();
      await components.log.close();
      await components.release?.();
      expect(errors).toEqual([]);
      expect(unhandled.map(String).filter((e) => RACE.test(e))).toEqual([]);
    }
    // The window was really entered, or the test proved nothing.
    expect(hits).toBeGreaterThan(0);
  }, 60_000);

  it('start and stop many times under CPU load without the error', async () => {
    loadCpu();
    const captured = capturingLogger();
    for (let i = 0; i < 25; i++) {
      const prefix = runPrefix('startup-loop');
      prefixes.push(prefix);
      const { result: app, made } = await watchDuplicates(async () => {
        const components = await redisComponents(settingsFor(prefix), config, captured.logger);
        // Vary when the namespaces appear relative to the connections' handshakes.
        await new Promise((r) => setTimeout(r, i % 5));
        return createApp(createServer(), components);
      });
      await new Promise((r) => setTimeout(r, 50));
      await app.close();
      const errors = made.flatMap((m) => m.errors).filter((e) => RACE.test(e));
      expect(errors, `round ${i}`).toEqual([]);
    }
    expect(unhandled.map(String)).toEqual([]);
    expect(captured.lines.filter((l) => RACE.test(JSON.stringify(l)))).toEqual([]);
  }, 120_000);
});
