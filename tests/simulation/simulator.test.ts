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
    const r = simulate(scenario, { days: 60, seed: 11, warmupMinutes: 180 });
    const waits = Object.values(r.waits).map((w) => w.all!);
    const count = waits.reduce((a, w) => a + w.count, 0);
    const simulated = waits.reduce((a, w) => a + w.mean * w.count, 0) / count;
    const expected = erlangCWait(4, lambda, mean);
    expect(expected).toBeCloseTo(3.57, 1);
    // Each day starts empty: its first three hours are left out (warm-up), as in the benchmark.
    // About 20,000 applicants: the sampling error of a mean wait at this load is several per cent
    // (the ±3 % grid with ten times as many is npm run bench:balancing).
    expect(Math.abs(simulated - expected) / expected).toBeLessThan(0.1);
    const utilisation = Object.values(r.utilisation);
    for (const u of utilisation) expect(u).toBeGreaterThan(0.6);
    expect(count).toBeGreaterThan(0.85 * r.tickets); // all but the warm-up's
  });

  it('carries the queue over midnight in a continuous run, where a hall day starts empty', () => {
    const { scenario } = mmc(4, 0.95);
    const days = simulate(scenario, { days: 6, seed: 4 });
    const continuous = simulate(scenario, { days: 6, seed: 4, continuous: true });
    // Round the clock for six days: more applicants than six 23-hour days, and longer waits.
    expect(continuous.tickets).toBeGreaterThan(days.tickets);
    expect(continuous.overall.mean).toBeGreaterThan(days.overall.mean);
    expect(continuous.overall.count).toBe(continuous.tickets);
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

  describe('hall days as they happen', () => {
    /** One counter, one service: 6 an hour, 5-minute services, 09:00–12:00. */
    const small = (extra: Record<string, unknown> = {}) =>
      Scenario.parse({
        name: 'one window',
        open: '09:00',
        close: '12:00',
        services: [
          { id: 's', name: 's', prefix: 'A', arrivals: 6, handling: { kind: 'exponential', meanMinutes: 5 } },
        ],
        counters: [{ id: 'c1', number: 1, services: ['s'] }],
        ...extra,
      });

    it('a staff break holds the queue for its length, and everybody is still served', () => {
      const plain = simulate(small(), { days: 20, seed: 3 });
      const breaks = simulate(small({ breaks: [{ counter: 'c1', from: '10:00', minutes: 45 }] }), {
        days: 20,
        seed: 3,
      });
      expect(breaks.overall.mean).toBeGreaterThan(plain.overall.mean + 5);
      expect(breaks.overall.max).toBeGreaterThan(35);
      expect(breaks.overall.count).toBe(breaks.tickets);
    });

    it('appointment holders come early and are called near their slot', () => {
      const r = simulate(
        small({
          services: [
            {
              id: 's',
              name: 's',
              prefix: 'A',
              arrivals: 9,
              handling: { kind: 'exponential', meanMinutes: 5 },
              appointmentShare: 0.3,
            },
          ],
        }),
        { days: 20, seed: 3 },
      );
      const w = r.waits.s!;
      expect(w.appointment!.count).toBeGreaterThan(0.2 * w.all!.count);
      // Counted from the slot, an appointment waits less than a walk-in (10 minutes' head start).
      expect(w.appointment!.mean).toBeLessThan(w.normal!.mean);
    });

    it('a power cut stops every counter while tickets are still issued', () => {
      const cut = simulate(small({ outages: [{ from: '09:30', minutes: 60 }] }), { days: 20, seed: 3 });
      expect(cut.overall.max).toBeGreaterThan(50);
      expect(cut.overall.count).toBe(cut.tickets);
    });

    it('a hall whose staff are all absent serves nobody and predicts nothing', () => {
      const r = simulate(small({ absentShare: 1 }), { days: 2, seed: 3 });
      expect(r.tickets).toBeGreaterThan(0);
      expect(r.overall.count).toBe(0);
      expect(r.predictions.engine.count).toBe(0);
    });

    it('a faster staff member serves more, and runs compare policies on the same arrivals', async () => {
      const s = Scenario.parse(
        JSON.parse(await readFile(new URL('../../scenarios/city-centre.json', import.meta.url), 'utf8')),
      );
      const runs = (['balanced', 'fifo', 'dedicated'] as const).map((policy) =>
        simulate(s, { days: 2, seed: 9, policy }),
      );
      // Common random numbers: the same applicants came, whatever the policy.
      expect(new Set(runs.map((r) => r.tickets)).size).toBe(1);
      expect(runs.map((r) => r.policy)).toEqual(['balanced', 'fifo', 'dedicated']);
      const fast = simulate(
        Scenario.parse({ ...small(), counters: [{ id: 'c1', number: 1, services: ['s'], speed: 2 }] }),
        { days: 20, seed: 3 },
      );
      expect(fast.utilisation.c1!).toBeLessThan(
        simulate(small(), { days: 20, seed: 3 }).utilisation.c1! * 0.7,
      );
    });

    it('scores the waits shown at issue: the engine beats the naive estimate and nine in ten fall in the band', async () => {
      const s = Scenario.parse(
        JSON.parse(await readFile(new URL('../../scenarios/city-centre.json', import.meta.url), 'utf8')),
      );
      const r = simulate(s, { days: 4, seed: 2, policy: 'balanced' });
      const p = r.predictions;
      expect(p.engine.count).toBeGreaterThan(1000);
      expect(p.engine.rmse).toBeLessThan(p.naive.rmse);
      expect(p.engine.withinBand).toBeGreaterThan(0.85);
    });
  });
});
