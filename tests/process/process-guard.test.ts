import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import {
  componentOf,
  HallService,
  HallStateUnknownError,
  MemoryBroadcaster,
  MemoryEventLog,
  MemoryScheduler,
} from '@yichuang/server';
import { smallHall, staff, T0 } from '../support/factories.js';

const CHILD = fileURLToPath(new URL('../support/guarded-child.ts', import.meta.url));
const runChild = (mode: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', CHILD, mode], { encoding: 'utf8', timeout: 20_000 });
const lines = (out: string) =>
  out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the process guard', () => {
  it('logs and counts an unhandled rejection and an uncaught exception, and the process keeps running', () => {
    const r = runChild('survive');
    expect(r.status).toBe(0);
    const out = lines(r.stdout);
    const logged = out.filter((l) => l.level === 50);
    expect(logged.map((l) => l.kind)).toEqual(['unhandledRejection', 'uncaughtException']);
    expect(logged.every((l) => l.component === 'hub')).toBe(true);
    const end = out.find((l) => l.alive) as { metrics: string };
    expect(end.metrics).toContain('yc_process_faults_total{kind="unhandledRejection"} 1');
    expect(end.metrics).toContain('yc_process_faults_total{kind="uncaughtException"} 1');
  });

  it('stops the process, with a clear message, only when a hall state is unknown', () => {
    const r = runChild('fatal');
    expect(r.status).toBe(70);
    const fatal = lines(r.stdout).find((l) => l.level === 60) as { err: { message: string } };
    expect(fatal.err.message).toMatch(/could not cut off a failed write/);
  });

  it('names the component an error came from', () => {
    const fake = (path: string) =>
      Object.assign(new Error('x'), { stack: `Error: x\n    at f (${path}:1:1)` });
    expect(componentOf(fake('/app/node_modules/ioredis/built/Redis.js'))).toBe('redis');
    expect(componentOf(fake('/app/node_modules/bullmq/dist/cjs/classes/worker.js'))).toBe('bullmq');
    expect(componentOf(fake('/app/node_modules/socket.io/dist/index.js'))).toBe('socket.io');
    expect(componentOf(fake('/app/node_modules/mqtt/build/lib/client.js'))).toBe('mqtt');
    expect(componentOf(fake('/app/server/src/app.ts'))).toBe('hub');
  });

  it('hands a log that cannot say what it holds to the fatal handler, answering the command unavailable', async () => {
    const log = new MemoryEventLog();
    log.append = () => Promise.reject(new HallStateUnknownError('journal unknown'));
    const fatal: Error[] = [];
    const clock = { now: () => T0 };
    const halls = new HallService({
      log,
      scheduler: new MemoryScheduler(clock),
      broadcaster: new MemoryBroadcaster(),
      clock,
      newId: () => 'x',
      logger: pino({ level: 'silent' }),
      onFatal: (err) => fatal.push(err),
    });
    await halls.load([smallHall()]);
    const r = await halls.execute('h1', { type: 'counter:open', counterId: 'c1' }, staff('s1'));
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(fatal).toHaveLength(1);
    expect(halls.state('h1')!.version).toBe(0);
  });
});
