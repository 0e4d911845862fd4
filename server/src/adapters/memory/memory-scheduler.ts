import type { Id } from '@yichuang/protocol';
import type { Timer } from '../../engine/index.js';
import type { Clock, DueHandler, Scheduler } from '../../ports/index.js';

type Pending = { hallId: Id; timer: Timer; handle: NodeJS.Timeout | null };

/** setTimeout's longest delay; longer timers re-arm when it passes. */
const MAX_DELAY = 2 ** 31 - 1;

/** Timers in this process: the embedded default. Lost on exit, so the hall service re-derives them at start. */
export class MemoryScheduler implements Scheduler {
  private readonly timers = new Map<string, Pending>();
  private handler: DueHandler | null = null;
  private closed = false;

  constructor(private readonly clock: Clock) {}

  private id(hallId: Id, key: string) {
    return `${hallId}\u0000${key}`;
  }

  private arm(id: string, p: Pending) {
    const delay = Math.max(0, p.timer.at - this.clock.now());
    p.handle = setTimeout(
      () => (delay > MAX_DELAY ? this.arm(id, p) : this.fire(id)),
      Math.min(delay, MAX_DELAY),
    );
    p.handle.unref();
  }

  private fire(id: string) {
    const p = this.timers.get(id);
    if (!p || this.closed) return;
    this.timers.delete(id);
    if (p.handle) clearTimeout(p.handle);
    void this.handler?.(p.hallId, p.timer);
  }

  schedule(hallId: Id, timer: Timer): Promise<void> {
    const id = this.id(hallId, timer.key);
    if (!this.closed && !this.timers.has(id)) {
      const p: Pending = { hallId, timer, handle: null };
      this.timers.set(id, p);
      this.arm(id, p);
    }
    return Promise.resolve();
  }

  cancel(hallId: Id, key: string): Promise<void> {
    const id = this.id(hallId, key);
    const p = this.timers.get(id);
    if (p?.handle) clearTimeout(p.handle);
    this.timers.delete(id);
    return Promise.resolve();
  }

  pending(hallId: Id): Promise<string[]> {
    return Promise.resolve(
      [...this.timers.values()].filter((p) => p.hallId === hallId).map((p) => p.timer.key),
    );
  }

  onDue(handler: DueHandler): void {
    this.handler = handler;
  }

  /** Delivers every timer due by the clock's now: lets a test or the simulator move time forward. */
  fireDue(): void {
    const now = this.clock.now();
    for (const [id, p] of [...this.timers]) if (p.timer.at <= now) this.fire(id);
  }

  close(): Promise<void> {
    this.closed = true;
    for (const p of this.timers.values()) if (p.handle) clearTimeout(p.handle);
    this.timers.clear();
    return Promise.resolve();
  }
}
