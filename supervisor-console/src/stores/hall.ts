import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { DeviceView, StaffSnapshot } from '@yichuang/protocol';
import { ABSENCE_LIMIT_MS, isOpenAt } from '@yichuang/protocol';
import { staffHall } from '@yichuang/app-shell';
import { locale } from '../i18n.js';

/** A counter's absence past the limit (R6), or a device lost while the hall is open. */
export type Alert =
  | { id: string; kind: 'absence'; counterId: string; at: number; version: number }
  | {
      id: string;
      kind: 'device-offline';
      deviceId: string;
      counterId: string | null;
      at: number;
      version: number;
    };

/** A device that went offline while the hall is open is an alert: applicants may be stuck without it. */
function deviceAlert(s: StaffSnapshot, d: DeviceView, version: number): Alert | null {
  if (!d.health || d.health.online || !isOpenAt(s.hall.openingHours, s.hall.timeZone, d.health.since))
    return null;
  return {
    id: `${d.id}-${d.health.since}`,
    kind: 'device-offline',
    deviceId: d.id,
    counterId: d.counterId,
    at: d.health.since,
    version,
  };
}

/** The whole live hall for a manager, and the alert feed. */
export const useHallStore = defineStore('hall', () => {
  const alerts = ref<Alert[]>([]);
  const live = staffHall('/supervisor', () => locale.value, {
    onSnapshot: (s) => {
      // A console that connects late still sees absences that passed the limit before it came (R6).
      for (const c of s.counterStatus)
        if (c.absenceExceeded && !alerts.value.some((a) => a.counterId === c.id && a.at >= c.since))
          alerts.value = [
            {
              id: `${c.id}-${c.since}`,
              kind: 'absence',
              counterId: c.id,
              at: c.since + ABSENCE_LIMIT_MS,
              version: s.version,
            },
            ...alerts.value,
          ];
      for (const d of s.devices) {
        const a = deviceAlert(s, d, s.version);
        if (a && !alerts.value.some((x) => x.id === a.id)) alerts.value = [a, ...alerts.value];
      }
    },
    onEvent: (e) => {
      if (e.type === 'counter:absence-exceeded')
        alerts.value = [
          {
            id: `${e.counterId}-${e.version}`,
            kind: 'absence',
            counterId: e.counterId,
            at: e.at,
            version: e.version,
          },
          ...alerts.value,
        ];
      if (e.type === 'device:health-changed' && e.after.device && live.hall.value) {
        const a = deviceAlert(live.hall.value, e.after.device, e.version);
        if (a) alerts.value = [a, ...alerts.value];
      }
    },
  });

  function disconnect() {
    live.disconnect();
    alerts.value = [];
  }

  return { ...live, alerts, disconnect };
});
