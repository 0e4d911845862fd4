import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { CommandInput, CommandType, StaffEvent, StaffSnapshot } from '@yichuang/protocol';
import { applyStaffEvent, errorText, ABSENCE_LIMIT_MS } from '@yichuang/protocol';
import { connectHall, type HallLink, type LinkState } from '@yichuang/protocol/client';
import { locale } from '../i18n.js';

export type Alert = { id: string; counterId: string; at: number; version: number };

/** The whole live hall for a manager: a snapshot kept current by each event's records, and the alert feed. */
export const useHallStore = defineStore('hall', () => {
  const hall = shallowRef<StaffSnapshot | null>(null);
  const link = ref<LinkState>('connecting');
  const alerts = ref<Alert[]>([]);
  const error = ref('');
  const busy = ref(false);
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
        if (err) error.value = errorText(err, locale.value);
      },
    });
  }

  async function act<K extends CommandType>(type: K, payload: CommandInput<K>): Promise<boolean> {
    if (!connection) return false;
    busy.value = true;
    error.value = '';
    const r = await connection.send(type, payload);
    busy.value = false;
    if (!r.ok) error.value = errorText(r.error, locale.value);
    return r.ok;
  }

  return { hall, link, alerts, error, busy, connect, act };
});
