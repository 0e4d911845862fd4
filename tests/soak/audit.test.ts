import { describe, expect, it } from 'vitest';
import type { VersionedEvent } from '@yichuang/protocol';
import { transition, type HallState } from '@yichuang/server';
import { audit } from '../../scripts/soak/audit.js';
import { fresh, manager, MINUTE, smallHall, staff, T0 } from '../support/factories.js';

/** The events of a small day, as the hub would log them. */
function day(): { events: VersionedEvent[]; state: HallState } {
  let state = fresh();
  const events: VersionedEvent[] = [];
  const steps = [
    { command: { type: 'counter:open', counterId: 'c1' } as const, actor: staff('s1') },
    { command: { type: 'counter:open', counterId: 'c2' } as const, actor: staff('s2') },
    {
      command: { type: 'ticket:issue', serviceId: 'si', priority: 'normal', channel: 'kiosk' } as const,
      actor: manager,
    },
    {
      command: { type: 'ticket:issue', serviceId: 'si', priority: 'normal', channel: 'kiosk' } as const,
      actor: manager,
    },
    { command: { type: 'counter:call-next', counterId: 'c1' } as const, actor: staff('s1') },
    { command: { type: 'counter:call-next', counterId: 'c2' } as const, actor: staff('s2') },
  ];
  steps.forEach((s, i) => {
    const r = transition(state, { command: s.command, actor: s.actor, id: `t${i}` }, T0 + i * MINUTE);
    if (!r.ok) throw new Error(r.error.message);
    state = r.state;
    events.push(...r.events);
  });
  return { events, state };
}

describe('the soak audit', () => {
  it('finds nothing wrong in a clean log that holds every acknowledgement', () => {
    const { events } = day();
    const found = audit(smallHall(), events, {
      tickets: [
        { id: 't2', number: 'A001', serviceId: 'si' },
        { id: 't3', number: 'A002', serviceId: 'si' },
      ],
      calls: [
        { ticketId: 't2', counterId: 'c1', version: 5, recall: false },
        { ticketId: 't3', counterId: 'c2', version: 6, recall: false },
      ],
    });
    expect(found).toMatchObject({
      gapless: true,
      issued: 2,
      lostTickets: [],
      lostCalls: [],
      duplicateNumbers: [],
      doubleCalls: [],
    });
  });

  it('finds an acknowledged ticket or call the log lost, a number issued twice and a ticket at two counters', () => {
    const { events } = day();
    const issued = events.find((e) => e.type === 'ticket:issued')!;
    const called = events.find((e) => e.type === 'ticket:called')!;
    const tampered: VersionedEvent[] = [
      ...events,
      { ...issued, ticketId: 'again', version: events.length + 1 },
      { ...called, counterId: 'c2', counterNumber: 2, version: events.length + 2 },
    ];
    const found = audit(smallHall(), tampered, {
      tickets: [{ id: 'never-logged', number: 'A009', serviceId: 'si' }],
      calls: [{ ticketId: 't2', counterId: 'c3', version: 6, recall: false }],
    });
    expect(found.lostTickets).toEqual(['A009 (never-logged)']);
    expect(found.lostCalls).toEqual(['t2 at c3 (v6)']);
    expect(found.duplicateNumbers).toHaveLength(1);
    expect(found.doubleCalls.length).toBeGreaterThanOrEqual(1);
    expect(audit(smallHall(), [events[0]!, events[2]!], { tickets: [], calls: [] }).gapless).toBe(false);
  });
});
