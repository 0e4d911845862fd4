import type { Id, VersionedEvent } from '@yichuang/protocol';

/** Receives a hall's events once they are durable. */
export type EventListener = (hallId: Id, events: readonly VersionedEvent[]) => void;

/** Fans durable events out to whoever shows them: the socket.io namespaces, later the gateway. */
export interface Broadcaster {
  /** Publishes a hall's newly applied events, in version order. */
  publish(hallId: Id, events: readonly VersionedEvent[]): void;
  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: EventListener): () => void;
}
