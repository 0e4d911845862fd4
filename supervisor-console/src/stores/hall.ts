import { defineStore } from 'pinia';
import { computed } from 'vue';
import { staffHall } from '@yichuang/app-shell';
import { locale } from '../i18n.js';

/** The whole live hall for a manager; its alerts are the hub's (raised, acknowledged, resolved there). */
export const useHallStore = defineStore('hall', () => {
  const live = staffHall('/supervisor', () => locale.value);
  /** Open alerts first, the most severe first; then today's resolved ones (the hub's order). */
  const alerts = computed(() => live.hall.value?.alerts ?? []);
  const openAlerts = computed(() => alerts.value.filter((a) => a.resolvedAt === null));
  return { ...live, alerts, openAlerts };
});
