import { z } from 'zod';
import { Id } from './common.js';
import { ABSENCE_LIMIT_MS } from './limits.js';
import type { CounterState } from './ticket.js';

/**
 * What the hall has learnt of how long a service takes at the counter: a mean and a coefficient of
 * variation (standard deviation ÷ mean), from `samples` services. Before the first, the prior is the
 * service's configured handling minutes with the spread of an exponential time (cv 1).
 */
export const Estimate = z.object({
  meanMinutes: z.number().positive(),
  cv: z.number().nonnegative(),
  samples: z.number().int().nonnegative(),
});
export type Estimate = z.infer<typeof Estimate>;

/** An estimate of one service, hall-wide (`staffId` null) or for one staff member. */
export const HandlingEstimate = Estimate.extend({ serviceId: Id, staffId: Id.nullable() });
export type HandlingEstimate = z.infer<typeof HandlingEstimate>;

/**
 * An expected wait until the call, in whole minutes, with the band the call falls in for about nine
 * applicants in ten (`low` ≤ `minutes` ≤ `high`). What every screen shows, from the engine's numbers.
 */
export const WaitBand = z.object({
  minutes: z.number().int().nonnegative(),
  low: z.number().int().nonnegative(),
  high: z.number().int().nonnegative(),
});
export type WaitBand = z.infer<typeof WaitBand>;

/** The prior spread of a handling time: exponential. */
export const PRIOR_CV = 1;
/** The prior counts as this many services: the first few real ones move the estimate quickly. */
const PRIOR_WEIGHT = 2;
/** Beyond this many samples the estimate is a moving average: it follows a service that changes. */
export const LEARNING_WINDOW = 50;
/** A staff member's own estimate replaces the service's once it rests on this many services. */
export const STAFF_SAMPLES_MIN = 20;
/** Handling times outside these bounds (minutes) are clipped: a counter left "serving" over lunch is not a service time. */
const CLIP = { min: 0.25, max: 240 };

/** The estimate a service starts from. */
export const priorEstimate = (expectedMinutes: number): Estimate => ({
  meanMinutes: expectedMinutes,
  cv: PRIOR_CV,
  samples: 0,
});

/** The estimate after one more service took `minutes` (an exponentially weighted mean and variance). */
export function learn(e: Estimate, minutes: number): Estimate {
  const x = Math.min(CLIP.max, Math.max(CLIP.min, minutes));
  const alpha = Math.max(1 / (e.samples + 1 + PRIOR_WEIGHT), 1 / LEARNING_WINDOW);
  const d = x - e.meanMinutes;
  const mean = e.meanMinutes + alpha * d;
  const variance = (1 - alpha) * ((e.cv * e.meanMinutes) ** 2 + alpha * d * d);
  return { meanMinutes: mean, cv: Math.sqrt(variance) / mean, samples: e.samples + 1 };
}

/**
 * The band is the 10th to the 90th percentile of the predicted wait; with the widening below, about
 * nine applicants in ten are called inside it on the shipped scenarios (docs/benchmarks.md).
 */
const Z = 1.28;
/**
 * What the model does not see (a special-care ticket arriving ahead, a counter pausing, a transfer,
 * a power cut) widens the band by this share of the mean, so it is not falsely sharp. Calibrated on
 * the shipped scenarios (0.2 left 83.5 % of the power-cut day's applicants inside their band).
 */
const UNMODELLED = 0.25;

/**
 * A counter that may call the ticket, working now: how fast it serves the ticket's service, whether
 * it is free, and the share of its time that goes to that service's queue (1 for a counter that
 * serves nothing else; a counter serving several splits its time by the work waiting in each).
 */
export type Server = { meanMinutes: number; cv: number; free: boolean; share: number };

/**
 * The wait until the call of a ticket with `position` tickets before it in its own queue, served by
 * `servers` (null when there are none: no honest number). The ticket is called at the
 * (position + 1 − free)-th call from its queue: calls come at the rate the counters give the queue
 * (their shares over their handling times), the first after a residual service time; the spread is
 * a gamma with the pooled counters' variation (one counter's own cv, tending to Poisson as they grow).
 */
export function predictWait(position: number, servers: readonly Server[]): WaitBand | null {
  if (servers.length === 0) return null;
  const departures = position + 1 - servers.filter((s) => s.free).length;
  if (departures <= 0) return { minutes: 0, low: 0, high: 0 };
  let rate = 0;
  let cv2 = 0;
  let k = 0;
  for (const s of servers) {
    rate += s.share / s.meanMinutes;
    cv2 += s.share * s.cv * s.cv;
    k += s.share;
  }
  if (rate <= 0) return null;
  const ownCv2 = cv2 / k;
  const pooledCv2 = k <= 1 ? ownCv2 : (ownCv2 + k - 1) / k;
  const units = departures - 1 + (1 + pooledCv2) / 2;
  const mean = units / rate;
  const variance = (units * pooledCv2) / rate ** 2 + (UNMODELLED * mean) ** 2;
  const shape = (mean * mean) / variance;
  const quantile = (z: number) =>
    Math.max(0, mean * (1 - 1 / (9 * shape) + z * Math.sqrt(1 / (9 * shape))) ** 3);
  const minutes = Math.round(mean);
  return {
    minutes,
    low: Math.min(minutes, Math.floor(quantile(-Z))),
    high: Math.max(minutes, Math.ceil(quantile(Z))),
  };
}

/**
 * The share of a counter's time that goes to `serviceId` when it serves `serviceIds`: the work
 * waiting for it (tickets × handling minutes) over the work waiting for all of them.
 */
export function shareOf(serviceId: Id, serviceIds: readonly Id[], work: (serviceId: Id) => number): number {
  const mine = work(serviceId);
  let all = 0;
  for (const sid of serviceIds) all += work(sid);
  return all > 0 ? mine / all : 1;
}

/** Whether a counter in this state serves anybody now (a paused or closed window does not). */
export const isWorking = (state: CounterState) =>
  state === 'open' || state === 'calling' || state === 'serving';

/** The estimate to use for `serviceId` at a counter staffed by `staffId`: theirs once it rests on enough services. */
export function estimateFor(
  estimates: ReadonlyMap<string, Estimate>,
  serviceId: Id,
  staffId: Id | null,
  expectedMinutes: number,
): Estimate {
  const own = staffId === null ? undefined : estimates.get(estimateKey(serviceId, staffId));
  if (own && own.samples >= STAFF_SAMPLES_MIN) return own;
  return estimates.get(estimateKey(serviceId, null)) ?? priorEstimate(expectedMinutes);
}

/**
 * How long `serviceId` takes at a counter staffed by `staffId` in a hall with these services and
 * learnt estimates: what `HallFacts.handling` answers for the engine and for a staff snapshot.
 */
export function handlingIn(
  estimates: ReadonlyMap<string, Estimate>,
  services: readonly { id: Id; expectedMinutes: number }[],
  serviceId: Id,
  staffId: Id | null,
): Estimate {
  // A service the hall does not name never reaches here in a consistent hall; ten minutes if it does.
  const expected = services.find((s) => s.id === serviceId)?.expectedMinutes ?? 10;
  return estimateFor(estimates, serviceId, staffId, expected);
}

/** The key of an estimate in a hall's table. */
export const estimateKey = (serviceId: Id, staffId: Id | null) =>
  staffId === null ? serviceId : `${staffId}\u0000${serviceId}`;

/** The table of a list of estimates (as snapshots carry them). */
export const estimatesOf = (list: readonly HandlingEstimate[]): Map<string, Estimate> =>
  new Map(
    list.map(({ serviceId, staffId, meanMinutes, cv, samples }) => [
      estimateKey(serviceId, staffId),
      { meanMinutes, cv, samples },
    ]),
  );

/** How long a paused window is expected to stay away: the standard's limit on a pause without cover (R6). */
const PAUSE_MINUTES = ABSENCE_LIMIT_MS / 60_000;

/**
 * A paused window comes back (R6: within 15 minutes): for a wait longer than that it serves the
 * queue for the rest of it. With no window working, the wait starts when the first paused one is back.
 */
export function withPaused(
  band: WaitBand | null,
  position: number,
  servers: Server[],
  paused: Server[],
): WaitBand | null {
  if (paused.length === 0) return band;
  if (band === null) {
    const later = predictWait(position, paused);
    return (
      later && {
        minutes: later.minutes + PAUSE_MINUTES,
        low: later.low + PAUSE_MINUTES,
        high: later.high + PAUSE_MINUTES,
      }
    );
  }
  if (band.minutes <= PAUSE_MINUTES) return band;
  const part = 1 - PAUSE_MINUTES / band.minutes;
  return predictWait(position, [...servers, ...paused.map((p) => ({ ...p, share: p.share * part }))]);
}
