import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { StaffSnapshot } from '@yichuang/protocol';
import { service, staffSnapshot, ticket, VIEW_T0 } from '../support/views.js';
import { useCounterStore } from '../../counter-panel/src/stores/counter.js';
import WorkbenchView from '../../counter-panel/src/views/WorkbenchView.vue';
import { useSessionStore } from '@yichuang/app-shell';

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
        pauseNote: '',
        since: T0,
        absentSince: null,
        absentMs: 0,
        absenceExceeded: false,
        check: null,
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

  /** The clerk of counter 5 signed in, the hall as `hall()` with the given changes. */
  function signedIn(change: (h: StaffSnapshot) => StaffSnapshot = (h) => h) {
    const session = useSessionStore();
    session.session = {
      token: 'tok',
      expiresAt: T0 + 3_600_000,
      refreshToken: 'refresh',
      refreshExpiresAt: T0 + 12 * 3_600_000,
      staff: { id: 's05', name: '陈静', badge: 'ZW0105', roles: ['staff'], hallId: 'demo' },
    };
    const store = useCounterStore();
    store.hall = change(hall());
    store.choose('c05');
    store.link = 'online';
    const sent: Array<{ type: string; payload: unknown }> = [];
    store.act = (type, payload) => {
      sent.push({ type, payload });
      return Promise.resolve(true);
    };
    return { store, sent, w: mount(WorkbenchView, { attachTo: document.body }) };
  }
  /** The dialogs' own buttons, by what they do. */
  const dialogs = (w: ReturnType<typeof mount>) => ({
    transfer: {
      cancel: () =>
        w
          .findAll('button')
          .find((b) => b.text() === '取消' && b.element.closest('.el-dialog'))!
          .trigger('click'),
    },
  });
  const press = (key: string) => window.dispatchEvent(new KeyboardEvent('keydown', { key }));

  it('offers only what the hub would accept, and a disabled action cannot be triggered by its shortcut', async () => {
    const { w, sent } = signedIn();
    // Calling G001: recall, start and no-show yes; call-next, pause and close not until it is finished.
    const on = (n: string) => w.get(`button[data-action=${n}]`).attributes('disabled') === undefined;
    expect(['recall', 'start', 'noShow', 'complete', 'transfer', 'requeue'].filter(on)).toHaveLength(6);
    expect(['callNext', 'pause', 'close'].filter(on)).toEqual([]);
    press('n');
    press('q');
    press('p');
    await w.vm.$nextTick();
    expect(sent).toEqual([]);
    press('s');
    expect(sent).toEqual([{ type: 'counter:start', payload: { counterId: 'c05' } }]);
    w.unmount();
  });

  it('completes only with an outcome chosen for this ticket, nothing preselected (defect 1)', async () => {
    const { w, sent } = signedIn();
    expect(w.find('select[name=outcome]').exists()).toBe(false);
    press('c');
    await w.vm.$nextTick();
    const dialog = w.get('[data-testid=outcome-dialog]');
    expect(dialog.findAll('[data-outcome]').map((b) => b.attributes('data-outcome'))).toEqual([
      'accepted',
      'not-accepted',
      'one-time-notice',
      'consultation-only',
      'assisted',
    ]);
    expect(sent).toEqual([]);
    press('3');
    await w.vm.$nextTick();
    expect(sent).toEqual([
      { type: 'counter:complete', payload: { counterId: 'c05', outcome: 'one-time-notice' } },
    ]);
    await new Promise((r) => setTimeout(r, 0));
    // The dialog closed with that ticket: a digit now chooses nothing.
    press('1');
    expect(sent).toHaveLength(1);
    w.unmount();
  });

  it('transfers only to open counters and shows the receiving clerk the note (defects 2 and 3)', async () => {
    const { w } = signedIn((h) => ({
      ...h,
      counters: [
        ...h.counters,
        { id: 'c06', number: 6, type: 'comprehensive', serviceIds: ['tax'], floor: 1, zone: '' },
        { id: 'c07', number: 7, type: 'comprehensive', serviceIds: ['tax'], floor: 1, zone: '' },
      ],
      counterStatus: [
        ...h.counterStatus,
        { ...h.counterStatus[0]!, id: 'c06', state: 'open', staffId: 's06', ticketId: null },
        { ...h.counterStatus[0]!, id: 'c07', state: 'closed', staffId: null, ticketId: null },
      ],
      tickets: h.tickets.map((t) =>
        t.id === 't1'
          ? {
              ...t,
              transfers: [
                {
                  at: T0,
                  fromCounterId: 'c06',
                  fromServiceId: 'tax',
                  to: { counterId: 'c05' },
                  staffId: 's06',
                  note: '需核对房产证',
                },
              ],
            }
          : t,
      ),
    }));
    expect(w.get('[data-testid=transfer-note]').text()).toContain('需核对房产证');
    expect(w.get('[data-testid=transfer-note]').text()).toContain('6');
    await w.get('button[data-action=transfer]').trigger('click');
    await w.get('[data-kind=counter] input').setValue(true);
    const targets = w.findAll('[data-target]').map((o) => o.attributes('data-target'));
    expect(targets).toEqual(['c06']); // c07 is closed
    await w.get('textarea[name=note]').setValue('请先核验');
    await dialogs(w).transfer.cancel();
    await w.vm.$nextTick();
    await w.get('button[data-action=transfer]').trigger('click');
    expect((w.get('textarea[name=note]').element as HTMLTextAreaElement).value).toBe('');
    w.unmount();
  });

  it('asks before a no-show marked right after the call, and before closing with people waiting (defect 7)', async () => {
    const { w, sent } = signedIn((h) => ({
      ...h,
      tickets: h.tickets.map((t) => (t.id === 't1' ? { ...t, calledAt: Date.now() } : t)),
    }));
    press('x');
    await flushPromises();
    expect(sent).toEqual([]);
    expect(document.body.querySelector('.el-message-box')?.textContent).toContain('G001');
    (document.body.querySelector('.el-message-box .el-button--primary') as HTMLElement).click();
    await flushPromises();
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).toEqual([{ type: 'counter:no-show', payload: { counterId: 'c05' } }]);
    w.unmount();
  });
});
