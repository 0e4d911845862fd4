import { onLeaveOn } from './attendance.js';
import { localDay } from './local-day.js';
import type { Id } from './common.js';
import type { Command } from './commands.js';
import { factsOfSnapshot } from './hall-rules.js';
import type { CounterStatus } from './ticket.js';
import type { StaffSnapshot } from './views.js';
import { isWorking } from './waits.js';

/** How far ahead the advice looks, in minutes. */
export const ADVICE_HORIZON_MINUTES = 60;
/** What the projection counts as the wait of a service nobody serves. */
const UNSERVED_MINUTES = 24 * 60;
/** Waiting-minutes an hour a suggestion must save to be worth a manager's attention. */
const MIN_GAIN = 15;

/** A service's expected mean wait over the next hour, before and after a suggestion (null: nobody serves it). */
export type AdviceEffect = { serviceId: Id; before: number | null; after: number | null };

/**
 * A suggestion for the manager: what to do, the commands that do it (applied in order with one
 * click), its effect on the services it touches, and the waiting-minutes it saves over the next
 * hour (negative for a counter that may close: what closing it costs).
 */
export type Advice = AdviceAction & { commands: Command[]; effects: AdviceEffect[]; gain: number };

/** What a suggestion proposes. */
export type AdviceAction =
  | { kind: 'open-counter'; counterId: Id; staffId: Id }
  | { kind: 'add-service'; counterId: Id; serviceId: Id }
  | { kind: 'move-staff'; staffId: Id; fromCounterId: Id; toCounterId: Id }
  | { kind: 'close-counter'; counterId: Id };

/** A counter as the projection sees it: its services and whose pace it works at. */
type Desk = { id: Id; serviceIds: readonly Id[]; staffId: Id | null };

/**
 * The arrival forecast for the next hour per service (per minute): the last hour's rate, leaning
 * towards the last half hour's so a rising morning peak is seen coming.
 */
export function arrivalForecast(s: StaffSnapshot, now: number): Map<Id, number> {
  const out = new Map<Id, number>(s.services.map((x) => [x.id, 0]));
  const hour = new Map<Id, number>();
  const half = new Map<Id, number>();
  for (const t of s.tickets) {
    if (t.issuedAt > now || t.issuedAt <= now - 60 * 60_000) continue;
    hour.set(t.serviceId, (hour.get(t.serviceId) ?? 0) + 1);
    if (t.issuedAt > now - 30 * 60_000) half.set(t.serviceId, (half.get(t.serviceId) ?? 0) + 1);
  }
  for (const x of s.services)
    out.set(x.id, (0.5 * (hour.get(x.id) ?? 0)) / 60 + (0.5 * (half.get(x.id) ?? 0)) / 30);
  return out;
}

/**
 * The expected mean wait (minutes) of each service's applicants over the next hour, with these
 * desks working: each desk gives a service a share of its time by the work waiting and expected
 * for it; the backlog drains (or grows) as a fluid at the net rate, plus the queueing delay of
 * random arrivals at that load (Sakasegawa's approximation).
 */
export function projectWaits(
  s: StaffSnapshot,
  desks: readonly Desk[],
  forecast: ReadonlyMap<Id, number>,
): Map<Id, number | null> {
  const h = factsOfSnapshot(s);
  const waiting = waitingBy(s);
  const H = ADVICE_HORIZON_MINUTES;
  const work = (sid: Id, staffId: Id | null) =>
    ((waiting.get(sid) ?? 0) + (forecast.get(sid) ?? 0) * H) * h.handling(sid, staffId).meanMinutes;
  const rate = new Map<Id, number>();
  const servers = new Map<Id, number>();
  for (const d of desks) {
    let all = 0;
    for (const sid of d.serviceIds) all += work(sid, d.staffId);
    for (const sid of d.serviceIds) {
      const share = all > 0 ? work(sid, d.staffId) / all : 1 / d.serviceIds.length;
      rate.set(sid, (rate.get(sid) ?? 0) + share / h.handling(sid, d.staffId).meanMinutes);
      servers.set(sid, (servers.get(sid) ?? 0) + share);
    }
  }
  const out = new Map<Id, number | null>();
  for (const x of s.services) {
    const B = waiting.get(x.id) ?? 0;
    const lambda = forecast.get(x.id) ?? 0;
    const mu = rate.get(x.id) ?? 0;
    if (mu <= 0) {
      out.set(x.id, B + lambda > 0 ? null : 0);
      continue;
    }
    // The backlog over the hour as a fluid: it grows, or drains until empty.
    let meanQueue: number;
    if (lambda >= mu) meanQueue = B + ((lambda - mu) * H) / 2;
    else {
      const empty = B / (mu - lambda);
      meanQueue = empty >= H ? B - ((mu - lambda) * H) / 2 : (B * empty) / 2 / H;
    }
    const u = lambda / mu;
    const k = Math.max(1, servers.get(x.id) ?? 1);
    const random = u < 0.98 && lambda > 0 ? u ** Math.sqrt(2 * (k + 1)) / (1 - u) / lambda : 0;
    out.set(x.id, meanQueue / mu + random);
  }
  return out;
}

/** How many wait per service now. */
function waitingBy(s: StaffSnapshot): Map<Id, number> {
  const waiting = new Map<Id, number>();
  for (const t of s.tickets)
    if (t.status === 'waiting') waiting.set(t.serviceId, (waiting.get(t.serviceId) ?? 0) + 1);
  return waiting;
}

/** The waiting-minutes of the next hour: each service's expected wait times the people it concerns. */
function cost(
  s: StaffSnapshot,
  waits: ReadonlyMap<Id, number | null>,
  forecast: ReadonlyMap<Id, number>,
  waiting: ReadonlyMap<Id, number>,
) {
  let total = 0;
  for (const x of s.services) {
    const people = (waiting.get(x.id) ?? 0) + (forecast.get(x.id) ?? 0) * ADVICE_HORIZON_MINUTES;
    const w = waits.get(x.id);
    // Nobody serving a service is worse than any wait with somebody serving it: a day for everybody.
    total += people * (w === null || w === undefined ? UNSERVED_MINUTES : w);
  }
  return total;
}

/**
 * Dispatch advice from the live hall and the arrival forecast for the next hour: open a closed
 * counter with a free staff member, add a service to a working counter, move a staff member from
 * an idle counter to a closed one, or close an idle counter nobody will miss; each with its expected
 * effect on the waits. Best first, at most `limit`; closing suggestions only when no service is at
 * risk of its target.
 */
export function dispatchAdvice(s: StaffSnapshot, now: number, limit = 5): Advice[] {
  const forecast = arrivalForecast(s, now);
  const status = new Map<Id, CounterStatus>(s.counterStatus.map((c) => [c.id, c]));
  const working: Desk[] = s.counterStatus
    .filter((c) => isWorking(c.state))
    .map((c) => ({ id: c.id, serviceIds: c.serviceIds, staffId: c.staffId }));
  const base = projectWaits(s, working, forecast);
  const waiting = waitingBy(s);
  const baseCost = cost(s, base, forecast, waiting);
  const target = new Map(s.services.map((x) => [x.id, x.targetWaitMinutes]));
  const atRisk = (w: number | null | undefined, sid: Id) => w === null || (w ?? 0) > 0.5 * target.get(sid)!;
  const anyAtRisk = s.services.some((x) => atRisk(base.get(x.id), x.id));
  const effectsOf = (after: ReadonlyMap<Id, number | null>, touched: Iterable<Id>): AdviceEffect[] =>
    [...new Set(touched)]
      .map((serviceId) => ({
        serviceId,
        before: base.get(serviceId) ?? null,
        after: after.get(serviceId) ?? null,
      }))
      .filter((e) => e.before !== e.after);
  const out: Advice[] = [];
  const consider = (what: AdviceAction, desks: Desk[], touched: readonly Id[], commands: Command[]) => {
    const after = projectWaits(s, desks, forecast);
    const gain = baseCost - cost(s, after, forecast, waiting);
    out.push({ ...what, commands, effects: effectsOf(after, touched), gain });
  };

  const busyStaff = new Set(s.counterStatus.flatMap((c) => (c.staffId ? [c.staffId] : [])));
  // R7: nobody on leave today is proposed for a counter.
  const today = localDay(now, s.hall.timeZone);
  const freeStaff = s.staff.filter((x) => !busyStaff.has(x.id) && !onLeaveOn(s.leave, x.id, today));
  const closed = s.counterStatus.filter((c) => c.state === 'closed' && c.serviceIds.length > 0);
  const servesAtRisk = (ids: readonly Id[]) => ids.some((sid) => atRisk(base.get(sid), sid));

  if (anyAtRisk) {
    // Open a closed counter that serves a service at risk, with the first free staff member.
    const staff = freeStaff[0];
    if (staff)
      for (const c of closed)
        if (servesAtRisk(c.serviceIds))
          consider(
            { kind: 'open-counter', counterId: c.id, staffId: staff.id },
            [...working, { id: c.id, serviceIds: c.serviceIds, staffId: staff.id }],
            c.serviceIds,
            [{ type: 'counter:open', counterId: c.id, staffId: staff.id }],
          );
    // Add a service at risk to a working counter that does not serve it yet.
    for (const x of s.services) {
      if (!atRisk(base.get(x.id), x.id)) continue;
      for (const d of working) {
        if (d.serviceIds.includes(x.id)) continue;
        const serviceIds = [...d.serviceIds, x.id];
        consider(
          { kind: 'add-service', counterId: d.id, serviceId: x.id },
          working.map((w) => (w.id === d.id ? { ...w, serviceIds } : w)),
          serviceIds,
          [{ type: 'counter:set-services', counterId: d.id, serviceIds }],
        );
      }
    }
    // No free staff: move one from an idle counter whose services are not at risk to a closed one.
    if (!staff)
      for (const from of working) {
        if (status.get(from.id)?.state !== 'open' || !from.staffId || servesAtRisk(from.serviceIds)) continue;
        for (const to of closed)
          if (servesAtRisk(to.serviceIds))
            consider(
              { kind: 'move-staff', staffId: from.staffId, fromCounterId: from.id, toCounterId: to.id },
              [
                ...working.filter((w) => w.id !== from.id),
                { id: to.id, serviceIds: to.serviceIds, staffId: from.staffId },
              ],
              [...from.serviceIds, ...to.serviceIds],
              [
                { type: 'counter:close', counterId: from.id },
                { type: 'counter:open', counterId: to.id, staffId: from.staffId },
              ],
            );
      }
  } else {
    // Nothing at risk: an idle counter may close if every service it serves stays well inside its target.
    for (const d of working) {
      if (status.get(d.id)?.state !== 'open') continue;
      const rest = working.filter((w) => w.id !== d.id);
      const after = projectWaits(s, rest, forecast);
      const fine = d.serviceIds.every((sid) => {
        const w = after.get(sid);
        return w !== null && w !== undefined && w <= 0.25 * target.get(sid)!;
      });
      if (fine)
        consider({ kind: 'close-counter', counterId: d.id }, rest, d.serviceIds, [
          { type: 'counter:close', counterId: d.id },
        ]);
    }
  }

  const helpful = out.filter((a) => (a.kind === 'close-counter' ? true : a.gain >= MIN_GAIN));
  // Best first; among closings, the cheapest first.
  helpful.sort((a, b) => b.gain - a.gain);
  // One suggestion per counter: the best thing to do with it.
  const seen = new Set<Id>();
  return helpful
    .filter((a) => {
      const key = a.kind === 'move-staff' ? a.toCounterId : a.counterId;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, limit);
}
