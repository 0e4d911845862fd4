import type { ErrorBody, HallEvent, VersionedEvent } from '@yichuang/protocol';
import { decide, type CommandEnvelope } from './decide.js';
import { endsDay, evolve } from './evolve.js';
import type { HallState } from './state.js';
import { localDay } from './local-day.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The result of a transition: the new state and the versioned events, or a rejection. */
export type Transition =
  { ok: true; state: HallState; events: VersionedEvent[] } | { ok: false; error: ErrorBody };

/** Applies versioned events in order; each event's version is the state's version after it. */
export function applyEvents(state: HallState, events: readonly VersionedEvent[]): HallState {
  let s = state;
  for (const e of events) {
    const next = evolve(s, e);
    const stamp = { version: e.version, lastAt: Math.max(s.lastAt, e.at) };
    // A state evolve returns other than its input was made by it just now and is seen by no one
    // else yet: stamped in place rather than copied once more (a copy of the whole state per event).
    s = next === s ? { ...s, ...stamp } : Object.assign(next as Mutable<HallState>, stamp);
    // The first event of a keyed command remembers the key, so a retry on any node is answered.
    if (e.key && !s.handled.has(e.key))
      s = {
        ...s,
        handled: s.handled.set(e.key, {
          day: s.day,
          version: e.version,
          ticketId: 'ticketId' in e ? e.ticketId : null,
        }),
      };
  }
  return s;
}

/**
 * #14: applies events like `applyEvents`, and hands `onClose` the hall as each local day ends: the
 * state just before the first event of the next day, which still holds that day's finished tickets
 * (the rollover lets them go). Pure; the archiver writes what it is given.
 */
export function applyEventsClosingDays(
  state: HallState,
  events: readonly VersionedEvent[],
  onClose: (closing: HallState) => void,
): HallState {
  let s = state;
  let from = 0;
  let day = state.day;
  for (let i = 0; i < events.length; i++) {
    const next = localDay(events[i]!.at, state.config.timeZone);
    if (endsDay(day, next)) {
      // Everything up to the boundary in one go; the state then is the day that ends.
      s = applyEvents(s, events.slice(from, i));
      from = i;
      onClose(s);
    }
    if (next > day) day = next;
  }
  return applyEvents(s, events.slice(from));
}

/** Numbers a decision's events after the state's version; the first carries the command's key. */
export function numbered(
  state: HallState,
  env: CommandEnvelope,
  events: readonly HallEvent[],
): VersionedEvent[] {
  return events.map((e, i) => ({
    ...e,
    ...(i === 0 && env.key ? { key: env.key } : {}),
    version: state.version + i + 1,
  }));
}

/** Decides a command and applies its events: `transition(state, command, now)`. */
export function transition(state: HallState, env: CommandEnvelope, now: number): Transition {
  const decision = decide(state, env, now);
  if (!decision.ok) return decision;
  const events = numbered(state, env, decision.events);
  return { ok: true, state: applyEvents(state, events), events };
}
