import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffSnapshot } from '@yichuang/protocol';
import { http } from '../support/hub.js';
import {
  childToken,
  demoHallFile,
  everyDay,
  redisNodes,
  soonClosing,
  type ChildHub,
} from '../support/child-hub.js';

/**
 * #11: the live rules' timers live in BullMQ, so a node killed after arming them does not take
 * them along: a node started afterwards (or the survivor) delivers them once. The hall here has an
 * absence limit of 4 seconds and closes one minute after the next whole minute, with a forecast
 * one minute before closing (so within a minute of the start).
 */
const cluster = redisNodes('timers');
let config = '';
let closesAt = 0;

const node = (): Promise<ChildHub> => cluster.start({ HALL_CONFIG: config });

beforeAll(async () => {
  const dir = await cluster.tempDir('timers-cfg');
  const { zone, closes } = soonClosing(1);
  closesAt = closes.toMillis();
  config = await demoHallFile(dir, {
    timeZone: zone,
    openingHours: everyDay('00:00', closes.toFormat('HH:mm')),
    rules: { issuing: 'always', absenceLimitMinutes: 4 / 60, closingMarks: [1] },
  });
});
afterAll(() => cluster.stop());

const mgr = childToken('mgr01');
const snapshot = async (n: ChildHub) =>
  (await http(`${n.url}/api/v1/halls/demo/snapshot`, 'GET', undefined, mgr)).body as StaffSnapshot;
const eventually = async <T>(read: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`not in time: ${JSON.stringify(v).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe('live-rule timers on Redis survive a killed node', () => {
  it('an absence armed on a node killed at once alerts once through another; the closing forecast comes once', async () => {
    const a = await node();
    const clerk = childToken('s05');
    await http(`${a.url}/api/v1/halls/demo/counters/c05/open`, 'POST', {}, clerk);
    await http(`${a.url}/api/v1/halls/demo/tickets`, 'POST', { serviceId: 'vehicles' });
    await http(`${a.url}/api/v1/halls/demo/counters/c05/pause`, 'POST', { reason: 'break' }, clerk);
    a.child.kill('SIGKILL');
    await a.exited;

    const b = await node();
    const alerted = await eventually(
      () => snapshot(b),
      (s) => s.alerts.some((x) => x.kind === 'absence' && x.counterId === 'c05'),
      20_000,
    );
    expect(alerted.alerts.filter((x) => x.kind === 'absence')).toHaveLength(1);

    // The forecast one minute before closing: a vehicles ticket nobody serves is at risk.
    const forecast = await eventually(
      () => snapshot(b),
      (s) => s.alerts.some((x) => x.kind === 'closing-risk'),
      closesAt - Date.now() + 15_000,
    );
    expect(forecast.alerts.filter((x) => x.kind === 'closing-risk')).toEqual([
      expect.objectContaining({ rule: 'R26', detail: '1', ticketIds: [expect.any(String)] }),
    ]);
    // A second node started now finds nothing more to do: each timer was delivered once.
    const c = await node();
    await new Promise((r) => setTimeout(r, 1500));
    const after = await snapshot(c);
    expect(after.alerts.filter((x) => x.kind === 'absence')).toHaveLength(1);
    expect(after.alerts.filter((x) => x.kind === 'closing-risk')).toHaveLength(1);
  }, 150_000);
});
