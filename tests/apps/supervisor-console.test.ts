import { beforeEach, describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { StaffSnapshot } from '@yichuang/protocol';
import { useHallStore } from '../../supervisor-console/src/stores/hall.js';
import DispatchPanel from '../../supervisor-console/src/components/DispatchPanel.vue';

function hall(): StaffSnapshot {
  return {
    protocolVersion: '1.0.0',
    version: 3,
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
    ],
    counters: [{ id: 'c05', number: 5, type: 'comprehensive', serviceIds: ['tax'], floor: 1, zone: '' }],
    staff: [],
    counterStatus: [
      {
        id: 'c05',
        state: 'closed',
        staffId: null,
        ticketId: null,
        pauseReason: null,
        since: 0,
        absenceExceeded: false,
        serviceIds: ['tax'],
      },
    ],
    devices: [],
    tickets: [],
    recentCalls: [],
    notices: [{ id: 'n1', text: '今日午间不休', at: 1 }],
    issuingPaused: [],
  };
}

describe('supervisor console dispatch', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    localStorage.clear();
  });

  it('lists the notices on the walls and only posts a notice with text', async () => {
    const store = useHallStore();
    store.hall = hall();
    const w = mount(DispatchPanel);
    expect(w.text()).toContain('今日午间不休');
    const post = w.get('form button[type=submit]');
    expect(post.attributes('disabled')).toBeDefined();
    await w.get('input[name=notice]').setValue('下午 3 点系统维护');
    expect(post.attributes('disabled')).toBeUndefined();
  });

  it('opens the services editor of a counter with what it serves now', async () => {
    const store = useHallStore();
    store.hall = hall();
    const w = mount(DispatchPanel);
    await w.get('select[name=edit-counter]').setValue('c05');
    const boxes = w.findAll('fieldset input[type=checkbox]');
    expect(boxes.map((b) => (b.element as HTMLInputElement).checked)).toEqual([true]);
  });
});
