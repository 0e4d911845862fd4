import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { StaffEvent, StaffSnapshot } from '@yichuang/protocol';
import { applyStaffEvent, errorText, ABSENCE_LIMIT_MS } from '@yichuang/protocol';
import { connectHall, type HallLink, type LinkState } from '@yichuang/protocol/client';
import { hallCommands } from '@yichuang/app-shell';
import { locale } from '../i18n.js';

export type Alert = { id: string; counterId: string; at: number; version: number };

/** The whole live hall for a manager: a snapshot kept current by each event's records, and the alert feed. */
export const useHallStore = defineStore('hall', () => {
  const hall = shallowRef<StaffSnapshot | null>(null);
  const link = ref<LinkState>('connecting');
  const alerts = ref<Alert[]>([]);
  const commands = hallCommands(() => locale.value);
  let connection: HallLink | null = null;

  function connect(hallId: string, token: string) {
    connection?.close();
    connection = connectHall<StaffSnapshot, StaffEvent>({
      namespace: '/supervisor',
      auth: { hallId, token },
      onSnapshot: (s) => {
        hall.value = s;
        // A console that connects late still sees absences that passed the limit before it came (R6).
        for (const c of s.counterStatus)
          if (c.absenceExceeded && !alerts.value.some((a) => a.counterId === c.id && a.at >= c.since))
            alerts.value = [
              {
                id: `${c.id}-${c.since}`,
                counterId: c.id,
                at: c.since + ABSENCE_LIMIT_MS,
                version: s.version,
              },
              ...alerts.value,
            ];
      },
      onEvent: (e) => {
        if (e.type === 'counter:absence-exceeded')
          alerts.value = [
            { id: `${e.counterId}-${e.version}`, counterId: e.counterId, at: e.at, version: e.version },
            ...alerts.value,
          ];
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
    alerts.value = [];
  }

  return {
    hall,
    link,
    alerts,
    error: commands.error,
    busy: commands.busy,
    act: commands.act,
    connect,
    disconnect,
  };
});
