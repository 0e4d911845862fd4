import type { Logger } from 'pino';
import { localDay, type Id } from '@yichuang/protocol';
import type { HallState } from '../engine/index.js';
import type { DayRecords, HistoryStore, TicketFact } from '../ports/history-store.js';
import { dayRecords } from './day-records.js';
import { dayFacts } from './ticket-facts.js';

type Write = {
  day: string;
  tickets: TicketFact[];
  records: DayRecords;
  complete: boolean;
  closing?: HallState;
};

type HallArchive = {
  /** The days archived complete (read at start, then kept up to date). */
  complete: Set<string>;
  /** Writes not yet in the store, in order; the head is in flight. */
  queue: Write[];
  writing: boolean;
};

/** How long a failed write waits before it is tried again. */
const RETRY_MS = 2000;

/**
 * #14: writes each hall's days to the history store. A day is written complete when it ends (the
 * hall service hands over its last state, live or on start-up replay), and the running day every
 * `everyMs` (the bounded lag of reports). Each write replaces the day in one transaction, so a day
 * written twice gives the same rows; a day whose write never landed (the hub was killed) is ended
 * again by the replay at the next start and written then. Days already complete are skipped.
 */
export class Archiver {
  private readonly halls = new Map<Id, HallArchive>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Days written complete since start (for logs and tests). */
  written = 0;
  private readonly settledListeners: Array<(hallId: Id, closing: HallState) => void> = [];

  /**
   * Hears each ended day once it is safely in the store (written now, or found there already), with
   * the hall as it stood at the day's end: what may be compacted behind it.
   */
  onSettled(listener: (hallId: Id, closing: HallState) => void): void {
    this.settledListeners.push(listener);
  }

  private settle(hallId: Id, closing: HallState) {
    for (const l of this.settledListeners) {
      try {
        l(hallId, closing);
      } catch (err) {
        this.logger.error({ err, hallId, day: closing.day }, 'settled-day listener failed');
      }
    }
  }

  constructor(
    private readonly store: HistoryStore,
    private readonly logger: Logger,
  ) {}

  /** Reads which days are archived already, so a replay does not write them again. */
  async prepare(hallIds: readonly Id[], since = '1970-01-01', until = '9999-12-31'): Promise<void> {
    for (const id of hallIds)
      this.halls.set(id, {
        complete: new Set(await this.store.archivedDays(id, since, until)),
        queue: [],
        writing: false,
      });
  }

  /** A day of a hall ended: write it complete, unless it is already. */
  dayClosed(hallId: Id, closing: HallState): void {
    const hall = this.halls.get(hallId);
    if (!hall) return;
    if (hall.complete.has(closing.day)) return this.settle(hallId, closing);
    this.enqueue(hallId, hall, {
      day: closing.day,
      tickets: dayFacts(closing, closing.day),
      records: dayRecords(closing, closing.day, true),
      complete: true,
      closing,
    });
  }

  /**
   * Writes each hall's latest day as it stands: still running, or complete when the hall's own
   * date is past it (a hall whose last day ended with no event since, such as after a weekend).
   */
  archiveRunning(states: ReadonlyMap<Id, HallState>, now: number): void {
    for (const [hallId, state] of states) {
      const hall = this.halls.get(hallId);
      if (!hall || state.day === '' || hall.complete.has(state.day)) continue;
      const complete = state.day < localDay(now, state.config.timeZone);
      // One running write waiting is enough: a newer one replaces it.
      hall.queue = hall.queue.filter((w, i) => w.complete || (hall.writing && i === 0));
      if (hall.queue.some((w) => w.complete && w.day === state.day)) continue;
      this.enqueue(hallId, hall, {
        day: state.day,
        tickets: dayFacts(state, state.day),
        records: dayRecords(state, state.day, complete),
        complete,
      });
    }
  }

  /** Archives the latest days at once and then every `everyMs`, reading the halls' states from `states`. */
  start(everyMs: number, states: () => ReadonlyMap<Id, HallState>, now: () => number): void {
    this.archiveRunning(states(), now());
    this.timer = setInterval(() => this.archiveRunning(states(), now()), everyMs);
    this.timer.unref();
  }

  /** Whether a hall has a closed day not yet in the store (no snapshot may skip past it then). */
  pending(hallId: Id): boolean {
    return this.halls.get(hallId)?.queue.some((w) => w.complete) ?? false;
  }

  /** Resolves once every queued write has landed (or the archiver was stopped). */
  async flush(): Promise<void> {
    while (!this.stopped && [...this.halls.values()].some((h) => h.queue.length > 0))
      await new Promise((r) => setTimeout(r, 10));
  }

  /** Stops the timer; writes in flight finish, queued ones are left to the next start's replay. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private enqueue(hallId: Id, hall: HallArchive, w: Write) {
    hall.queue.push(w);
    if (!hall.writing) void this.drain(hallId, hall);
  }

  private async drain(hallId: Id, hall: HallArchive): Promise<void> {
    hall.writing = true;
    try {
      while (!this.stopped && hall.queue.length > 0) {
        const w = hall.queue[0]!;
        try {
          await this.store.archiveDay(hallId, w.day, w.tickets, w.complete, w.records);
          hall.queue.shift();
          if (w.complete) {
            hall.complete.add(w.day);
            this.written++;
            this.logger.info({ hallId, day: w.day, tickets: w.tickets.length }, 'day archived');
            if (w.closing) this.settle(hallId, w.closing);
          }
        } catch (err) {
          this.logger.warn({ err, hallId, day: w.day }, 'archiving failed: trying again');
          await new Promise((r) => setTimeout(r, RETRY_MS));
        }
      }
    } finally {
      hall.writing = false;
    }
  }
}
