import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { LoginReply } from '@yichuang/protocol';
import { errorText } from '@yichuang/protocol';
import { savedSession, signIn, signOut } from '@yichuang/protocol/client';
import { locale } from '../i18n.js';

/** The signed-in staff member (kept for the browser tab's life). */
export const useSessionStore = defineStore('session', () => {
  const session = ref<LoginReply | null>(savedSession());
  const error = ref('');

  async function login(username: string, password: string) {
    const r = await signIn(username, password);
    error.value = r.ok ? '' : errorText(r.error, locale.value);
    if (r.ok) session.value = r.data;
  }

  function logout() {
    signOut();
    session.value = null;
  }

  return { session, error, login, logout };
});
