import type { Logger } from 'pino';
import type { Actor, Command, ErrorBody, HallConfig, Id, Result, VersionedEvent } from '@yichuang/protocol';
import { fail } from '@yichuang/protocol';
import { HallStateUnknownError } from './process-guard.js';
import {
  applyEventsClosingDays,
  decide,
  dueTimers,
  fromSnapshot,
  initialState,
  toSnapshot,
  type SnapshotData,
  type CommandEnvelope,
  type Handled,
  type HallState,
  type Timer,
  numbered,
} from './engine/index.js';
import {
  isFeed,
  type Broadcaster,
  type Clock,
  type EventLog,
  type HallStore,
  type Scheduler,
} from './ports/index.js';

/** What an applied command gives back: the hall after it and the events it made. */
/** What an applied command gives back: the hall after it, the events it made, or what a retry's first attempt did. */
export type Applied = { state: HallState; events: VersionedEvent[]; replayOf?: Handled };

type Pending = { env: CommandEnvelope; resolve: (r: Result<Applied>) => void };

type Hall = {
  state: HallState;
  queue: Pending[];
  busy: boolean;
  /** The latest events this node applied, to put back into a shared log that lost them. */
  recent: VersionedEvent[];
  /** The version this node stood at when the last check found the shared log ahead of it. */
  behindAt?: number;
};

/** How many recent events each hall keeps for repairing a log (about a busy week of a hall). */
const RECENT_EVENTS = 20_000;

export type HallServiceDeps = {
  log: EventLog;
  scheduler: Scheduler;
  broadcaster: Broadcaster;
  clock: Clock;
  newId: () => Id;
  logger: Logger;
  /** Snapshots, so start-up replays only recent events (scaled-out mode). */
  store?: HallStore;
  /** Save a snapshot every this many events. */
  snapshotEvery?: number;
  /** A hall's record can no longer be trusted: the process must stop (see process-guard.ts). */
  onFatal?: (err: Error) => void;
  /**
   * #14: whether a snapshot may be saved now: not while a day it would skip in a replay is still
   * on its way to the history store (a start from that snapshot could not archive it again).
   */
  snapshotAllowed?: (hallId: Id) => boolean;
};

/** How many conflicting appends a batch retries before it gives up (another node keeps winning). */
const MAX_CONFLICT_RETRIES = 5;

/**
 * The single writer of each hall: it queues commands, decides them with the pure engine,
 * makes their events durable, then applies, publishes and answers. Commands that arrive
 * while a write is in flight are decided together and written in one append (group commit);
 * none is acknowledged before its events are on disk.
 */
export class HallService {
  private readonly halls = new Map<Id, Hall>();

  constructor(private readonly deps: HallServiceDeps) {
    deps.scheduler.onDue((hallId, timer) => this.deliverTimer(hallId, timer));
  }

  /**
   * Loads each hall from its configuration, its latest snapshot and the events after it, re-arms
   * its timers, and — when other nodes write the same log — follows their events.
   */
  async load(configs: readonly HallConfig[]): Promise<void> {
    const log = this.deps.log;
    // #14: loading holds back trimming of the shared log until this node knows where it stands.
    if (isFeed(log)) await log.mark(new Map(configs.map((c) => [c.id, 0])));
    for (const config of configs) {
      const { state, events, snapshot } = await this.restore(config);
      this.halls.set(config.id, { state, queue: [], busy: false, recent: events.slice(-RECENT_EVENTS) });
      await this.reconcileTimers(config.id, state);
      this.deps.logger.info(
        { hallId: config.id, version: state.version, fromSnapshot: snapshot?.version ?? null },
        'hall loaded',
      );
    }
    if (isFeed(log)) {
      const versions = new Map([...this.halls].map(([id, h]) => [id, h.state.version]));
      log.follow(versions, (hallId, events) => void this.catchUp(hallId, events));
      this.watch = setInterval(() => void this.checkLog(), 1000);
      this.watch.unref();
    }
  }

  /**
   * A hall from its latest snapshot and the events after it. The log may have been compacted behind
   * the snapshot (#14): a log that does not go on from it is refused rather than read with a gap.
   */
  private async restore(config: HallConfig) {
    const snapshot = await this.deps.store?.load(config.id);
    const base = snapshot ? fromSnapshot(config, snapshot.state as SnapshotData) : initialState(config);
    const events = await this.deps.log.read(config.id, base.version);
    if (events.length > 0 && events[0]!.version !== base.version + 1)
      throw new Error(
        `The log of hall ${config.id} starts after version ${events[0]!.version - 1} but its snapshot is at ${base.version}: restore the snapshot store`,
      );
    return { state: this.advance(config.id, base, events), events, snapshot };
  }

  private watch: NodeJS.Timeout | null = null;

  /** Stops the background check of the shared log. */
  stop(): void {
    if (this.watch) clearInterval(this.watch);
    this.watch = null;
    const log = this.deps.log;
    if (isFeed(log)) void log.forget(this.hallIds()).catch(() => undefined);
  }

  private readonly listeners: Array<(hallId: Id, events: readonly VersionedEvent[]) => void> = [];

  /**
   * Hears every event this node's projection takes in, its own and those other nodes wrote (the
   * broadcaster hears only its own): what must act on every node, such as closing revoked sessions.
   */
  onApplied(listener: (hallId: Id, events: readonly VersionedEvent[]) => void): void {
    this.listeners.push(listener);
  }

  private readonly dayListeners: Array<(hallId: Id, closing: HallState) => void> = [];

  /**
   * #14: hears each local day of a hall end, with the hall as it was at its end (still holding the
   * day's finished tickets), on start-up replay as well as live: the archiver writes it.
   */
  onDayClosed(listener: (hallId: Id, closing: HallState) => void): void {
    this.dayListeners.push(listener);
  }

  /** Applies durable events, telling the day listeners of every day they close. */
  private advance(hallId: Id, state: HallState, events: readonly VersionedEvent[]): HallState {
    return applyEventsClosingDays(state, events, (closing) => this.closed(hallId, closing));
  }

  private closed(hallId: Id, closing: HallState) {
    for (const l of this.dayListeners) {
      try {
        l(hallId, closing);
      } catch (err) {
        this.deps.logger.error({ err, hallId, day: closing.day }, 'day-closed listener failed');
      }
    }
  }

  private applied(hallId: Id, hall: Hall, events: readonly VersionedEvent[]) {
    this.remember(hall, events);
    for (const l of this.listeners) l(hallId, events);
  }

  private remember(hall: Hall, events: readonly VersionedEvent[]) {
    // The follower may deliver this node's own events before the append's answer: keep each once.
    const last = hall.recent[hall.recent.length - 1]?.version ?? 0;
    hall.recent.push(...events.filter((e) => e.version > last));
    if (hall.recent.length > RECENT_EVENTS * 1.1) hall.recent.splice(0, hall.recent.length - RECENT_EVENTS);
  }

  /**
   * Every second: records this node's position in each hall's shared log (what trimming stays behind,
   * #14); puts back what a log behind this node's projection lost (a Redis restart without
   * `appendfsync always`), so that no node decides on the shortened log for long; and reads on when
   * the log stays ahead of this node (its follower dropped a gap).
   */
  private async checkLog(): Promise<void> {
    const log = this.deps.log;
    if (!isFeed(log)) return;
    try {
      await log.mark(new Map([...this.halls].map(([id, h]) => [id, h.state.version])));
    } catch (err) {
      this.deps.logger.warn({ err }, 'node position not recorded');
    }
    for (const [hallId, hall] of this.halls) {
      if (hall.busy || hall.queue.length > 0) continue;
      hall.busy = true;
      try {
        const logVersion = await log.version(hallId);
        if (logVersion < hall.state.version) await this.repair(hallId, hall, logVersion);
        else if (logVersion > hall.state.version && hall.behindAt === hall.state.version) {
          // Behind the log at two checks in a row without moving: what the follower should have
          // brought did not come (a gap it dropped after a trim, #14). Read on from the log.
          await this.readOn(hallId, hall);
          await this.reconcileTimers(hallId, hall.state);
        }
        hall.behindAt = logVersion > hall.state.version ? hall.state.version : undefined;
      } catch (err) {
        this.deps.logger.warn({ err, hallId }, 'shared log check failed');
      } finally {
        hall.busy = false;
        if (hall.queue.length > 0) void this.drain(hallId, hall);
      }
    }
  }

  /** Appends back the events this node holds beyond the log's version; false if it cannot. */
  private async repair(hallId: Id, hall: Hall, logVersion: number): Promise<boolean> {
    const missing = hall.recent.filter((e) => e.version > logVersion && e.version <= hall.state.version);
    const contiguous = missing.every((e, i) => e.version === logVersion + 1 + i);
    if (missing.length === 0 || !contiguous || missing.length !== hall.state.version - logVersion) {
      this.deps.logger.error(
        { hallId, logVersion, nodeVersion: hall.state.version },
        'the event log lost more events than this node holds: numbers may repeat; restore Redis from its AOF',
      );
      return false;
    }
    const r = await this.deps.log.append(hallId, logVersion, missing);
    if (r.ok)
      this.deps.logger.warn(
        { hallId, from: logVersion + 1, to: r.version },
        'the event log had lost events this node holds: appended them again',
      );
    return r.ok;
  }

  /** Applies events another node wrote; their sockets were already told by that node. */
  private async catchUp(hallId: Id, events: VersionedEvent[]): Promise<void> {
    const hall = this.halls.get(hallId);
    if (!hall) return;
    let fresh = events.filter((e) => e.version > hall.state.version);
    if (fresh.length === 0) return;
    if (fresh[0]!.version !== hall.state.version + 1)
      fresh = await this.deps.log.read(hallId, hall.state.version);
    // Skip if this node moved on while reading (its own appends are applied directly).
    fresh = fresh.filter((e) => e.version > hall.state.version);
    if (fresh.length === 0) return;
    if (fresh[0]!.version !== hall.state.version + 1) return this.reload(hallId, hall);
    hall.state = this.advance(hallId, hall.state, fresh);
    this.applied(hallId, hall, fresh);
    await this.reconcileTimers(hallId, hall.state);
  }

  /**
   * #14: the shared log was trimmed past this node's position (it was cut off from Redis longer than
   * its position counts): it starts again from the stored snapshot instead of reading with a gap.
   */
  private async reload(hallId: Id, hall: Hall): Promise<void> {
    // A batch in flight meets the gap itself: its append conflicts and reads on (below).
    if (hall.busy) return;
    hall.busy = true;
    try {
      await this.readOn(hallId, hall);
      await this.reconcileTimers(hallId, hall.state);
    } catch (err) {
      this.deps.logger.error({ err, hallId }, 'reload from the snapshot failed');
    } finally {
      hall.busy = false;
      if (hall.queue.length > 0) void this.drain(hallId, hall);
    }
  }

  /**
   * Applies what the log holds after this node's version. When the log was trimmed past it (#14), the
   * hall is restored from the stored snapshot and what follows it instead of being read with a gap.
   */
  private async readOn(hallId: Id, hall: Hall): Promise<void> {
    const log = this.deps.log;
    const missed = (await log.read(hallId, hall.state.version)).filter((e) => e.version > hall.state.version);
    // Nothing after this node, or not what follows it (trimmed away), while the log is ahead: a gap.
    const gap =
      missed.length > 0
        ? missed[0]!.version !== hall.state.version + 1
        : isFeed(log) && (await log.version(hallId)) > hall.state.version;
    if (!gap) {
      hall.state = this.advance(hallId, hall.state, missed);
      this.applied(hallId, hall, missed);
      return;
    }
    const before = hall.state.version;
    const { state, events } = await this.restore(hall.state.config);
    if (state.version <= before) return;
    hall.state = state;
    hall.recent = events.slice(-RECENT_EVENTS);
    this.deps.logger.warn(
      { hallId, from: before, to: state.version },
      'the shared log was trimmed past this node: reloaded from the snapshot',
    );
    this.applied(hallId, hall, events);
  }

  /** Whether every hall's projection is at the shared log's version (always true for a local log). */
  async caughtUp(): Promise<boolean> {
    const log = this.deps.log;
    if (!isFeed(log)) return true;
    for (const [id, h] of this.halls) if ((await log.version(id)) > h.state.version) return false;
    return true;
  }

  /** Resolves once every queued command has been answered: graceful shutdown waits for it. */
  async idle(): Promise<void> {
    while ([...this.halls.values()].some((h) => h.busy || h.queue.length > 0))
      await new Promise((r) => setTimeout(r, 10));
  }

  /** The halls this service runs. */
  hallIds(): Id[] {
    return [...this.halls.keys()];
  }

  /** The current state of a hall, or undefined for an unknown hall. */
  state(hallId: Id): HallState | undefined {
    return this.halls.get(hallId)?.state;
  }

  /** Queues a validated command; resolves once it is durable and applied, or with why it was not. */
  execute(hallId: Id, command: Command, actor: Actor, key?: string): Promise<Result<Applied>> {
    const hall = this.halls.get(hallId);
    if (!hall) return Promise.resolve(fail('unknown-hall', `No hall ${hallId}.`));
    return new Promise((resolve) => {
      hall.queue.push({ env: { command, actor, id: this.deps.newId(), ...(key ? { key } : {}) }, resolve });
      if (!hall.busy) void this.drain(hallId, hall);
    });
  }

  private async drain(hallId: Id, hall: Hall): Promise<void> {
    hall.busy = true;
    try {
      while (hall.queue.length > 0) {
        const batch = hall.queue.splice(0, hall.queue.length);
        try {
          await this.runBatch(hallId, hall, batch);
        } catch (err) {
          // Whatever failed, every caller gets an answer (a promise resolved twice keeps its first).
          this.deps.logger.error({ err, hallId }, 'command batch failed');
          for (const p of batch) p.resolve(fail('unavailable', 'The hub could not do this now; try again.'));
        }
      }
    } finally {
      hall.busy = false;
    }
  }

  private async runBatch(hallId: Id, hall: Hall, batch: Pending[]): Promise<void> {
    for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
      const base = hall.state;
      let draft = base;
      const outcomes: Array<
        { ok: true; from: number; to: number; replayOf?: Handled } | { ok: false; error: ErrorBody }
      > = [];
      const events: VersionedEvent[] = [];
      // Days this batch ends, told only once its events are durable.
      const closings: HallState[] = [];
      const now = this.deps.clock.now();
      for (const p of batch) {
        let decision;
        try {
          decision = decide(draft, p.env, now);
        } catch (err) {
          this.deps.logger.error({ err, hallId, command: p.env.command.type }, 'engine threw');
          decision = {
            ok: false as const,
            error: { code: 'internal-error' as const, message: 'The hub failed on this command.' },
          };
        }
        if (!decision.ok) {
          outcomes.push(decision);
          continue;
        }
        const versioned = numbered(draft, p.env, decision.events);
        draft = applyEventsClosingDays(draft, versioned, (closing) => closings.push(closing));
        outcomes.push({
          ok: true,
          from: events.length,
          to: events.length + versioned.length,
          replayOf: decision.replayOf,
        });
        events.push(...versioned);
      }

      if (events.length > 0) {
        let appended;
        try {
          appended = await this.deps.log.append(hallId, base.version, events);
        } catch (err) {
          this.deps.logger.error({ err, hallId }, 'event log append failed');
          for (const p of batch)
            p.resolve(fail('unavailable', 'The hall could not record this; nothing was changed. Try again.'));
          if (err instanceof HallStateUnknownError) this.deps.onFatal?.(err);
          return;
        }
        if (!appended.ok && appended.currentVersion < base.version) {
          // The log is behind this node: it lost writes. Put back what this node holds, then retry.
          const repaired = await this.repair(hallId, hall, appended.currentVersion).catch(() => false);
          if (repaired) continue;
          for (const p of batch)
            p.resolve(
              fail('unavailable', 'The hall record is being restored; nothing was changed. Try again.'),
            );
          return;
        }
        if (!appended.ok) {
          // Another node got there first (its sockets told everyone): catch up and decide again.
          try {
            await this.readOn(hallId, hall);
          } catch (err) {
            // The log went away between the conflict and the catch-up: nothing of this batch happened.
            this.deps.logger.warn({ err, hallId }, 'event log read failed after a conflict');
            for (const p of batch)
              p.resolve(
                fail('unavailable', 'The hall could not record this; nothing was changed. Try again.'),
              );
            return;
          }
          continue;
        }
        hall.state = draft;
        for (const closing of closings) this.closed(hallId, closing);
        this.applied(hallId, hall, events);
        this.deps.broadcaster.publish(hallId, events);
        await this.reconcileTimers(hallId, draft);
        this.maybeSnapshot(hallId, base.version, draft);
      }

      batch.forEach((p, i) => {
        const o = outcomes[i]!;
        p.resolve(
          o.ok
            ? { ok: true, data: { state: draft, events: events.slice(o.from, o.to), replayOf: o.replayOf } }
            : { ok: false, error: o.error },
        );
      });
      return;
    }
    for (const p of batch)
      p.resolve(fail('unavailable', 'The hall is too busy right now; nothing was changed. Try again.'));
  }

  private maybeSnapshot(hallId: Id, before: number, state: HallState) {
    const every = this.deps.snapshotEvery ?? 1000;
    if (!this.deps.store || Math.floor(before / every) === Math.floor(state.version / every)) return;
    if (this.deps.snapshotAllowed && !this.deps.snapshotAllowed(hallId)) return;
    this.deps.store
      .save(hallId, { version: state.version, state: toSnapshot(state) })
      .catch((err: unknown) => this.deps.logger.warn({ err, hallId }, 'snapshot not saved'));
  }

  /** Makes the scheduler hold exactly the timers the state needs. */
  private async reconcileTimers(hallId: Id, state: HallState): Promise<void> {
    const wanted = dueTimers(state);
    const wantedKeys = new Set(wanted.map((t) => t.key));
    try {
      for (const key of await this.deps.scheduler.pending(hallId))
        if (!wantedKeys.has(key)) await this.deps.scheduler.cancel(hallId, key);
      for (const t of wanted) await this.deps.scheduler.schedule(hallId, t);
    } catch (err) {
      this.deps.logger.error({ err, hallId }, 'scheduler reconcile failed');
    }
  }

  private async deliverTimer(hallId: Id, timer: Timer): Promise<void> {
    const r = await this.execute(hallId, timer.command, { kind: 'system' });
    if (!r.ok) this.deps.logger.warn({ hallId, timer: timer.key, error: r.error }, 'timer command rejected');
  }
}
