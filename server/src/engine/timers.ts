import type { Command } from '@yichuang/protocol';
import { ABSENCE_LIMIT_MS, periodsOfDate } from '@yichuang/protocol';
import { escalationDue } from './alerts.js';
import { caseTimers } from './cases.js';
import { absenceDue, emptyPostDue } from './decide.js';
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
    // R6: the absence limit, earlier pauses of the same absence counted.
    if (c.state === 'paused' && !c.absenceExceeded) {
      timers.push({
        key: `absence:${c.id}:${c.since}`,
        at: absenceDue(state, c),
        command: { type: 'counter:check-absence', counterId: c.id, pausedAt: c.since },
      });
    }
    // R5: an open counter idle while people wait for it.
    if (c.state === 'open') {
      const at = emptyPostDue(state, c.id);
      const reported = [...state.alerts.values()].some(
        (a) => a.kind === 'empty-post' && a.counterId === c.id && a.resolvedAt === null,
      );
      if (at !== null && !reported)
        timers.push({
          key: `empty-post:${c.id}:${c.since}:${at}`,
          at,
          command: { type: 'counter:check-empty-post', counterId: c.id, since: c.since },
        });
    }
  }
  // R26: the forecasts at each mark before each of today's closings.
  if (state.day !== '') {
    const { openingHours, timeZone, rules } = state.config;
    for (const p of periodsOfDate(openingHours, timeZone, state.day))
      for (const mark of rules.closingMarks)
        // A closing already past (the day's first event came after it) needs no forecast.
        if (p.closesAt > state.lastAt && !state.closingChecks.includes(`${p.closesAt}:${mark}`))
          timers.push({
            key: `closing:${p.closesAt}:${mark}`,
            at: p.closesAt - mark * 60_000,
            command: { type: 'hall:check-closing', closesAt: p.closesAt, mark },
          });
  }
  // R34: a rating not given within the window is recorded as not given.
  const window = state.config.rules.ratingWindowMinutes * 60_000;
  for (const [ticketId, completedAt] of state.ratingsOpen)
    timers.push({
      key: `rating:${ticketId}`,
      at: completedAt + window,
      command: { type: 'ticket:close-rating', ticketId },
    });
  for (const a of state.alerts.values()) {
    const at = escalationDue(state, a);
    if (at !== null)
      timers.push({
        key: `escalate:${a.id}:${a.escalations}`,
        at,
        command: { type: 'alert:check-escalation', alertId: a.id, escalations: a.escalations },
      });
  }
  // R14, R36: the cases' reminders and deadlines.
  timers.push(...caseTimers(state));
  return timers;
}
