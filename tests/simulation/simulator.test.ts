import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { erlangCWait, Scenario, simulate } from '@yichuang/server';
import { scenarioJsonSchema } from '../../scripts/simulate.js';

/** An M/M/c hall: `c` fully skilled counters, Poisson arrivals, exponential handling of mean 10 min. */
function mmc(c: number, rho: number, services = 3) {
  const mean = 10;
  const lambda = (rho * c) / mean; // per minute
  return {
    lambda,
    mean,
    scenario: Scenario.parse({
      name: `M/M/${c}, ρ = ${rho}`,
      open: '00:00',
      close: '23:00',
      // Split over services so no service runs out of its 999 numbers a day; every counter serves all.
      services: Array.from({ length: services }, (_, i) => ({
        id: `s${i}`,
        name: `service ${i}`,
        prefix: String.fromCharCode(65 + i),
        arrivals: (lambda * 60) / services,
        handling: { kind: 'exponential', meanMinutes: mean },
      })),
      counters: Array.from({ length: c }, (_, i) => ({
        id: `c${i + 1}`,
        number: i + 1,
        services: Array.from({ length: services }, (_, k) => `s${k}`),
      })),
    }),
  };
}

describe('the hall simulator', () => {
  it('agrees with Erlang C on an M/M/4 hall at ρ = 0.7 (the real engine calling in its order)', () => {
    const { scenario, lambda, mean } = mmc(4, 0.7);
    const r = simulate(scenario, { days: 30, seed: 11 });
    const waits = Object.values(r.waits).map((w) => w.all!);
    const count = waits.reduce((a, w) => a + w.count, 0);
    const simulated = waits.reduce((a, w) => a + w.mean * w.count, 0) / count;
    const expected = erlangCWait(4, lambda, mean);
    expect(expected).toBeCloseTo(3.57, 1);
    // Each day starts empty, which pulls the mean a little below the steady state.
    expect(Math.abs(simulated - expected) / expected).toBeLessThan(0.1);
    const utilisation = Object.values(r.utilisation);
    for (const u of utilisation) expect(u).toBeGreaterThan(0.6);
    expect(count).toBe(r.tickets); // everybody who took a ticket was called
  });

  it('is deterministic for a seed, and serves everybody who came', async () => {
    const s = Scenario.parse(
      JSON.parse(await readFile(new URL('../../scenarios/city-centre.json', import.meta.url), 'utf8')),
    );
    const a = simulate(s, { days: 2, seed: 5 });
    const b = simulate(s, { days: 2, seed: 5 });
    const c = simulate(s, { days: 2, seed: 6 });
    expect({ ...a, elapsedMs: 0 }).toEqual({ ...b, elapsedMs: 0 });
    expect(c.tickets).not.toBe(a.tickets);
    const called = Object.values(a.waits).reduce((n, w) => n + w.all!.count, 0);
    expect(called).toBe(a.tickets);
    // Special care is called sooner than normal where both queue (R15).
    const si = a.waits['social-insurance']!;
    expect(si['special-care']!.mean).toBeLessThan(si.normal!.mean);
  });

  it('runs every scenario shipped in scenarios/', async () => {
    const dir = new URL('../../scenarios/', import.meta.url);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) {
      const s = Scenario.parse(JSON.parse(await readFile(new URL(f, dir), 'utf8')));
      const r = simulate(s, { days: 1, seed: 1 });
      expect(r.tickets, f).toBeGreaterThan(0);
      expect(
        Object.values(r.waits).reduce((n, w) => n + w.all!.count, 0),
        f,
      ).toBe(r.tickets);
    }
  });

  it('refuses a malformed scenario with the reason', () => {
    const bad = Scenario.safeParse({
      name: 'x',
      open: '9:00',
      close: '17:00',
      services: [],
      counters: [],
      extra: 1,
    });
    expect(bad.success).toBe(false);
  });

  it('documents its scenario format in docs/scenario.schema.json (npm run docs:scenario)', async () => {
    const doc = JSON.parse(
      await readFile(new URL('../../docs/scenario.schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(doc).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });
});
