import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Id } from '@yichuang/protocol';
import type { HallSnapshot, HallStore } from '../../ports/index.js';

/**
 * #14: hall snapshots of the embedded mode, one JSON file per hall, so a start replays only the
 * journal after the latest one. Written to a temporary file, fsynced, then renamed over the old one:
 * a crash leaves the old snapshot or the new, never half of one.
 */
export class FileHallStore implements HallStore {
  constructor(private readonly dir: string) {}

  private path(hallId: Id) {
    return join(this.dir, `${hallId}.snapshot.json`);
  }

  async load(hallId: Id): Promise<HallSnapshot | null> {
    try {
      return JSON.parse(await readFile(this.path(hallId), 'utf8')) as HallSnapshot;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** Saves a snapshot unless a newer one is already there. */
  async save(hallId: Id, snapshot: HallSnapshot): Promise<void> {
    const old = await this.load(hallId).catch(() => null);
    if (old && old.version >= snapshot.version) return;
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.path(hallId)}.tmp`;
    const f = await open(tmp, 'w');
    try {
      await f.writeFile(JSON.stringify(snapshot));
      await f.datasync();
    } finally {
      await f.close();
    }
    await rename(tmp, this.path(hallId));
  }
}
