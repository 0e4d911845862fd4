import type { Id, VersionedEvent } from '@yichuang/protocol';

/** The answer to an append: the hall's new version, or the version another writer got to first. */
export type AppendResult =
  { ok: true; version: number } | { ok: false; conflict: true; currentVersion: number };

/**
 * The hall's event log. `append` is optimistic: it writes only if the hall's log is at
 * `expectedVersion`, so several hub nodes can share one log (the Redis adapter checks this
 * atomically in a Lua script). When the promise resolves the events are durable.
 */
export interface EventLog {
  /** Appends `events` (versions expectedVersion+1…) if the log is at `expectedVersion`. */
  append(hallId: Id, expectedVersion: number, events: readonly VersionedEvent[]): Promise<AppendResult>;
  /** The events of a hall with a version above `afterVersion`, in order. */
  read(hallId: Id, afterVersion: number): Promise<VersionedEvent[]>;
  /** Releases files and connections. */
  close(): Promise<void>;
}

/**
 * Implemented by a log that other nodes write to as well: it tells this node about events it
 * did not write, so its projection of each hall keeps up.
 */
export interface EventFeed {
  /** Calls `onEvents` with every event appended after the given version of each hall, in order. */
  follow(halls: ReadonlyMap<Id, number>, onEvents: (hallId: Id, events: VersionedEvent[]) => void): void;
  /** The hall's latest version in the shared log. */
  version(hallId: Id): Promise<number>;
  /**
   * #14: how far this node has applied each hall's log (0 while it loads), renewed every second: a
   * shared log is never trimmed past a live node's position.
   */
  mark(positions: ReadonlyMap<Id, number>): Promise<void>;
  /** This node leaves: its positions hold nothing back any more. */
  forget(hallIds: readonly Id[]): Promise<void>;
}

/** Whether a log is shared with other nodes. */
export const isFeed = (log: EventLog): log is EventLog & EventFeed => 'follow' in log && 'version' in log;
