import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ErrorBody, PublicEvent, PublicSnapshot, ScreenKind } from '@yichuang/protocol';
import { connectHall, type HallLink, type LinkState } from '@yichuang/protocol/client';
import { applyPublicEvent } from '../hall-model.js';

/** The public hall as a screen sees it: snapshot, then events; plus the link state. */
export const useHallStore = defineStore('hall', () => {
  const hall = shallowRef<PublicSnapshot | null>(null);
  const link = ref<LinkState>('connecting');
  const linkError = ref<ErrorBody | null>(null);
  const listeners = new Set<(e: PublicEvent) => void>();
  let connection: HallLink | null = null;

  function connect(hallId: string, url?: string) {
    connection?.close();
    connection = connectHall<PublicSnapshot, PublicEvent>({
      url,
      namespace: '/display',
      auth: { hallId },
      onSnapshot: (s) => (hall.value = s),
      onEvent: (e) => {
        if (hall.value) hall.value = applyPublicEvent(hall.value, e);
        for (const l of listeners) l(e);
      },
      onLink: (state, error) => {
        link.value = state;
        linkError.value = error ?? null;
      },
    });
  }

  /** Tells the hub this screen shows the emergency in force (its delivery receipt, R38). */
  function receipt(emergencyId: string, screen: string, kind: ScreenKind) {
    void connection?.send('hall:emergency-shown', { emergencyId, screen, kind });
  }

  /** Subscribes to applied events (the voice, the mobile ticket); returns the unsubscribe. */
  function onEvent(l: (e: PublicEvent) => void) {
    listeners.add(l);
    return () => listeners.delete(l);
  }

  const latestCall = computed(() => hall.value?.recentCalls[0] ?? null);
  const serviceName = (id: string, lang: 'zh' | 'en') => {
    const s = hall.value?.services.find((x) => x.id === id);
    return s ? (lang === 'zh' ? s.name : s.nameEn) : id;
  };

  return {
    hall,
    link,
    linkError,
    latestCall,
    connect,
    receipt,
    onEvent,
    serviceName,
    applyForTest: (s: PublicSnapshot) => (hall.value = s),
  };
});
