import { describe, expect, it } from 'vitest';
import { shortBench } from '../support/bench.js';

/** `npm run bench:engine` in its short mode: it runs, measures, and its issuing audit holds. */
describe('npm run bench:engine --short', () => {
  it('measures transitions by day size and audited REST issuing against the stock server', async () => {
    const r = await shortBench<{
      rows: Array<{ tickets: number; transitionsPerSecond: number }>;
      issuing: Array<Record<string, string | number>>;
    }>('engine.ts');
    expect(r.rows.map((x) => x.tickets)).toEqual([100, 1000]);
    for (const row of r.rows) expect(row.transitionsPerSecond).toBeGreaterThan(0);
    expect(r.issuing[0]!['numbering audit']).toBe('gapless per service, all 1000 acknowledged present');
    expect(r.issuing[1]!.issued).toBe(1000);
  }, 150_000);
});
