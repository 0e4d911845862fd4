import type { Id, VersionedEvent } from '@yichuang/protocol';
import type { AppendResult, EventLog } from '../../ports/index.js';

/** An event log held in memory: the test double, and the log of a hall that need not survive a restart. */
export class MemoryEventLog implements EventLog {
  private readonly halls = new Map<Id, VersionedEvent[]>();

  append(hallId: Id, expectedVersion: number, events: readonly VersionedEvent[]): Promise<AppendResult> {
    const log = this.halls.get(hallId) ?? [];
    if (log.length !== expectedVersion)
      return Promise.resolve({ ok: false, conflict: true, currentVersion: log.length });
    log.push(...events.map((e) => structuredClone(e)));
    this.halls.set(hallId, log);
    return Promise.resolve({ ok: true, version: log.length });
  }

  read(hallId: Id, afterVersion: number): Promise<VersionedEvent[]> {
    return Promise.resolve((this.halls.get(hallId) ?? []).slice(afterVersion).map((e) => structuredClone(e)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
