import { describe, expect, it } from 'vitest';
import { shortBench } from '../support/bench.js';

/** `npm run bench:chain` in its short mode: the independent chain model runs and tells rules apart. */
describe('npm run bench:chain --short', () => {
  it('measures every rule on both chains, none under the pooled bound, teams of two pooling more', async () => {
    const r = await shortBench<{
      rows: Array<{ counters: number; team: number; pooled: number; waits: Record<string, number> }>;
    }>('chain-routing.ts');
    expect(r.rows.map((x) => `${x.counters}/${x.team}`)).toEqual(['8/1', '8/2']);
    for (const row of r.rows) {
      expect(Object.keys(row.waits).sort()).toEqual(['longest', 'look-ahead', 'oldest']);
      // A chain cannot beat every counter serving everything (a little noise allowed).
      for (const w of Object.values(row.waits)) expect(w).toBeGreaterThan(row.pooled * 0.95);
    }
    const [one, two] = r.rows;
    for (const rule of Object.keys(one!.waits)) expect(two!.waits[rule]).toBeLessThan(one!.waits[rule]!);
  }, 150_000);
});
