import type { Logger } from 'pino';
import type { Actor, Command, ErrorBody, HallConfig, Id, Result, VersionedEvent } from '@yichuang/protocol';
import { fail } from '@yichuang/protocol';
import {
  applyEvents,
  decide,
  dueTimers,
  initialState,
  type CommandEnvelope,
  type HallState,
  type Timer,
} from './engine/index.js';
import type { Broadcaster, Clock, EventLog, Scheduler } from './ports/index.js';

/** What an applied command gives back: the hall after it and the events it made. */
export type Applied = { state: HallState; events: VersionedEvent[] };

type Pending = { env: CommandEnvelope; resolve: (r: Result<Applied>) => void };

type Hall = { state: HallState; queue: Pending[]; busy: boolean };

export type HallServiceDeps = {
  log: EventLog;
  scheduler: Scheduler;
  broadcaster: Broadcaster;
  clock: Clock;
  newId: () => Id;
  logger: Logger;
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
    deps.scheduler.onDue((hallId, timer) => void this.deliverTimer(hallId, timer));
  }

  /** Loads each hall from its configuration and its log, and re-arms its timers. */
  async load(configs: readonly HallConfig[]): Promise<void> {
    for (const config of configs) {
      const events = await this.deps.log.read(config.id, 0);
      const state = applyEvents(initialState(config), events);
      this.halls.set(config.id, { state, queue: [], busy: false });
      await this.reconcileTimers(config.id, state);
      this.deps.logger.info({ hallId: config.id, version: state.version }, 'hall loaded');
    }
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
  execute(hallId: Id, command: Command, actor: Actor): Promise<Result<Applied>> {
    const hall = this.halls.get(hallId);
    if (!hall) return Promise.resolve(fail('unknown-hall', `No hall ${hallId}.`));
    return new Promise((resolve) => {
      hall.queue.push({ env: { command, actor, id: this.deps.newId() }, resolve });
      if (!hall.busy) void this.drain(hallId, hall);
    });
  }

  private async drain(hallId: Id, hall: Hall): Promise<void> {
    hall.busy = true;
    try {
      while (hall.queue.length > 0) {
        const batch = hall.queue.splice(0, hall.queue.length);
        await this.runBatch(hallId, hall, batch);
      }
    } finally {
      hall.busy = false;
    }
  }

  private async runBatch(hallId: Id, hall: Hall, batch: Pending[]): Promise<void> {
    for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
      const base = hall.state;
      let draft = base;
      const outcomes: Array<{ ok: true; from: number; to: number } | { ok: false; error: ErrorBody }> = [];
      const events: VersionedEvent[] = [];
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
        const versioned = decision.events.map((e, i) => ({ ...e, version: draft.version + i + 1 }));
        draft = applyEvents(draft, versioned);
        outcomes.push({ ok: true, from: events.length, to: events.length + versioned.length });
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
          return;
        }
        if (!appended.ok) {
          // Another writer got there first: catch up from the log and decide again.
          const missed = await this.deps.log.read(hallId, base.version);
          hall.state = applyEvents(hall.state, missed);
          this.deps.broadcaster.publish(hallId, missed);
          continue;
        }
        hall.state = draft;
        this.deps.broadcaster.publish(hallId, events);
        await this.reconcileTimers(hallId, draft);
      }

      batch.forEach((p, i) => {
        const o = outcomes[i]!;
        p.resolve(
          o.ok
            ? { ok: true, data: { state: draft, events: events.slice(o.from, o.to) } }
            : { ok: false, error: o.error },
        );
      });
      return;
    }
    for (const p of batch)
      p.resolve(fail('unavailable', 'The hall is too busy right now; nothing was changed. Try again.'));
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
