import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Ticket } from '@yichuang/protocol';
import { callingOrder, eligible, factsOfSnapshot } from '@yichuang/protocol';
import { staffHall } from '@yichuang/app-shell';
import { locale } from '../i18n.js';

/** The counter's view of the hall, and which counter this panel works. */
export const useCounterStore = defineStore('counter', () => {
  const live = staffHall('/counter', () => locale.value);
  const counterId = ref<string | null>(localStorage.getItem('yc.counter'));
  const hall = live.hall;

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

  return { ...live, counterId, choose, facts, config, status, current, queue };
});
