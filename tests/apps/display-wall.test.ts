import { describe, expect, it, vi, beforeEach } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { PublicEvent, PublicSnapshot } from '@yichuang/protocol';
import { newTicketWait } from '@yichuang/protocol';
import { applyPublicEvent, waitText } from '../../display-wall/src/hall-model.js';
import { Announcer, callPhrase } from '../../display-wall/src/voice.js';
import { useHallStore } from '../../display-wall/src/stores/hall.js';
import { HALL_INFO } from '../support/views.js';
import WindowDisplay from '../../display-wall/src/views/WindowDisplay.vue';

function snapshot(): PublicSnapshot {
  return {
    protocolVersion: '1.0.0',
    version: 10,
    hall: HALL_INFO,
    emergency: null,
    services: [
      {
        id: 'tax',
        code: 'SW',
        name: '税务',
        nameEn: 'Tax',
        prefix: 'G',
        category: '税务',
        categoryEn: 'Tax',
        expectedMinutes: 10,
        identification: 'none',
        waiting: 2,
        issuing: true,
        handling: { meanMinutes: 10, cv: 1, samples: 0 },
      },
    ],
    counters: [
      {
        id: 'c05',
        number: 5,
        type: 'comprehensive',
        serviceIds: ['tax'],
        floor: 1,
        zone: '',
        state: 'open',
        staff: { name: '李娜', badge: 'ZW0105' },
        current: null,
      },
      {
        id: 'c06',
        number: 6,
        type: 'comprehensive',
        serviceIds: ['tax'],
        floor: 1,
        zone: '',
        state: 'closed',
        staff: null,
        current: null,
      },
    ],
    recentCalls: [],
    notices: [],
  };
}
type WithoutAt<T> = T extends unknown ? Omit<T, 'at'> : never;
const ev = (e: WithoutAt<PublicEvent>): PublicEvent => ({ at: 1, ...e });

describe('the wall’s copy of the hall', () => {
  it('follows calls, recalls, pauses and the waiting counts', () => {
    let s = applyPublicEvent(
      snapshot(),
      ev({
        type: 'ticket:called',
        version: 11,
        number: 'G001',
        serviceId: 'tax',
        counterId: 'c05',
        counterNumber: 5,
        recalls: 0,
      }),
    );
    expect(s.services[0]!.waiting).toBe(1);
    expect(s.counters[0]).toMatchObject({ state: 'calling', current: { number: 'G001' } });
    s = applyPublicEvent(
      s,
      ev({
        type: 'ticket:called',
        version: 12,
        number: 'G001',
        serviceId: 'tax',
        counterId: 'c05',
        counterNumber: 5,
        recalls: 1,
      }),
    );
    expect(s.services[0]!.waiting).toBe(1); // a recall takes nobody else out of the queue
    expect(s.recentCalls.map((c) => c.recalls)).toEqual([1, 0]);
    s = applyPublicEvent(
      s,
      ev({ type: 'ticket:completed', version: 13, number: 'G001', serviceId: 'tax', counterId: 'c05' }),
    );
    s = applyPublicEvent(s, ev({ type: 'counter:paused', version: 14, counterId: 'c05' }));
    expect(s.counters[0]).toMatchObject({ state: 'paused', current: null });
    expect(s.version).toBe(14);
  });

  it('predicts a new ticket’s wait from the tickets ahead and the pace the hall learnt, with a band', () => {
    // One free window, two waiting: the new ticket is called at the second departure, 10 min each.
    const wait = newTicketWait(snapshot(), 'tax')!;
    expect(wait.minutes).toBe(20);
    expect(wait.low).toBeLessThan(20);
    expect(wait.high).toBeGreaterThan(20);
    expect(waitText(wait)).toBe(`约 20 分钟（${wait.low}–${wait.high}）`);
    // The hall learnt that the service takes 4 minutes: the wall's wait follows the completion event.
    const learnt = applyPublicEvent(
      snapshot(),
      ev({
        type: 'ticket:completed',
        version: 11,
        number: 'G001',
        serviceId: 'tax',
        counterId: 'c05',
        handling: { meanMinutes: 4, cv: 0.5, samples: 12 },
      }),
    );
    expect(newTicketWait(learnt, 'tax')!.minutes).toBe(7);
  });

  it('counts a paused window only from when it is due back, not as serving now (defect 6, R6)', () => {
    const paused = applyPublicEvent(
      snapshot(),
      ev({ type: 'counter:paused', version: 11, counterId: 'c05' }),
    );
    // The only window is paused: the wait starts when it is back (at most 15 minutes, R6).
    const w = newTicketWait(paused, 'tax')!;
    expect(w.minutes).toBeGreaterThanOrEqual(15 + newTicketWait(snapshot(), 'tax')!.minutes);
    expect(w.low).toBeGreaterThanOrEqual(15);
    // Closed: nobody will come back to it, so no number.
    const closed = applyPublicEvent(
      snapshot(),
      ev({ type: 'counter:closed', version: 11, counterId: 'c05' }),
    );
    expect(newTicketWait(closed, 'tax')).toBeNull();
    expect(waitText(newTicketWait(closed, 'tax'))).toBe('暂无窗口办理');
    expect(waitText({ minutes: 0, low: 0, high: 0 })).toBe('即将叫号');
  });
});

describe('voice (R37)', () => {
  beforeEach(() => localStorage.clear());

  it('uses the standard calling phrase', () => {
    expect(callPhrase('A023', 5, 'zh')).toBe('请 A023 号到 5 号窗口办理');
  });

  it('announces calls one after another, never over each other, and stays quiet when off', async () => {
    const spoken: string[] = [];
    let finish: (() => void) | undefined;
    vi.stubGlobal(
      'SpeechSynthesisUtterance',
      class {
        onend: (() => void) | null = null;
        onerror: (() => void) | null = null;
        lang = '';
        volume = 1;
        rate = 1;
        constructor(readonly text: string) {}
      },
    );
    const speech = {
      speak: (u: { text: string; onend: () => void }) => {
        spoken.push(u.text);
        finish = u.onend;
      },
      cancel: () => undefined,
    };
    const a = new Announcer(speech as unknown as SpeechSynthesis, () => 'zh');
    a.announce('A001', 3);
    a.announce('A002', 4);
    await vi.waitFor(() => expect(spoken).toEqual(['请 A001 号到 3 号窗口办理']));
    finish?.();
    await vi.waitFor(() => expect(spoken).toHaveLength(2));
    expect(spoken[1]).toBe('请 A002 号到 4 号窗口办理');
    a.setEnabled(false);
    a.announce('A003', 5);
    await new Promise((r) => setTimeout(r, 50));
    expect(spoken).toHaveLength(2);
  });
});

describe('window display', () => {
  it('shows 暂停服务 for a paused window and the current number otherwise (R6, R19)', async () => {
    setActivePinia(createPinia());
    const store = useHallStore();
    store.applyForTest(
      applyPublicEvent(
        snapshot(),
        ev({
          type: 'ticket:called',
          version: 11,
          number: 'G001',
          serviceId: 'tax',
          counterId: 'c05',
          counterNumber: 5,
          recalls: 0,
        }),
      ),
    );
    const w = mount(WindowDisplay, { props: { counterId: 'c05' } });
    expect(w.get('[data-testid="window-number"]').text()).toBe('G001');
    expect(w.text()).toContain('李娜');
    store.applyForTest(
      applyPublicEvent(
        store.hall!,
        ev({ type: 'ticket:completed', version: 12, number: 'G001', serviceId: 'tax', counterId: 'c05' }),
      ),
    );
    store.applyForTest(
      applyPublicEvent(store.hall!, ev({ type: 'counter:paused', version: 13, counterId: 'c05' })),
    );
    await w.vm.$nextTick();
    expect(w.get('[data-testid="window-state"]').text()).toBe('暂停服务');
  });
});
