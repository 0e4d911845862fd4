import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ErrorBody, LoginReply } from '@yichuang/protocol';
import { savedSession, signIn, signOut } from '@yichuang/protocol/client';

/** The signed-in staff member, kept for the browser tab's life; one store for both staff apps. */
export const useSessionStore = defineStore('session', () => {
  const session = ref<LoginReply | null>(savedSession());
  /** Why the last sign-in failed (shown in the UI's language). */
  const error = ref<ErrorBody | null>(null);
  const busy = ref(false);

  async function login(username: string, password: string) {
    busy.value = true;
    const r = await signIn(username, password);
    busy.value = false;
    error.value = r.ok ? null : r.error;
    if (r.ok) session.value = r.data;
  }

  function logout() {
    signOut();
    session.value = null;
  }

  return { session, error, busy, login, logout };
});
