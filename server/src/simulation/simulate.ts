import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Actor, Command, HallConfig, Id, Priority, WaitBand } from '@yichuang/protocol';
import { isWorking } from '@yichuang/protocol';
import { initialState, nextFor, ticketView, transition, type HallState } from '../engine/index.js';
import { hallOf, type Handling, type Scenario } from './scenario.js';
import { Agenda } from './agenda.js';

const MINUTE = 60_000;

/** Waits of one service and class, in minutes. */
export type WaitStats = { count: number; mean: number; p90: number; max: number; withinTarget: number };

/** How far a wait estimate shown at issue was from the wait that followed (minutes). */
export type PredictionStats = { count: number; rmse: number; meanError: number };

/**
 * How counters pick in a run: the engine's `fifo` or `balanced` routing policy, or `dedicated`:
 * FIFO with every counter kept to its primary service (the peers' usual set-up).
 */
export const SimulatedPolicy = ['fifo', 'balanced', 'dedicated'] as const;
export type SimulatedPolicy = (typeof SimulatedPolicy)[number];

export type SimulateOptions = {
  days: number;
  seed: number;
  policy?: SimulatedPolicy;
  /** Waits of tickets issued this long after opening are left out (steady-state measurements). */
  warmupMinutes?: number;
  /**
   * One run of `days` × 24 hours whose queue carries over midnight, instead of hall days that each
   * start empty: for steady-state checks at heavy load, where a day is shorter than the queue's
   * relaxation time. Counters stay open round the clock; arrivals follow the profile by time of day.
   */
  continuous?: boolean;
};

/** What a simulation measured. */
export type SimulationResult = {
  scenario: string;
  policy: SimulatedPolicy;
  days: number;
  seed: number;
  tickets: number;
  transitions: number;
  /** Per service, per priority class, and `all`. */
  waits: Record<Id, Record<string, WaitStats>>;
  /** All tickets of the run: mean wait and share within their service's target. */
  overall: WaitStats;
  /** Share of its open time each counter was serving. */
  utilisation: Record<Id, number>;
  /**
   * The waits shown at issue against the waits that followed: the engine's prediction (and the share
   * of applicants called inside its band), the naive "ahead × mean handling ÷ open counters", and
   * the last-served delay (the wait of the service's latest called ticket).
   */
  predictions: {
    engine: PredictionStats & { withinBand: number };
    naive: PredictionStats;
    lastServed: PredictionStats;
  };
  /** Wall-clock milliseconds the run took. */
  elapsedMs: number;
};
const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));

function stats(waits: number[], target: number): WaitStats {
  if (waits.length === 0) return { count: 0, mean: 0, p90: 0, max: 0, withinTarget: 1 };
  const sorted = [...waits].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    mean: sum / sorted.length,
    p90: sorted[Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))]!,
    max: sorted[sorted.length - 1]!,
    withinTarget: sorted.filter((w) => w <= target).length / sorted.length,
  };
}

/** Accumulates squared and signed errors of one estimator. */
class ErrorSum {
  count = 0;
  private sq = 0;
  private sum = 0;
  add(predicted: number, actual: number) {
    this.count++;
    this.sq += (predicted - actual) ** 2;
    this.sum += predicted - actual;
  }
  stats(): PredictionStats {
    return this.count === 0
      ? { count: 0, rmse: 0, meanError: 0 }
      : { count: this.count, rmse: Math.sqrt(this.sq / this.count), meanError: this.sum / this.count };
  }
}

/** The configuration a run uses: the scenario's hall, its routing policy, skills kept to the primary service for `dedicated`. */
function configFor(scenario: Scenario, policy: SimulatedPolicy): HallConfig {
  const config = hallOf(scenario);
  return {
    ...config,
    routing: { ...config.routing, policy: policy === 'balanced' ? 'balanced' : 'fifo' },
    counters:
      policy === 'dedicated'
        ? config.counters.map((c) => ({ ...c, serviceIds: c.serviceIds.slice(0, 1) }))
        : config.counters,
  };
}

/**
 * Simulates `days` hall days of a scenario, discrete-event, on a simulated clock, through the real
 * engine, its routing policy and its wait predictions: applicants arrive as Poisson processes at each
 * service's rate for the time of day, every working counter calls the next ticket the policy gives
 * it as soon as it is free and serves it for a handling time drawn from the service's distribution
 * (divided by its staff member's speed). Staff take their breaks after the applicant in front of
 * them, some are absent for the day, and an outage stops every counter while tickets are still
 * issued. Arrivals stop at closing time; everybody who took a ticket is served. Seeded: the same
 * scenario, options and seed give the same result.
 */
export function simulate(scenario: Scenario, opts: SimulateOptions): SimulationResult {
  const started = performance.now();
  const policy = opts.policy ?? 'fifo';
  // Separate streams for arrivals, service times and everything else, so that runs of two
  // policies with one seed see the same applicants (common random numbers).
  const stream = (k: number) => {
    const gen = xoroshiro128plus(opts.seed * 3 + k);
    return () => uniformFloat64(gen);
  };
  const random = stream(0);
  const serviceRandom = stream(1);
  const otherRandom = stream(2);
  const exponential = (mean: number, r = random) => -Math.log(1 - r()) * mean;
  const normal = () =>
    Math.sqrt(-2 * Math.log(1 - serviceRandom())) * Math.cos(2 * Math.PI * serviceRandom());
  const handlingMs = (h: Handling) => {
    if (h.kind === 'exponential') return exponential(h.meanMinutes, serviceRandom) * MINUTE;
    const sigma2 = Math.log(1 + h.cv * h.cv);
    const mu = Math.log(h.meanMinutes) - sigma2 / 2;
    return Math.exp(mu + Math.sqrt(sigma2) * normal()) * MINUTE;
  };

  const config = configFor(scenario, policy);
  const services = new Map(scenario.services.map((s) => [s.id, s]));
  const speed = new Map(scenario.counters.map((c) => [c.id, c.speed]));
  const dispenser: Actor = { kind: 'device', deviceId: 'sim-kiosk' };
  const waits = new Map<string, number[]>();
  const busyMs = new Map<Id, number>(scenario.counters.map((c) => [c.id, 0]));
  const engineError = new ErrorSum();
  const naiveError = new ErrorSum();
  const lastServedError = new ErrorSum();
  let inBand = 0;
  let openMs = 0;
  let tickets = 0;
  let transitions = 0;
  let idSeq = 0;
  // Estimates the hall learnt carry over from one day to the next, as they do in a real hall.
  let learnt: HallState | null = null;

  // Hall days each start empty; a continuous run is one period of `days` × 24 hours whose queue
  // carries over midnight (arrivals follow the profile of the time of day, round the clock).
  const periods = opts.continuous ? 1 : opts.days;
  const spanDays = opts.continuous ? opts.days : 1;
  for (let day = 0; day < periods; day++) {
    // Day d of the simulation: a weekday in January 2026, local midnight in the hall's zone (UTC+8).
    const midnight = Date.UTC(2026, 0, 5 + day, 0, 0) - 8 * 60 * MINUTE;
    const at = (clock: string, d = 0) => midnight + (d * 24 * 60 + minutesOf(clock)) * MINUTE;
    const openAt = at(scenario.open);
    const closeAt = opts.continuous ? openAt + spanDays * 24 * 60 * MINUTE : at(scenario.close);
    const measuredFrom = openAt + (opts.warmupMinutes ?? 0) * MINUTE;
    let state: HallState = learnt
      ? { ...initialState(config), estimates: learnt.estimates }
      : initialState(config);
    const agenda = new Agenda();
    type Shown = {
      at: number;
      /** When the applicant is due: when they came, or an early appointment's slot. */
      due: number;
      service: Id;
      priority: Priority;
      band: WaitBand | null;
      naive: number | null;
      last: number;
    };
    const issued = new Map<Id, Shown>();
    const lastWait = new Map<Id, number>();
    const idle = new Set<Id>();
    const breakDue = new Map<Id, number>();
    let down = false;

    const act = (command: Command, actor: Actor, now: number) => {
      transitions++;
      const r = transition(state, { command, actor, id: `s${++idSeq}` }, now);
      if (r.ok) state = r.state;
      return r;
    };
    const staffOf = (counterId: Id): Actor => ({
      kind: 'staff',
      staffId: `staff-${counterId}`,
      roles: ['staff'],
    });

    /** A counter that just became free: it pauses for an outage or its break, or waits to call. */
    const settle = (counterId: Id, now: number) => {
      const me = staffOf(counterId);
      if (down) {
        act({ type: 'counter:pause', counterId, reason: 'other', note: 'outage' }, me, now);
        return;
      }
      const minutes = breakDue.get(counterId);
      if (minutes !== undefined) {
        breakDue.delete(counterId);
        act({ type: 'counter:pause', counterId, reason: 'break', note: '' }, me, now);
        agenda.push(now + minutes * MINUTE, () => resume(counterId, now + minutes * MINUTE));
        return;
      }
      idle.add(counterId);
    };
    const resume = (counterId: Id, now: number) => {
      if (down) return; // the outage's end resumes it
      act({ type: 'counter:resume', counterId }, staffOf(counterId), now);
      idle.add(counterId);
      dispatch(now);
    };

    /** Every free counter calls whoever the policy gives it, and serves them. */
    const dispatch = (now: number) => {
      if (down) return;
      for (const counterId of idle) {
        if (!nextFor(state, counterId, now)) continue;
        const me = staffOf(counterId);
        const called = act({ type: 'counter:call-next', counterId }, me, now);
        if (!called.ok) continue;
        const e = called.events[0]!;
        if (e.type !== 'ticket:called') continue;
        const t = issued.get(e.ticketId)!;
        // An appointment's wait counts from its slot: coming early is the applicant's choice.
        const wait = Math.max(0, now - t.due) / MINUTE;
        lastWait.set(t.service, (now - t.at) / MINUTE);
        if (t.at >= measuredFrom) {
          const key = `${t.service}/${t.priority}`;
          const list = waits.get(key);
          if (list) list.push(wait);
          else waits.set(key, [wait]);
          if (t.band && t.naive !== null) {
            // What was shown at issue is the time until the call, from then.
            const shown = (now - t.at) / MINUTE;
            engineError.add(t.band.minutes, shown);
            naiveError.add(t.naive, shown);
            lastServedError.add(t.last, shown);
            if (t.band.low <= shown && shown <= t.band.high) inBand++;
          }
        }
        if (otherRandom() < scenario.noShowShare) {
          act({ type: 'counter:no-show', counterId }, me, now);
          continue;
        }
        act({ type: 'counter:start', counterId }, me, now);
        idle.delete(counterId);
        const took = handlingMs(services.get(t.service)!.handling) / speed.get(counterId)!;
        busyMs.set(counterId, busyMs.get(counterId)! + took);
        agenda.push(now + took, () => {
          act({ type: 'counter:complete', counterId, outcome: 'accepted' }, me, now + took);
          settle(counterId, now + took);
          dispatch(now + took);
        });
      }
    };

    // Staff who came in open their counters at opening time.
    for (const c of scenario.counters) {
      if (otherRandom() < scenario.absentShare) continue;
      act({ type: 'counter:open', counterId: c.id }, staffOf(c.id), openAt);
      idle.add(c.id);
    }
    for (let d = 0; d < spanDays; d++)
      for (const b of scenario.breaks)
        agenda.push(at(b.from, d), () => {
          if (!state.counters.get(b.counter) || state.counters.get(b.counter)!.state === 'closed') return;
          breakDue.set(b.counter, b.minutes);
          if (idle.delete(b.counter)) settle(b.counter, at(b.from, d));
        });
    for (let d = 0; d < spanDays; d++)
      for (const o of scenario.outages) {
        const from = at(o.from, d);
        const until = from + o.minutes * MINUTE;
        agenda.push(from, () => {
          down = true;
          for (const counterId of [...idle]) {
            idle.delete(counterId);
            settle(counterId, from);
          }
        });
        agenda.push(until, () => {
          down = false;
          for (const [counterId, c] of state.counters)
            if (c.state === 'paused' && c.pauseNote === 'outage') resume(counterId, until);
        });
      }

    // Arrivals: a Poisson process per service, its rate by time of day (thinning at the peak rate).
    for (const service of scenario.services) {
      const profile =
        typeof service.arrivals === 'number'
          ? [{ from: scenario.open, perHour: service.arrivals }]
          : service.arrivals;
      const rateAt = (when: number) => {
        const minute = ((when - midnight) / MINUTE) % (24 * 60);
        let rate = 0;
        for (const p of profile) if (minutesOf(p.from) <= minute) rate = p.perHour;
        return rate;
      };
      const peak = Math.max(...profile.map((p) => p.perHour));
      if (peak <= 0) continue;
      const next = (from: number) => {
        let when = from;
        for (;;) {
          when += exponential(60 / peak) * MINUTE;
          if (when >= closeAt) return;
          if (random() * peak < rateAt(when)) break;
        }
        agenda.push(when, () => {
          const draw = random();
          const priority: Priority =
            draw < service.specialCareShare
              ? 'special-care'
              : draw < service.specialCareShare + service.appointmentShare
                ? 'appointment'
                : 'normal';
          // An appointment holder comes up to 20 minutes early; the dispenser reads their booking.
          const slot = priority === 'appointment' ? when + random() * 20 * MINUTE : undefined;
          const r = act(
            {
              type: 'ticket:issue',
              serviceId: service.id,
              priority,
              channel: 'kiosk',
              ...(slot === undefined ? {} : { appointmentAt: slot }),
            },
            // Everyone takes a ticket at the hall's kiosk (the dispenser trusted with special care).
            dispenser,
            when,
          );
          if (r.ok) {
            const e = r.events[0]!;
            if (e.type === 'ticket:issued') {
              // What the kiosk shows: the engine's view of the new ticket, and the two simple estimates.
              const view = ticketView(state, state.tickets.get(e.ticketId)!, when);
              const working = [...state.counters.values()].filter(
                (c) => isWorking(c.state) && c.serviceIds.includes(service.id),
              ).length;
              issued.set(e.ticketId, {
                at: when,
                due: slot ?? when,
                service: service.id,
                priority,
                band: view.wait,
                naive: working === 0 ? null : (view.ahead * service.handling.meanMinutes) / working,
                last: lastWait.get(service.id) ?? 0,
              });
            }
            tickets++;
            dispatch(when);
          }
          next(when);
        });
      };
      next(openAt);
    }

    let now = openAt;
    for (let item = agenda.pop(); item; item = agenda.pop()) {
      now = item.at;
      item.run();
    }
    openMs += Math.max(closeAt, now) - openAt;
    learnt = state;
  }

  const result: SimulationResult['waits'] = {};
  const everyone: number[] = [];
  let withinAll = 0;
  for (const service of scenario.services) {
    const perClass: Record<string, WaitStats> = {};
    const all: number[] = [];
    for (const p of ['normal', 'special-care', 'appointment'] as const) {
      const w = waits.get(`${service.id}/${p}`) ?? [];
      if (w.length > 0) perClass[p] = stats(w, service.targetWaitMinutes);
      for (const x of w) all.push(x); // no spread: a long run holds millions
    }
    perClass.all = stats(all, service.targetWaitMinutes);
    withinAll += perClass.all.withinTarget * all.length;
    for (const x of all) everyone.push(x);
    result[service.id] = perClass;
  }
  const overall = stats(everyone, Infinity);
  const utilisation: Record<Id, number> = {};
  for (const [id, ms] of busyMs) utilisation[id] = openMs > 0 ? ms / openMs : 0;
  return {
    scenario: scenario.name,
    policy,
    days: opts.days,
    seed: opts.seed,
    tickets,
    transitions,
    waits: result,
    overall: { ...overall, withinTarget: everyone.length > 0 ? withinAll / everyone.length : 1 },
    utilisation,
    predictions: {
      engine: { ...engineError.stats(), withinBand: engineError.count > 0 ? inBand / engineError.count : 1 },
      naive: naiveError.stats(),
      lastServed: lastServedError.stats(),
    },
    elapsedMs: performance.now() - started,
  };
}

/** Erlang C: the mean wait in queue (minutes) of an M/M/c queue with arrival rate λ and service rate μ per minute. */
export function erlangCWait(c: number, lambdaPerMinute: number, meanServiceMinutes: number): number {
  const a = lambdaPerMinute * meanServiceMinutes;
  const rho = a / c;
  if (rho >= 1) return Infinity;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = (term * a) / c / (1 - rho);
  const pWait = last / (sum + last);
  return pWait / (c / meanServiceMinutes - lambdaPerMinute);
}
