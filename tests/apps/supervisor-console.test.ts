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

describe('supervisor console devices', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    document.body.innerHTML = '';
  });

  it('shows the gateway offline and the devices that need someone, named by window', async () => {
    const { default: ConsoleView } = await import('../../supervisor-console/src/views/ConsoleView.vue');
    const store = useHallStore();
    const since = Date.UTC(2026, 10, 27, 2, 0); // 10:00 in Shanghai
    store.hall = staffSnapshot({
      devices: [
        {
          id: 'gateway-1',
          kind: 'gateway',
          counterId: null,
          pairedWith: null,
          health: { online: false, faults: [], since },
        },
        {
          id: 'printer-1',
          kind: 'printer',
          counterId: null,
          pairedWith: 'dispenser-1',
          health: { online: true, faults: ['paper-out'], since },
        },
        {
          id: 'evaluator-5',
          kind: 'evaluator',
          counterId: 'c05',
          pairedWith: null,
          health: { online: false, faults: [], since },
        },
        {
          id: 'keypad-5',
          kind: 'keypad',
          counterId: 'c05',
          pairedWith: null,
          health: { online: true, faults: [], since },
        },
        { id: 'window-display-5', kind: 'window-display', counterId: 'c05', pairedWith: null, health: null },
      ],
    });
    const w = mount(ConsoleView, { attachTo: document.body });
    await flushPromises();
    const devices = w.get('[data-testid=devices]');
    // The banner heads the whole console; the devices card says it too.
    expect(w.get('.console > [data-testid=gateway-offline]').text()).toContain('边缘网关已离线（自 10:00）');
    expect(devices.text()).toContain('边缘网关离线');
    expect(devices.text()).toContain('在线 2 台 · 离线 1 台 · 未上报 1 台');
    expect(devices.get('[data-device=printer-1]').text()).toContain('缺纸');
    expect(devices.get('[data-device=evaluator-5]').text()).toContain('evaluator-5（5 号窗口）');
    expect(devices.get('[data-device=evaluator-5]').text()).toContain('离线，最后在线 10:00');
    expect(devices.find('[data-device=keypad-5]').exists()).toBe(false);
    w.unmount();
  });
});
