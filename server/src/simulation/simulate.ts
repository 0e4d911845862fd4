import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Actor, Command, Id, Priority } from '@yichuang/protocol';
import { initialState, transition, type HallState } from '../engine/index.js';
import { hallOf, type Handling, type Scenario } from './scenario.js';

const MINUTE = 60_000;

/** Waits of one service and class, in minutes. */
export type WaitStats = { count: number; mean: number; p90: number; max: number; withinTarget: number };

/** What a simulation measured. */
export type SimulationResult = {
  scenario: string;
  days: number;
  seed: number;
  tickets: number;
  transitions: number;
  /** Per service, per priority class, and `all`. */
  waits: Record<Id, Record<string, WaitStats>>;
  /** Share of its open time each counter was serving. */
  utilisation: Record<Id, number>;
  /** Wall-clock milliseconds the run took. */
  elapsedMs: number;
};

type Clocked = { at: number; seq: number; run: () => void };

/** A binary heap of timed events (earliest first; equal times in the order they were scheduled). */
class Agenda {
  private heap: Clocked[] = [];
  private seq = 0;
  get size() {
    return this.heap.length;
  }
  push(at: number, run: () => void) {
    const h = this.heap;
    h.push({ at, seq: this.seq++, run });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (before(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }
  pop(): Clocked | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}
const before = (a: Clocked, b: Clocked) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

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

/**
 * Simulates `days` hall days of a scenario, discrete-event, on a simulated clock, through the real
 * engine and its calling policy: applicants arrive as Poisson processes at each service's rate for
 * the time of day, every open counter calls the next ticket it may serve as soon as it is free, and
 * serves it for a handling time drawn from the service's distribution. Arrivals stop at closing
 * time; everybody who took a ticket is served (nobody is sent home). Seeded: the same scenario,
 * days and seed give the same result.
 */
export function simulate(scenario: Scenario, opts: { days: number; seed: number }): SimulationResult {
  const started = performance.now();
  const gen = xoroshiro128plus(opts.seed);
  const random = () => uniformFloat64(gen);
  const exponential = (mean: number) => -Math.log(1 - random()) * mean;
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const handlingMs = (h: Handling) => {
    if (h.kind === 'exponential') return exponential(h.meanMinutes) * MINUTE;
    const sigma2 = Math.log(1 + h.cv * h.cv);
    const mu = Math.log(h.meanMinutes) - sigma2 / 2;
    return Math.exp(mu + Math.sqrt(sigma2) * normal()) * MINUTE;
  };

  const config = hallOf(scenario);
  const publicActor: Actor = { kind: 'public' };
  const waits = new Map<string, number[]>();
  const busyMs = new Map<Id, number>(scenario.counters.map((c) => [c.id, 0]));
  let openMs = 0;
  let tickets = 0;
  let transitions = 0;
  let idSeq = 0;

  for (let day = 0; day < opts.days; day++) {
    // Day d of the simulation: a weekday in January 2026, local midnight in the hall's zone (UTC+8).
    const midnight = Date.UTC(2026, 0, 5 + day, 0, 0) - 8 * 60 * MINUTE;
    const openAt = midnight + minutesOf(scenario.open) * MINUTE;
    const closeAt = midnight + minutesOf(scenario.close) * MINUTE;
    let state: HallState = initialState(config);
    const agenda = new Agenda();
    const issuedAt = new Map<Id, { at: number; service: Id; priority: Priority }>();
    const idle = new Set<Id>(scenario.counters.map((c) => c.id));

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

    // Every counter is open from opening time.
    for (const c of scenario.counters) act({ type: 'counter:open', counterId: c.id }, staffOf(c.id), openAt);

    /** A free counter calls whoever it may serve next, and serves them. */
    const dispatch = (now: number) => {
      for (const counterId of [...idle]) {
        const me = staffOf(counterId);
        const called = act({ type: 'counter:call-next', counterId }, me, now);
        if (!called.ok) continue;
        const e = called.events[0]!;
        if (e.type !== 'ticket:called') continue;
        const t = issuedAt.get(e.ticketId)!;
        const key = `${t.service}/${t.priority}`;
        const wait = (now - t.at) / MINUTE;
        const list = waits.get(key);
        if (list) list.push(wait);
        else waits.set(key, [wait]);
        if (random() < scenario.noShowShare) {
          act({ type: 'counter:no-show', counterId }, me, now);
          continue;
        }
        act({ type: 'counter:start', counterId }, me, now);
        idle.delete(counterId);
        const service = scenario.services.find((s) => s.id === t.service)!;
        const took = handlingMs(service.handling);
        busyMs.set(counterId, busyMs.get(counterId)! + took);
        agenda.push(now + took, () => {
          act({ type: 'counter:complete', counterId, outcome: 'accepted' }, me, now + took);
          idle.add(counterId);
          dispatch(now + took);
        });
      }
    };

    // Arrivals: a Poisson process per service, its rate by time of day (thinning at the peak rate).
    for (const service of scenario.services) {
      const profile =
        typeof service.arrivals === 'number'
          ? [{ from: scenario.open, perHour: service.arrivals }]
          : service.arrivals;
      const rateAt = (at: number) => {
        const minute = (at - midnight) / MINUTE;
        let rate = 0;
        for (const p of profile) if (minutesOf(p.from) <= minute) rate = p.perHour;
        return rate;
      };
      const peak = Math.max(...profile.map((p) => p.perHour));
      if (peak <= 0) continue;
      const next = (from: number) => {
        let at = from;
        for (;;) {
          at += exponential(60 / peak) * MINUTE;
          if (at >= closeAt) return;
          if (random() * peak < rateAt(at)) break;
        }
        agenda.push(at, () => {
          const priority: Priority = random() < service.specialCareShare ? 'special-care' : 'normal';
          const r = act(
            { type: 'ticket:issue', serviceId: service.id, priority, channel: 'kiosk' },
            publicActor,
            at,
          );
          if (r.ok) {
            const e = r.events[0]!;
            if (e.type === 'ticket:issued') issuedAt.set(e.ticketId, { at, service: service.id, priority });
            tickets++;
            dispatch(at);
          }
          next(at);
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
  }

  const result: SimulationResult['waits'] = {};
  for (const service of scenario.services) {
    const perClass: Record<string, WaitStats> = {};
    const all: number[] = [];
    for (const p of ['normal', 'special-care'] as const) {
      const w = waits.get(`${service.id}/${p}`) ?? [];
      if (w.length > 0) perClass[p] = stats(w, service.targetWaitMinutes);
      all.push(...w);
    }
    perClass.all = stats(all, service.targetWaitMinutes);
    result[service.id] = perClass;
  }
  const utilisation: Record<Id, number> = {};
  for (const [id, ms] of busyMs) utilisation[id] = openMs > 0 ? ms / openMs : 0;
  return {
    scenario: scenario.name,
    days: opts.days,
    seed: opts.seed,
    tickets,
    transitions,
    waits: result,
    utilisation,
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
