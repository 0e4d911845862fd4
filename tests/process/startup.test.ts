import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildHub } from '../support/child-hub.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'yc-start-'));
  dirs.push(d);
  return d;
};

describe('start-up refusals', () => {
  it('refuses the demo hall under NODE_ENV=production', async () => {
    const err = await startChildHub(await tempDir(), { NODE_ENV: 'production' }).then(
      (hub) => {
        hub.child.kill('SIGKILL');
        return 'started';
      },
      (e: Error) => e.message,
    );
    expect(String(err)).toContain('exited with 1');
    expect(String(err)).toContain('demo hall has public passwords');
  });

  it('refuses an invalid hall file, naming the field', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'halls.json'), JSON.stringify({ halls: [{ id: 'x', name: 'x' }] }));
    const err = await startChildHub(dir, { HALL_CONFIG: join(dir, 'halls.json') }).then(
      (hub) => {
        hub.child.kill('SIGKILL');
        return 'started';
      },
      (e: Error) => e.message,
    );
    expect(String(err)).toContain('exited with 1');
    expect(String(err)).toMatch(/halls\.0\.(nameEn|level|services)/);
  });

  it('refuses to start on a journal damaged before its last line', async () => {
    const dataDir = await tempDir();
    await mkdir(join(dataDir, 'journal'));
    await writeFile(join(dataDir, 'journal', 'demo.jsonl'), 'garbage\n{"v":1,"e":[],"crc":0}\n');
    const refused = await startChildHub(dataDir).then(
      (hub) => {
        hub.child.kill('SIGKILL');
        return 'started';
      },
      (e: Error) => e.message,
    );
    expect(String(refused)).toContain('exited with 1');
    expect(String(refused)).toContain('corrupt at line 1');
  });
});
