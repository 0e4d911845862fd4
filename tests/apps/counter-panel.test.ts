import { beforeEach, describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { StaffSnapshot } from '@yichuang/protocol';
import { useCounterStore } from '../../counter-panel/src/stores/counter.js';
import WorkbenchView from '../../counter-panel/src/views/WorkbenchView.vue';

const T0 = Date.UTC(2026, 10, 27, 1, 0);
function hall(): StaffSnapshot {
  const ticket = (
    id: string,
    number: string,
    serviceId: string,
    status: 'waiting' | 'called',
    extra = {},
  ) => ({
    id,
    number,
    seq: 1,
    day: '2026-11-27',
    serviceId,
    priority: 'normal' as const,
    channel: 'kiosk' as const,
    status,
    issuedAt: T0,
    queuedAt: T0,
    calledAt: status === 'called' ? T0 + 60_000 : null,
    startedAt: null,
    endedAt: null,
    counterId: status === 'called' ? 'c05' : null,
    targetCounterId: null,
    recalls: 0,
    transfers: [],
    firstContactStaffId: null,
    servedByStaffId: null,
    outcome: null,
    ...extra,
  });
  return {
    protocolVersion: '1.0.0',
    version: 5,
    hall: {
      id: 'demo',
      name: '示范',
      nameEn: 'Demo',
      level: 'city',
      timeZone: 'Asia/Shanghai',
      openingHours: {},
    },
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
        targetWaitMinutes: 20,
        flags: { onTheSpot: false, commitment: false, deficiencyAcceptance: false },
      },
      {
        id: 'si',
        code: 'SB',
        name: '社保',
        nameEn: 'SI',
        prefix: 'A',
        category: '人社',
        categoryEn: 'HR',
        expectedMinutes: 8,
        targetWaitMinutes: 20,
        flags: { onTheSpot: false, commitment: false, deficiencyAcceptance: false },
      },
    ],
    counters: [{ id: 'c05', number: 5, type: 'comprehensive', serviceIds: ['tax'], floor: 1, zone: '' }],
    staff: [{ id: 's05', name: '陈静', badge: 'ZW0105' }],
    counterStatus: [
      {
        id: 'c05',
        state: 'calling',
        staffId: 's05',
        ticketId: 't1',
        pauseReason: null,
        since: T0,
        absenceExceeded: false,
        serviceIds: ['tax'],
      },
    ],
    devices: [],
    tickets: [
      ticket('t1', 'G001', 'tax', 'called'),
      ticket('t2', 'G002', 'tax', 'waiting'),
      ticket('t3', 'A001', 'si', 'waiting'),
    ],
    recentCalls: [],
    notices: [],
    issuingPaused: [],
  };
}

describe('counter panel', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    localStorage.clear();
  });

  it('shows the current ticket and only the queue this counter may call', () => {
    const store = useCounterStore();
    store.hall = hall();
    store.choose('c05');
    expect(store.current?.number).toBe('G001');
    expect(store.queue.map((q) => q.number)).toEqual(['G002']);
  });

  it('lists the queue in the order the hub calls: special care first within its head start (R15)', () => {
    const store = useCounterStore();
    const h = hall();
    const care = {
      ...h.tickets[1]!,
      id: 't4',
      number: 'G003',
      priority: 'special-care' as const,
      issuedAt: T0 + 60_000,
      queuedAt: T0 + 60_000,
    };
    store.hall = { ...h, tickets: [...h.tickets, care] };
    store.choose('c05');
    expect(store.queue.map((q) => q.number)).toEqual(['G003', 'G002']);
  });

  it('never pretends an action is done while offline: buttons off, and a sent command answers unavailable', async () => {
    const store = useCounterStore();
    store.hall = hall();
    store.choose('c05');
    store.link = 'offline';
    const w = mount(WorkbenchView);
    expect(w.get('button[data-action=callNext]').attributes('disabled')).toBeDefined();
    expect(w.get('button[data-action=callNext]').text()).toContain('N'); // the shortcut is on the button
    expect(w.text()).toContain('G001');
    expect(await store.act('counter:recall', { counterId: 'c05' })).toBe(false);
  });
});
