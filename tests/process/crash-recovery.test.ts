import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { http } from '../support/hub.js';
import { childToken, startChildHub, type ChildHub } from '../support/child-hub.js';

const children: ChildHub[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const c of children) c.child.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const SERVICES = ['social-insurance', 'medical-insurance', 'tax', 'household'];
const seqOf = (number: string) => Number(number.slice(1));

describe('a hub killed in the middle of a burst', () => {
  it('loses no acknowledged ticket or call, and keeps numbering after restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'yc-crash-'));
    dirs.push(dataDir);
    const first = await startChildHub(dataDir);
    children.push(first);
    const api = (url: string, path: string) => `${url}/api/v1${path}`;
    const mgr = childToken('mgr01');
    for (const [c, s] of [
      ['c03', 's03'],
      ['c04', 's04'],
      ['c09', 's09'],
    ])
      expect(
        (await http(api(first.url, `/halls/demo/counters/${c}/open`), 'POST', { staffId: s }, mgr)).status,
      ).toBe(200);

    const issued = new Map<string, { number: string; serviceId: string }>();
    const calledAcks = new Map<string, string>(); // ticket id -> counter id
    const completedAcks = new Set<string>();
    let stop = false;

    const issuer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const serviceId = SERVICES[(w + i) % SERVICES.length]!;
        try {
          const r = await http(api(first.url, '/halls/demo/tickets'), 'POST', { serviceId });
          if (r.status === 201) issued.set(r.body.id, { number: r.body.number, serviceId });
        } catch {
          return; // the hub is gone
        }
      }
    };
    const clerk = async (counterId: string) => {
      while (!stop) {
        try {
          const called = await http(
            api(first.url, `/halls/demo/counters/${counterId}/call-next`),
            'POST',
            undefined,
            mgr,
          );
          if (called.status !== 200) continue;
          calledAcks.set(called.body.id, counterId);
          const done = await http(
            api(first.url, `/halls/demo/counters/${counterId}/complete`),
            'POST',
            { outcome: 'accepted' },
            mgr,
          );
          if (done.status === 200) completedAcks.add(called.body.id);
        } catch {
          return;
        }
      }
    };
    const workers = [0, 1, 2, 3, 4, 5].map(issuer).concat(['c03', 'c04', 'c09'].map(clerk));
    // Kill once a good number of commands were acknowledged, while requests are still in flight.
    while (issued.size < 150 || completedAcks.size < 20) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await first.exited;

    const second = await startChildHub(dataDir);
    children.push(second);
    for (const [id, t] of issued) {
      const r = await http(api(second.url, `/tickets/${id}`), 'GET');
      expect(r.status, `acknowledged ticket ${t.number} lost`).toBe(200);
      expect(r.body.number).toBe(t.number);
    }
    for (const id of calledAcks.keys()) {
      const r = await http(api(second.url, `/tickets/${id}`), 'GET');
      expect(['called', 'serving', 'completed']).toContain(r.body.status);
    }
    for (const id of completedAcks)
      expect((await http(api(second.url, `/tickets/${id}`), 'GET')).body.status).toBe('completed');

    // Numbering continues past every number handed out before the crash: nothing is issued twice.
    for (const serviceId of SERVICES) {
      const highest = Math.max(
        0,
        ...[...issued.values()].filter((t) => t.serviceId === serviceId).map((t) => seqOf(t.number)),
      );
      const next = await http(api(second.url, '/halls/demo/tickets'), 'POST', { serviceId });
      expect(seqOf(next.body.number)).toBeGreaterThan(highest);
    }
    // No ticket is left at two counters after the replay.
    const snap = await http(api(second.url, '/halls/demo/snapshot'), 'GET', undefined, mgr);
    const held = snap.body.counterStatus.flatMap((c: { ticketId: string | null }) =>
      c.ticketId ? [c.ticketId] : [],
    );
    expect(new Set(held).size).toBe(held.length);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 90_000);
});
