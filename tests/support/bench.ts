import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Runs a benchmark script of `scripts/bench` in its short mode, from the repository's root, and
 * returns what it wrote with `--json` (the script writes nothing else in short mode).
 */
export async function shortBench<T>(script: string): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'yc-bench-test-'));
  const out = join(dir, 'result.json');
  try {
    await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL(`../../scripts/bench/${script}`, import.meta.url)),
        '--short',
        '--json',
        out,
      ],
      { timeout: 120_000, cwd: fileURLToPath(new URL('../../', import.meta.url)) },
    );
    return JSON.parse(await readFile(out, 'utf8')) as T;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
