import type { ErrorBody, VersionedEvent } from '@yichuang/protocol';
import { decide, type CommandEnvelope } from './decide.js';
import { evolve } from './evolve.js';
import type { HallState } from './state.js';

/** The result of a transition: the new state and the versioned events, or a rejection. */
export type Transition =
  { ok: true; state: HallState; events: VersionedEvent[] } | { ok: false; error: ErrorBody };

/** Applies versioned events in order; each event's version is the state's version after it. */
export function applyEvents(state: HallState, events: readonly VersionedEvent[]): HallState {
  let s = state;
  for (const e of events) s = { ...evolve(s, e), version: e.version };
  return s;
}

/** Decides a command and applies its events: `transition(state, command, now)`. */
export function transition(state: HallState, env: CommandEnvelope, now: number): Transition {
  const decision = decide(state, env, now);
  if (!decision.ok) return decision;
  const events = decision.events.map((e, i) => ({ ...e, version: state.version + i + 1 }));
  return { ok: true, state: applyEvents(state, events), events };
}
