import { beforeEach, describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { StaffSnapshot } from '@yichuang/protocol';
import { staffSnapshot } from '../support/views.js';
import { useHallStore } from '../../supervisor-console/src/stores/hall.js';
import DispatchPanel from '../../supervisor-console/src/components/DispatchPanel.vue';

const hall = (): StaffSnapshot => staffSnapshot({ notices: [{ id: 'n1', text: '今日午间不休', at: 1 }] });

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

  it('offers to move a ticket only to open counters (defect 2)', () => {
    const store = useHallStore();
    const h = hall();
    store.hall = {
      ...h,
      counters: [...h.counters, { ...h.counters[0]!, id: 'c06', number: 6 }],
      counterStatus: [
        ...h.counterStatus,
        { ...h.counterStatus[0]!, id: 'c06', state: 'open', staffId: 's06' },
      ],
    };
    const w = mount(DispatchPanel);
    const targets = w.findAll('select[name=move-to] option').map((o) => o.attributes('value'));
    expect(targets).toContain('counter:c06');
    expect(targets).not.toContain('counter:c05'); // closed
  });
});
