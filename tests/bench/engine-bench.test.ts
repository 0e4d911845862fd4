import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** `npm run bench:engine` in its short mode: it runs, measures, and its issuing audit holds. */
describe('npm run bench:engine --short', () => {
  it('measures transitions by day size and audited REST issuing against the stock server', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yc-bench-test-'));
    const out = join(dir, 'engine.json');
    const script = fileURLToPath(new URL('../../scripts/bench/engine.ts', import.meta.url));
    try {
      await promisify(execFile)(process.execPath, ['--import', 'tsx', script, '--short', '--json', out], {
        timeout: 120_000,
      });
      const r = JSON.parse(await readFile(out, 'utf8')) as {
        rows: Array<{ tickets: number; transitionsPerSecond: number }>;
        issuing: Array<Record<string, string | number>>;
      };
      expect(r.rows.map((x) => x.tickets)).toEqual([100, 1000]);
      for (const row of r.rows) expect(row.transitionsPerSecond).toBeGreaterThan(0);
      expect(r.issuing[0]!['numbering audit']).toBe('gapless per service, all 1000 acknowledged present');
      expect(r.issuing[1]!.issued).toBe(1000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
