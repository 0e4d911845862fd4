import { describe, expect, it } from 'vitest';
import type { Actor, Command } from '@yichuang/protocol';
import { DEFAULT_RULES, issuingAt, nextOpening } from '@yichuang/protocol';
import { dueTimers, ticketView, transition, type HallState } from '@yichuang/server';
import { fresh, MINUTE, publicActor, run, smallHall, staff, system, T0 } from '../support/factories.js';

/**
 * R26 with the clock as an argument. T0 is Friday 27 November 2026, 09:00 in Shanghai; this hall is
 * open 09:00–17:00 on weekdays, the last ticket 30 minutes before closing.
 */
const weekday = [{ open: '09:00', close: '17:00' }];
const hall = () =>
  smallHall({
    openingHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
    rules: { ...DEFAULT_RULES, issuing: 'opening-hours', lastTicketMinutes: 30 },
  });
const HOUR = 60 * MINUTE;
const CLOSES = T0 + 8 * HOUR; // 17:00 Friday
const issue: Command = { type: 'ticket:issue', serviceId: 'tax', priority: 'normal', channel: 'kiosk' };
const attempt = (s: HallState, command: Command, at: number, actor: Actor = publicActor, id = 'x') =>
  transition(s, { command, actor, id }, at);
const errorOf = (r: ReturnType<typeof attempt>) => (r.ok ? 'applied' : `${r.error.code}: ${r.error.message}`);

describe('issuing follows the opening hours (R26)', () => {
  it('from opening to the last-ticket time; outside, the answer says when it opens again', () => {
    const s = fresh(hall());
    expect(errorOf(attempt(s, issue, T0 - MINUTE))).toBe(
      'hall-closed: Tickets are not issued now; issuing opens again 2026-11-27 09:00.',
    );
    expect(errorOf(attempt(s, issue, T0))).toBe('applied');
    expect(errorOf(attempt(s, issue, CLOSES - 31 * MINUTE))).toBe('applied');
    // 16:30 on a Friday: the next opening is Monday morning.
    expect(errorOf(attempt(s, issue, CLOSES - 30 * MINUTE))).toBe(
      'hall-closed: Tickets are not issued now; issuing opens again 2026-11-30 09:00.',
    );
    // Staff still issue (they serve whom they let in); a hall may issue around the clock.
    expect(errorOf(attempt(s, issue, CLOSES + HOUR, staff('s1')))).toBe('applied');
    const always = fresh(smallHall({ rules: { ...DEFAULT_RULES, issuing: 'always' } }));
    expect(errorOf(attempt(always, issue, CLOSES + HOUR))).toBe('applied');
  });

  it('knows the window the kiosk shows, and the next opening across a weekend', () => {
    const { openingHours: h, timeZone: tz } = hall();
    expect(issuingAt(h, tz, 30, T0 + HOUR)).toEqual({
      open: true,
      closesAt: CLOSES,
      lastTicketAt: CLOSES - 30 * MINUTE,
    });
    expect(issuingAt(h, tz, 30, CLOSES)).toEqual({ open: false, reopensAt: T0 + 3 * 24 * HOUR });
    expect(nextOpening({}, tz, T0)).toBeNull();
  });
});

describe('the closing-time forecast (R26)', () => {
  /** One tax window at 16:00 with ten applicants waiting (10 minutes each, as the hall expects). */
  function late(): HallState {
    const at = CLOSES - HOUR - 20 * MINUTE;
    return run(fresh(hall()), [
      { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1'), at },
      ...Array.from({ length: 10 }, (_, i) => ({
        command: issue,
        actor: publicActor,
        at: at + i * 1000,
        id: `t${i}`,
      })),
    ]);
  }

  it('sets a timer at each mark before closing', () => {
    const timers = dueTimers(late()).filter((t) => t.command.type === 'hall:check-closing');
    expect(timers.map((t) => [t.at, t.command])).toEqual([
      [CLOSES - HOUR, { type: 'hall:check-closing', closesAt: CLOSES, mark: 60 }],
      [CLOSES - 30 * MINUTE, { type: 'hall:check-closing', closesAt: CLOSES, mark: 30 }],
    ]);
  });

  it('at the mark, alerts with the tickets the live predictions put after closing, once', () => {
    const s = late();
    const check: Command = { type: 'hall:check-closing', closesAt: CLOSES, mark: 60 };
    const early = attempt(s, check, CLOSES - HOUR - MINUTE, system);
    expect(early.ok && early.events).toEqual([]);
    const r = attempt(s, check, CLOSES - HOUR, system, 'close-1');
    if (!r.ok) throw new Error(r.error.message);
    const [forecast, alert] = r.events;
    // One window at 10 minutes a ticket: the seventh is expected right at 17:00, the rest after it.
    expect(forecast).toMatchObject({ type: 'hall:closing-forecast', closesAt: CLOSES, mark: 60 });
    const atRisk = (forecast as { ticketIds: string[] }).ticketIds;
    expect(atRisk).toEqual(['t7', 't8', 't9']);
    expect(alert).toMatchObject({
      type: 'alert:raised',
      kind: 'closing-risk',
      rule: 'R26',
      detail: '60',
      ticketIds: atRisk,
    });
    // What each applicant is told agrees: the early ones before closing, the late ones past it.
    expect(ticketView(r.state, r.state.tickets.get('t0')!, CLOSES - HOUR)).toMatchObject({
      closesAt: CLOSES,
      pastClosing: false,
    });
    expect(ticketView(r.state, r.state.tickets.get('t9')!, CLOSES - HOUR)).toMatchObject({
      pastClosing: true,
    });
    // Done once: the timer is gone and a second delivery does nothing.
    expect(dueTimers(r.state).map((t) => t.key)).not.toContain(`closing:${CLOSES}:60`);
    const again = attempt(r.state, check, CLOSES - HOUR + MINUTE, system);
    expect(again.ok && again.events).toEqual([]);
  });

  it('records a mark with nobody at risk without an alert, and one delivered after closing as empty', () => {
    const quiet = run(fresh(hall()), [
      { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1'), at: CLOSES - 2 * HOUR },
      { command: issue, actor: publicActor, at: CLOSES - 2 * HOUR },
    ]);
    const r = attempt(
      quiet,
      { type: 'hall:check-closing', closesAt: CLOSES, mark: 60 },
      CLOSES - HOUR,
      system,
    );
    expect(r.ok && r.events.map((e) => e.type)).toEqual(['hall:closing-forecast']);
    const after = attempt(
      late(),
      { type: 'hall:check-closing', closesAt: CLOSES, mark: 30 },
      CLOSES + MINUTE,
      system,
    );
    expect(after.ok && after.events).toEqual([expect.objectContaining({ ticketIds: [] })]);
  });
});

describe('carry-over codes (R26, R38 H.5)', () => {
  const DAY = 24 * HOUR;
  /** Two applicants waiting for tax on Friday afternoon; the hall issues around the clock here. */
  function waiting(): HallState {
    return run(fresh(), [
      { command: issue, actor: publicActor, at: CLOSES - HOUR, id: 'a' },
      { command: issue, actor: publicActor, at: CLOSES - HOUR, id: 'b' },
    ]);
  }

  it('ends the tickets today with a code good from tomorrow for two weeks; the staff give it, not the public', () => {
    const s = waiting();
    expect(errorOf(attempt(s, { type: 'ticket:carry-over', ticketIds: ['a'] }, CLOSES, publicActor))).toMatch(
      /^not-allowed/,
    );
    const r = attempt(s, { type: 'ticket:carry-over', ticketIds: ['a', 'b', 'a'] }, CLOSES, staff('s2'));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.events).toEqual([
      expect.objectContaining({
        type: 'ticket:carried-over',
        ticketId: 'a',
        code: '20261127-G001',
        validUntil: '2026-12-11',
      }),
      expect.objectContaining({ type: 'ticket:carried-over', ticketId: 'b', code: '20261127-G002' }),
    ]);
    expect(r.state.tickets.get('a')).toMatchObject({ status: 'carried-over', carryOver: '20261127-G001' });
    expect(ticketView(r.state, r.state.tickets.get('a')!, CLOSES)).toMatchObject({
      status: 'carried-over',
      carryOver: { code: '20261127-G001', validUntil: '2026-12-11' },
    });
    // A finished ticket cannot be carried over.
    expect(
      errorOf(attempt(r.state, { type: 'ticket:carry-over', ticketIds: ['a'] }, CLOSES, staff('s2'))),
    ).toMatch(/^ticket-finished/);
  });

  it('is exchanged once, on a later day, for the same service with an appointment’s priority', () => {
    const given = run(waiting(), [
      { command: { type: 'ticket:carry-over', ticketIds: ['a'] }, actor: staff('s2'), at: CLOSES },
    ]);
    const back = (at: number, extra: Partial<Command> = {}, id = 'n1') =>
      attempt(given, { ...issue, carryOver: '20261127-G001', ...extra } as Command, at, publicActor, id);
    expect(errorOf(back(CLOSES + MINUTE))).toMatch(/^carry-over-not-valid/); // the same day
    expect(errorOf(back(T0 + 15 * DAY))).toMatch(/^carry-over-not-valid/); // expired
    expect(errorOf(back(T0 + 3 * DAY, { serviceId: 'si' }))).toMatch(/^invalid-payload/);
    expect(errorOf(back(T0 + 3 * DAY, { carryOver: '20261127-G009' }))).toMatch(/^unknown-carry-over/);
    const r = back(T0 + 3 * DAY);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.events[0]).toMatchObject({
      type: 'ticket:issued',
      priority: 'appointment',
      carriedFrom: '20261127-G001',
    });
    expect(r.state.carryOvers.get('20261127-G001')!.redeemedBy).toBe('n1');
    expect(
      errorOf(attempt(r.state, { ...issue, carryOver: '20261127-G001' }, T0 + 3 * DAY, publicActor)),
    ).toMatch(/^carry-over-used/);
  });
});
