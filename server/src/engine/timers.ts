import type { Command } from '@yichuang/protocol';
import { ABSENCE_LIMIT_MS } from '@yichuang/protocol';
import type { HallState } from './state.js';

export { ABSENCE_LIMIT_MS };

/** A command the scheduler must deliver at `at`; `key` is stable so a timer is set once. */
export type Timer = { key: string; at: number; command: Command };

/**
 * The timers the hall needs now, derived from its state alone: the shell reconciles its
 * scheduler with this list after every change and at start-up, so no timer is lost on restart.
 */
export function dueTimers(state: HallState): Timer[] {
  const timers: Timer[] = [];
  for (const c of state.counters.values()) {
    if (c.state === 'paused' && !c.absenceExceeded) {
      timers.push({
        key: `absence:${c.id}:${c.since}`,
        at: c.since + ABSENCE_LIMIT_MS,
        command: { type: 'counter:check-absence', counterId: c.id, pausedAt: c.since },
      });
    }
  }
  return timers;
}
