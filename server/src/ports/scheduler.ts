import type { Id } from '@yichuang/protocol';
import type { Timer } from '../engine/index.js';

/** Called when a timer is due: the hall service turns it into a command from the system. */
export type DueHandler = (hallId: Id, timer: Timer) => Promise<void>;

/**
 * Timers as commands delivered later. Keys are deterministic, so scheduling a key twice
 * keeps one timer, and delivery may repeat (the engine makes a stale or repeated timer a no-op).
 */
export interface Scheduler {
  /** Sets the timer unless one with its key is already pending for the hall. */
  schedule(hallId: Id, timer: Timer): Promise<void>;
  /** Removes a pending timer; unknown keys are ignored. */
  cancel(hallId: Id, key: string): Promise<void>;
  /** Keys of the hall's pending timers. */
  pending(hallId: Id): Promise<string[]>;
  /** Registers the one handler timers are delivered to. */
  onDue(handler: DueHandler): void;
  /** Stops delivering and releases resources. */
  close(): Promise<void>;
}
