import type { Id, VersionedEvent } from '@yichuang/protocol';
import type { Broadcaster, EventListener } from '../../ports/index.js';

/** In-process fan-out: every listener gets every hall's events, synchronously and in order. */
export class MemoryBroadcaster implements Broadcaster {
  private readonly listeners = new Set<EventListener>();

  publish(hallId: Id, events: readonly VersionedEvent[]): void {
    for (const l of this.listeners) l(hallId, events);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
