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
});
