import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ABSENCE_LIMIT_MS } from '@yichuang/protocol';
import { staffHall } from '@yichuang/app-shell';
import { locale } from '../i18n.js';

export type Alert = { id: string; counterId: string; at: number; version: number };

/** The whole live hall for a manager, and the alert feed. */
export const useHallStore = defineStore('hall', () => {
  const alerts = ref<Alert[]>([]);
  const live = staffHall('/supervisor', () => locale.value, {
    onSnapshot: (s) => {
      // A console that connects late still sees absences that passed the limit before it came (R6).
      for (const c of s.counterStatus)
        if (c.absenceExceeded && !alerts.value.some((a) => a.counterId === c.id && a.at >= c.since))
          alerts.value = [
            { id: `${c.id}-${c.since}`, counterId: c.id, at: c.since + ABSENCE_LIMIT_MS, version: s.version },
            ...alerts.value,
          ];
    },
    onEvent: (e) => {
      if (e.type === 'counter:absence-exceeded')
        alerts.value = [
          { id: `${e.counterId}-${e.version}`, counterId: e.counterId, at: e.at, version: e.version },
          ...alerts.value,
        ];
    },
  });

  function disconnect() {
    live.disconnect();
    alerts.value = [];
  }

  return { ...live, alerts, disconnect };
});
