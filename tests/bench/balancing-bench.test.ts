import { describe, expect, it } from 'vitest';
import { shortBench } from '../support/bench.js';

/** `npm run bench:balancing` in its short mode: every part runs and measures something sensible. */
describe('npm run bench:balancing --short', () => {
  it('checks against Erlang C, compares policies on the same arrivals, scores predictions and speed', async () => {
    const r = await shortBench<{
      erlangC: Array<{ c: number; rho: number; simulated: number; erlangC: number }>;
      routing: {
        pooledErlangC: number;
        rows: Array<{ chain: string; demand: string; policy: string; mean: number }>;
        sizes: Array<{ counters: number; team: number; mean: number; pooled: number }>;
      };
      predictions: Array<{ scenario: string; engine: number; naive: number; withinBand: number }>;
      speed: { hallDaysPerSecond: number; ticketsPerDay: number };
    }>('balancing.ts');
    expect(r.erlangC.map((x) => `${x.c}/${x.rho}`)).toEqual([
      '4/0.7',
      '4/0.85',
      '4/0.95',
      '12/0.7',
      '12/0.85',
      '12/0.95',
      '20/0.7',
      '20/0.85',
      '20/0.95',
    ]);
    for (const x of r.erlangC) expect(x.simulated).toBeGreaterThan(0);
    // Dedicated counters lose the chain's pooling: their waits are the longest on every demand.
    const cases = new Set(r.routing.rows.map((x) => `${x.chain}/${x.demand}`));
    expect(cases.size).toBe(6);
    for (const c of cases) {
      const rows = r.routing.rows.filter((x) => `${x.chain}/${x.demand}` === c);
      const dedicated = rows.find((x) => x.policy === 'dedicated')!.mean;
      for (const x of rows) expect(x.mean).toBeLessThanOrEqual(dedicated);
    }
    // The same eight counters pool more in teams of two (each service has four counters, not two).
    const even = (chain: string) =>
      r.routing.rows.find((x) => x.chain === chain && x.demand === 'even' && x.policy === 'balanced')!.mean;
    expect(even('two counters a service')).toBeLessThan(even('one counter a service'));
    expect(r.routing.sizes.length).toBeGreaterThan(0);
    for (const x of r.routing.sizes) expect(x.mean).toBeGreaterThanOrEqual(0);
    // The engine's predictions beat the naive estimate on the city-centre day (the others need
    // more than the short mode's two days to tell apart: see docs/benchmarks.md).
    expect(r.predictions[0]!.engine).toBeLessThan(r.predictions[0]!.naive);
    for (const p of r.predictions) expect(p.withinBand).toBeGreaterThan(0.5);
    expect(r.speed.ticketsPerDay).toBeGreaterThan(800);
    expect(r.speed.hallDaysPerSecond).toBeGreaterThan(0);
  }, 150_000);
});
