import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** `npm run bench:balancing` in its short mode: every part runs and measures something sensible. */
describe('npm run bench:balancing --short', () => {
  it('checks against Erlang C, compares policies on the same arrivals, scores predictions and speed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yc-balancing-test-'));
    const out = join(dir, 'balancing.json');
    const script = fileURLToPath(new URL('../../scripts/bench/balancing.ts', import.meta.url));
    try {
      await promisify(execFile)(process.execPath, ['--import', 'tsx', script, '--short', '--json', out], {
        timeout: 120_000,
        cwd: fileURLToPath(new URL('../../', import.meta.url)),
      });
      const r = JSON.parse(await readFile(out, 'utf8')) as {
        erlangC: Array<{ c: number; rho: number; simulated: number; erlangC: number }>;
        routing: { pooledErlangC: number; rows: Array<{ demand: string; policy: string; mean: number }> };
        predictions: Array<{ scenario: string; engine: number; naive: number; withinBand: number }>;
        speed: { hallDaysPerSecond: number; ticketsPerDay: number };
      };
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
      for (const demand of new Set(r.routing.rows.map((x) => x.demand))) {
        const rows = r.routing.rows.filter((x) => x.demand === demand);
        const dedicated = rows.find((x) => x.policy === 'dedicated')!.mean;
        for (const x of rows) expect(x.mean).toBeLessThanOrEqual(dedicated);
      }
      // The engine's predictions beat the naive estimate on the city-centre day (the others need
      // more than the short mode's two days to tell apart: see docs/benchmarks.md).
      expect(r.predictions[0]!.engine).toBeLessThan(r.predictions[0]!.naive);
      for (const p of r.predictions) expect(p.withinBand).toBeGreaterThan(0.5);
      expect(r.speed.ticketsPerDay).toBeGreaterThan(800);
      expect(r.speed.hallDaysPerSecond).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
