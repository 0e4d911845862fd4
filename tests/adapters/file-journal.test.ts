import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VersionedEvent } from '@yichuang/protocol';
import { FileHallStore, FileJournal, JournalCorruptError } from '@yichuang/server';

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

describe('file journal segments (#14)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yc-journal-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const all = (n: number) => Array.from({ length: n }, (_v, i) => ev(i + 1));

  it('rolls the lines behind a version into a segment; a start reads only the rest, history all', async () => {
    const j = new FileJournal(dir);
    // Group commits of two: a line is never split, so compacting to 5 rolls up to 4.
    for (let v = 1; v <= 9; v += 2) await j.append('h', v - 1, v === 9 ? [ev(9)] : [ev(v), ev(v + 1)]);
    expect(await j.compact('h', 5)).toBe(4);
    expect(await j.read('h', 0)).toEqual(all(9));
    expect(await j.read('h', 6)).toEqual([ev(7), ev(8), ev(9)]);
    expect(await j.append('h', 9, [ev(10)])).toEqual({ ok: true, version: 10 });
    expect(await j.compact('h', 8)).toBe(8);
    await j.close();

    const files = (await readdir(dir)).sort();
    expect(files).toEqual([
      'h.jsonl',
      'h.seg-000000000001-000000000004.jsonl',
      'h.seg-000000000005-000000000008.jsonl',
    ]);
    // The journal itself holds only what came after: a start scans that much.
    expect((await readFile(join(dir, 'h.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(2);
    const again = new FileJournal(dir);
    expect(await again.read('h', 8)).toEqual([ev(9), ev(10)]);
    expect(await again.read('h', 0)).toEqual(all(10));
    expect(await again.append('h', 9, [ev(10)])).toEqual({ ok: false, conflict: true, currentVersion: 10 });
    expect(await again.append('h', 10, [ev(11)])).toEqual({ ok: true, version: 11 });
    await again.close();
  });

  it('a crash between writing the segment and replacing the journal loses and doubles nothing', async () => {
    const j = new FileJournal(dir);
    for (let v = 1; v <= 6; v++) await j.append('h', v - 1, [ev(v)]);
    await j.close();
    // The segment made it to disk, the journal was not replaced yet.
    const lines = (await readFile(join(dir, 'h.jsonl'), 'utf8')).split('\n');
    await writeFile(join(dir, 'h.seg-000000000001-000000000004.jsonl'), lines.slice(0, 4).join('\n') + '\n');
    const again = new FileJournal(dir);
    expect(await again.read('h', 0)).toEqual(all(6));
    expect(await again.append('h', 6, [ev(7)])).toEqual({ ok: true, version: 7 });
    // And the next compaction completes it.
    expect(await again.compact('h', 5)).toBe(5);
    expect(await again.read('h', 0)).toEqual(all(7));
    await again.close();
    expect(await new FileJournal(dir).read('h', 0)).toEqual(all(7));
  });
});

describe('file hall store (#14)', () => {
  it('keeps the newest snapshot whatever order concurrent saves finish in, and survives a reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yc-snapshots-'));
    try {
      const store = new FileHallStore(dir);
      const big = (version: number) => ({ version, state: { pad: 'x'.repeat(200_000), version } });
      await Promise.all([store.save('h', big(3)), store.save('h', big(7)), store.save('h', big(5))]);
      expect((await store.load('h'))?.version).toBe(7);
      expect((await new FileHallStore(dir).load('h'))?.state).toEqual(big(7).state);
      await new FileHallStore(dir).save('h', big(6));
      expect((await store.load('h'))?.version).toBe(7);
      expect(await store.load('other')).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
