import { beforeEach, describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { StaffSnapshot } from '@yichuang/protocol';
import { service, staffSnapshot, ticket, VIEW_T0 } from '../support/views.js';
import { useCounterStore } from '../../counter-panel/src/stores/counter.js';
import WorkbenchView from '../../counter-panel/src/views/WorkbenchView.vue';

const T0 = VIEW_T0;

/** Counter 5 serves tax and is calling G001; G002 (tax) and A001 (social insurance) wait. */
function hall(): StaffSnapshot {
  return staffSnapshot({
    version: 5,
    services: [
      service(),
      service({ id: 'si', code: 'SB', name: '社保', nameEn: 'SI', prefix: 'A', expectedMinutes: 8 }),
    ],
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
    tickets: [
      ticket({ id: 't1', number: 'G001', status: 'called', calledAt: T0 + 60_000, counterId: 'c05' }),
      ticket({ id: 't2', number: 'G002' }),
      ticket({ id: 't3', number: 'A001', serviceId: 'si' }),
    ],
  });
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
