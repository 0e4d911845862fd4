import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { StaffEvent, StaffSnapshot, Ticket } from '@yichuang/protocol';
import { applyStaffEvent, callingOrder, eligible, errorText, factsOfSnapshot } from '@yichuang/protocol';
import { connectHall, type HallLink, type LinkState } from '@yichuang/protocol/client';
import { hallCommands } from '@yichuang/app-shell';
import { locale } from '../i18n.js';

/**
 * The counter's view of the hall: a snapshot kept current by the records each event carries, in
 * version order. It never shows an action as done before the hub's ack.
 */
export const useCounterStore = defineStore('counter', () => {
  const hall = shallowRef<StaffSnapshot | null>(null);
  const link = ref<LinkState>('connecting');
  const counterId = ref<string | null>(localStorage.getItem('yc.counter'));
  const commands = hallCommands(() => locale.value);
  let connection: HallLink | null = null;

  function connect(hallId: string, token: string) {
    connection?.close();
    connection = connectHall<StaffSnapshot, StaffEvent>({
      namespace: '/counter',
      auth: { hallId, token },
      onSnapshot: (s) => (hall.value = s),
      onEvent: (e) => {
        if (hall.value) hall.value = applyStaffEvent(hall.value, e);
      },
      onLink: (state, err) => {
        link.value = state;
        if (err) commands.error.value = errorText(err, locale.value);
      },
    });
    commands.attach(connection);
  }

  function disconnect() {
    connection?.close();
    connection = null;
    commands.attach(null);
    hall.value = null;
  }

  function choose(id: string | null) {
    counterId.value = id;
    if (id) localStorage.setItem('yc.counter', id);
    else localStorage.removeItem('yc.counter');
  }

  const facts = computed(() => (hall.value ? factsOfSnapshot(hall.value) : null));
  const config = computed(() => hall.value?.counters.find((c) => c.id === counterId.value) ?? null);
  const status = computed(() => hall.value?.counterStatus.find((c) => c.id === counterId.value) ?? null);
  const current = computed<Ticket | null>(() => {
    const id = status.value?.ticketId;
    return (id && hall.value?.tickets.find((t) => t.id === id)) || null;
  });
  /** Waiting tickets this counter may call, in the order the hub calls them (R15 head starts included). */
  const queue = computed(() => {
    const s = status.value;
    const f = facts.value;
    if (!s || !f || !hall.value) return [];
    return hall.value.tickets.filter((t) => eligible(f, s.id, t)).sort(callingOrder);
  });

  return {
    hall,
    link,
    counterId,
    busy: commands.busy,
    error: commands.error,
    act: commands.act,
    connect,
    disconnect,
    choose,
    facts,
    config,
    status,
    current,
    queue,
  };
});
