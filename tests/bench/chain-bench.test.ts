import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** `npm run bench:chain` in its short mode: the independent chain model runs and tells rules apart. */
describe('npm run bench:chain --short', () => {
  it('measures every rule on both chains, none under the pooled bound, teams of two pooling more', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yc-chain-test-'));
    const out = join(dir, 'chain.json');
    const script = fileURLToPath(new URL('../../scripts/bench/chain-routing.ts', import.meta.url));
    try {
      await promisify(execFile)(process.execPath, ['--import', 'tsx', script, '--short', '--json', out], {
        timeout: 120_000,
        cwd: fileURLToPath(new URL('../../', import.meta.url)),
      });
      const r = JSON.parse(await readFile(out, 'utf8')) as {
        rows: Array<{ counters: number; team: number; pooled: number; waits: Record<string, number> }>;
      };
      expect(r.rows.map((x) => `${x.counters}/${x.team}`)).toEqual(['8/1', '8/2']);
      for (const row of r.rows) {
        expect(Object.keys(row.waits).sort()).toEqual(['longest', 'look-ahead', 'oldest']);
        // A chain cannot beat every counter serving everything (a little noise allowed).
        for (const w of Object.values(row.waits)) expect(w).toBeGreaterThan(row.pooled * 0.95);
      }
      const [one, two] = r.rows;
      for (const rule of Object.keys(one!.waits)) expect(two!.waits[rule]).toBeLessThan(one!.waits[rule]!);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
