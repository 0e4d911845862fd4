import type { ErrorBody, HallEvent, VersionedEvent } from '@yichuang/protocol';
import { decide, type CommandEnvelope } from './decide.js';
import { evolve } from './evolve.js';
import type { HallState } from './state.js';

/** The result of a transition: the new state and the versioned events, or a rejection. */
export type Transition =
  { ok: true; state: HallState; events: VersionedEvent[] } | { ok: false; error: ErrorBody };

/** Applies versioned events in order; each event's version is the state's version after it. */
export function applyEvents(state: HallState, events: readonly VersionedEvent[]): HallState {
  let s = state;
  for (const e of events) {
    s = { ...evolve(s, e), version: e.version, lastAt: Math.max(s.lastAt, e.at) };
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
