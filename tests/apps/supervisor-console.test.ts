import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { StaffSnapshot } from '@yichuang/protocol';
import { staffSnapshot } from '../support/views.js';
import { useHallStore } from '../../supervisor-console/src/stores/hall.js';
import DispatchPanel from '../../supervisor-console/src/components/DispatchPanel.vue';

const hall = (): StaffSnapshot => staffSnapshot({ notices: [{ id: 'n1', text: '今日午间不休', at: 1 }] });

/** Opens an Element Plus select and answers its options (rendered in the body, the open one shown). */
async function open(w: VueWrapper, testid: string): Promise<HTMLElement[]> {
  await w.get(`[data-testid=${testid}] .el-select__wrapper`).trigger('click');
  await flushPromises();
  return [...document.body.querySelectorAll<HTMLElement>('.el-select-dropdown__item')].filter(
    (li) => li.closest('[aria-hidden=true]') === null,
  );
}
const optionsOf = async (w: VueWrapper, testid: string) =>
  (await open(w, testid)).map((li) => li.textContent.trim());

describe('supervisor console dispatch', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    localStorage.clear();
    document.body.innerHTML = '';
  });

  it('lists the notices on the walls and only posts a notice with text', async () => {
    const store = useHallStore();
    store.hall = hall();
    const w = mount(DispatchPanel, { attachTo: document.body });
    expect(w.text()).toContain('今日午间不休');
    const post = w.findAll('button').find((b) => b.text() === '发布')!;
    expect(post.attributes('disabled')).toBeDefined();
    await w.get('input[name=notice]').setValue('下午 3 点系统维护');
    expect(post.attributes('disabled')).toBeUndefined();
    w.unmount();
  });

  it('offers to move a ticket only to open counters (defect 2)', async () => {
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
    const w = mount(DispatchPanel, { attachTo: document.body });
    const targets = await optionsOf(w, 'move-to');
    expect(targets).toContain('6 号窗口');
    expect(targets).not.toContain('5 号窗口'); // closed
    w.unmount();
  });

  it('opens the services editor of a counter with what it serves now', async () => {
    const store = useHallStore();
    store.hall = hall();
    const w = mount(DispatchPanel, { attachTo: document.body });
    const options = await open(w, 'edit-counter');
    expect(options.map((o) => o.textContent.trim())).toEqual(['5 号窗口']);
    options[0]!.click();
    await flushPromises();
    const boxes = w.findAll('.services input[type=checkbox]');
    expect(boxes.map((b) => (b.element as HTMLInputElement).checked)).toEqual([true]);
    w.unmount();
  });
});
