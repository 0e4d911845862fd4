import type { Id } from '@yichuang/protocol';

/** A saved projection of a hall at a version, so start-up replays only the events after it. */
export type HallSnapshot = { version: number; state: unknown };

/** Where snapshots of halls are kept. */
export interface HallStore {
  /** The newest snapshot of a hall, or null. */
  load(hallId: Id): Promise<HallSnapshot | null>;
  /** Saves a snapshot unless a newer one is already there. */
  save(hallId: Id, snapshot: HallSnapshot): Promise<void>;
}
