import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// The fault soak's short mode (issue #7): its own Redis, two nodes, a balancer, 200 screens and a
// fixed seed, so a failure here can be replayed with `npm run soak -- --short --seed 20261128`.
describe('fault soak, short mode', () => {
  it('loses nothing acknowledged, issues no number twice, calls no ticket to two counters, and every screen ends on the final version', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yc-soak-test-'));
    const out = join(dir, 'soak.json');
    const output: string[] = [];
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'scripts/soak/index.ts', '--short', '--seed', '20261128', '--json', out],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
      child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
      child.once('exit', resolve);
    });
    const result = JSON.parse(await readFile(out, 'utf8').catch(() => '{}')) as {
      summary?: Record<string, unknown>;
      failures?: string[];
    };
    await rm(dir, { recursive: true, force: true });
    expect(result.failures, output.join('').slice(-4000)).toEqual([]);
    expect(code).toBe(0);
    const s = result.summary!;
    expect(s).toMatchObject({
      lostTickets: 0,
      lostCalls: 0,
      duplicateNumbers: 0,
      doubleCalls: 0,
      gapless: true,
      unexpectedExits: 0,
    });
    expect(s.screensOnFinalVersion).toBe(200);
    expect(s.ticketsAcknowledged as number).toBeGreaterThan(100);
    for (const kind of ['kill-node', 'restart-redis', 'pause-redis', 'drop-clients'])
      expect((s.faults as Record<string, number>)[kind], kind).toBeGreaterThan(0);
  }, 600_000);
});
