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
  /** The version on disk per hall, once known (saves are frequent; the file is not read back each time). */
  private readonly saved = new Map<Id, number>();
  private readonly chains = new Map<Id, Promise<unknown>>();

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

  /** Saves a snapshot unless a newer one is already there; one save at a time per hall. */
  save(hallId: Id, snapshot: HallSnapshot): Promise<void> {
    const run = (this.chains.get(hallId) ?? Promise.resolve()).then(() => this.write(hallId, snapshot));
    this.chains.set(
      hallId,
      run.catch(() => undefined),
    );
    return run;
  }

  private async write(hallId: Id, snapshot: HallSnapshot): Promise<void> {
    let onDisk = this.saved.get(hallId);
    if (onDisk === undefined) onDisk = (await this.load(hallId).catch(() => null))?.version ?? 0;
    if (onDisk >= snapshot.version) return;
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
    this.saved.set(hallId, snapshot.version);
  }
}
