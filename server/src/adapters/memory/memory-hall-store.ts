import type { Id } from '@yichuang/protocol';
import type { HallSnapshot, HallStore } from '../../ports/index.js';

/** Snapshots in memory: the test double of the hall store. */
export class MemoryHallStore implements HallStore {
  private readonly snapshots = new Map<Id, string>();

  load(hallId: Id): Promise<HallSnapshot | null> {
    const raw = this.snapshots.get(hallId);
    return Promise.resolve(raw ? (JSON.parse(raw) as HallSnapshot) : null);
  }

  save(hallId: Id, snapshot: HallSnapshot): Promise<void> {
    const old = this.snapshots.get(hallId);
    if (!old || (JSON.parse(old) as HallSnapshot).version < snapshot.version)
      this.snapshots.set(hallId, JSON.stringify(snapshot));
    return Promise.resolve();
  }
}
