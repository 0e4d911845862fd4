import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VersionedEvent } from '@yichuang/protocol';
import { FileJournal, JournalCorruptError } from '@yichuang/server';

const ev = (version: number): VersionedEvent => ({
  type: 'counter:resumed',
  at: version,
  counterId: 'c1',
  version,
});

describe('file journal recovery', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yc-journal-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function written(n: number) {
    const j = new FileJournal(dir);
    for (let v = 1; v <= n; v++) await j.append('h', v - 1, [ev(v)]);
    await j.close();
    return join(dir, 'h.jsonl');
  }

  it('survives a reopen with every event and its version', async () => {
    await written(3);
    const j = new FileJournal(dir);
    expect(await j.read('h', 0)).toEqual([ev(1), ev(2), ev(3)]);
    expect(await j.append('h', 3, [ev(4)])).toEqual({ ok: true, version: 4 });
    await j.close();
  });

  it('reports a truncated last line, moves it aside, and goes on from the last good line', async () => {
    const path = await written(2);
    await appendFile(path, '{"v":3,"e":[{"type":"counter:res');
    const problems: unknown[] = [];
    const j = new FileJournal(dir, (p) => problems.push(p));
    expect(await j.read('h', 0)).toEqual([ev(1), ev(2)]);
    expect(j.problems).toEqual([expect.objectContaining({ hallId: 'h', kind: 'truncated-tail', line: 3 })]);
    expect(problems).toHaveLength(1);
    const aside = (await readdir(dir)).find((f) => f.includes('.corrupt-'));
    expect(await readFile(join(dir, aside!), 'utf8')).toBe('{"v":3,"e":[{"type":"counter:res');
    // The next append starts on a clean line and the journal reads back whole.
    expect(await j.append('h', 2, [ev(3)])).toEqual({ ok: true, version: 3 });
    await j.close();
    const again = new FileJournal(dir);
    expect(await again.read('h', 0)).toEqual([ev(1), ev(2), ev(3)]);
    expect(again.problems).toEqual([]);
    await again.close();
  });

  it('reports a last line whose checksum does not match', async () => {
    const path = await written(2);
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[1] = lines[1]!.replace('"at":2', '"at":7');
    await writeFile(path, lines.join('\n'));
    const j = new FileJournal(dir);
    expect(await j.read('h', 0)).toEqual([ev(1)]);
    expect(j.problems[0]).toMatchObject({ kind: 'corrupt-tail', line: 2 });
    await j.close();
  });

  it('refuses to start on damage before the last line', async () => {
    const path = await written(3);
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[0] = 'garbage';
    await writeFile(path, lines.join('\n'));
    const j = new FileJournal(dir);
    await expect(j.read('h', 0)).rejects.toBeInstanceOf(JournalCorruptError);
    await j.close();
  });
});
