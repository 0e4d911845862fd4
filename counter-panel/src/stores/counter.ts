import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { CommandInput, CommandType, StaffEvent, StaffSnapshot, Ticket } from '@yichuang/protocol';
import { applyStaffEvent, callingOrder, eligible, errorText, factsOfSnapshot } from '@yichuang/protocol';
import { connectHall, type HallLink, type LinkState } from '@yichuang/protocol/client';
import { locale } from '../i18n.js';

/**
 * The counter's view of the hall: a snapshot kept current by the records each event carries, in
 * version order. It never shows an action as done before the hub's ack.
 */
export const useCounterStore = defineStore('counter', () => {
  const hall = shallowRef<StaffSnapshot | null>(null);
  const link = ref<LinkState>('connecting');
  const counterId = ref<string | null>(localStorage.getItem('yc.counter'));
  const busy = ref(false);
  const error = ref('');
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
        if (err) error.value = errorText(err, locale.value);
      },
    });
  }

  function choose(id: string | null) {
    counterId.value = id;
    if (id) localStorage.setItem('yc.counter', id);
    else localStorage.removeItem('yc.counter');
  }

  /** Sends a command and waits for the hub; a rejection's message is shown as the hub wrote it. */
  async function act<K extends CommandType>(type: K, payload: CommandInput<K>): Promise<boolean> {
    if (!connection) return false;
    busy.value = true;
    error.value = '';
    const r = await connection.send(type, payload);
    busy.value = false;
    if (!r.ok) {
      error.value = errorText(r.error, locale.value);
      return false;
    }
    return true;
  }

  const config = computed(() => hall.value?.counters.find((c) => c.id === counterId.value) ?? null);
  const status = computed(() => hall.value?.counterStatus.find((c) => c.id === counterId.value) ?? null);
  const current = computed<Ticket | null>(() => {
    const id = status.value?.ticketId;
    return (id && hall.value?.tickets.find((t) => t.id === id)) || null;
  });
  /** Waiting tickets this counter may call, in the order the hub calls them (R15 head starts included). */
  const queue = computed(() => {
    const s = status.value;
    if (!s || !hall.value) return [];
    const facts = factsOfSnapshot(hall.value);
    return hall.value.tickets.filter((t) => eligible(facts, s.id, t)).sort(callingOrder);
  });

  return { hall, link, counterId, busy, error, connect, choose, act, config, status, current, queue };
});
