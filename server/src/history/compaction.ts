import type { Logger } from 'pino';
import type { Id } from '@yichuang/protocol';
import { toSnapshot, type HallState } from '../engine/index.js';
import { isFeed, type EventLog, type HallStore } from '../ports/index.js';

/**
 * A log that can put what is behind a version out of the way of start-up: the embedded journal rolls it
 * into a segment, the Redis stream trims it (no further than the stored snapshot and every live node).
 * Returns the version the log now starts after.
 */
export interface Compactable {
  compact(hallId: Id, upTo: number): Promise<number>;
}
export const isCompactable = (log: EventLog): log is EventLog & Compactable =>
  typeof (log as Partial<Compactable>).compact === 'function';

/** How long a shared log's trim held back by another node waits before it is tried again, and how often. */
const RETRY_MS = 5000;
const MAX_RETRIES = 60;

/**
 * #14: keeps start-up to today's events. Once a day is safely in the history store, the hall as it
 * stood at the day's end is saved as a snapshot and the log is compacted up to it (the journal rolled
 * into a segment, the Redis stream trimmed): the next start loads the snapshot and replays only what
 * came after. Nothing is compacted before its day is archived, and the snapshot is durable before the
 * log changes. Requests that pile up (a start-up replaying many days) come down to the latest one per
 * hall; a shared log's trim that another node held back is tried again.
 */
export class Compactor {
  private readonly latest = new Map<Id, HallState>();
  private readonly running = new Set<Id>();
  private readonly retries = new Map<Id, { timer: NodeJS.Timeout; tries: number }>();

  constructor(
    private readonly store: HallStore,
    private readonly journal: EventLog & Compactable,
    private readonly logger: Logger,
  ) {}

  /** A day of the hall is archived: compact up to its end. */
  settled(hallId: Id, closing: HallState): void {
    const known = this.latest.get(hallId);
    if (known && known.version >= closing.version) return;
    this.latest.set(hallId, closing);
    this.cancelRetry(hallId);
    if (!this.running.has(hallId)) setImmediate(() => void this.run(hallId));
  }

  private cancelRetry(hallId: Id) {
    const r = this.retries.get(hallId);
    if (r) clearTimeout(r.timer);
    this.retries.delete(hallId);
  }

  /**
   * A shared log trimmed short of the day's end (a node still loading, or behind): tried again in a
   * few seconds, for a few minutes at most (the next day's end tries anew).
   */
  private retry(hallId: Id, closing: HallState) {
    const tries = (this.retries.get(hallId)?.tries ?? 0) + 1;
    if (tries > MAX_RETRIES || this.stopped) return this.retries.delete(hallId);
    const timer = setTimeout(() => {
      if (this.latest.has(hallId)) return;
      this.latest.set(hallId, closing);
      void this.run(hallId, tries);
    }, RETRY_MS);
    timer.unref();
    this.retries.set(hallId, { timer, tries });
  }

  private stopped = false;

  /** No more retries (shutdown). */
  stop(): void {
    this.stopped = true;
    for (const id of [...this.retries.keys()]) this.cancelRetry(id);
  }

  private async run(hallId: Id, tries = 0): Promise<void> {
    if (this.running.has(hallId)) return;
    this.running.add(hallId);
    try {
      for (let s = this.latest.get(hallId); s; s = this.latest.get(hallId)) {
        this.latest.delete(hallId);
        if (tries === 0) await this.store.save(hallId, { version: s.version, state: toSnapshot(s) });
        const base = await this.journal.compact(hallId, s.version);
        this.logger.info({ hallId, day: s.day, version: s.version, logFrom: base }, 'log compacted');
        if (base < s.version && isFeed(this.journal) && !this.latest.has(hallId)) this.retry(hallId, s);
        else this.retries.delete(hallId);
        tries = 0;
      }
    } catch (err) {
      // The journal stays as it is; the next day's end tries again.
      this.logger.warn({ err, hallId }, 'journal compaction failed');
    } finally {
      this.running.delete(hallId);
    }
  }

  /** Resolves once no compaction runs or waits. */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.latest.size > 0) await new Promise((r) => setTimeout(r, 10));
  }
}
