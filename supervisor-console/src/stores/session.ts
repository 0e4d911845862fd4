import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ErrorBody, LoginReply } from '@yichuang/protocol';
import { errorText } from '@yichuang/protocol';
import { locale } from '../i18n.js';

/** The signed-in staff member (kept for the browser tab's life). */
export const useSessionStore = defineStore('session', () => {
  const saved = sessionStorage.getItem('yc.session');
  const session = ref<LoginReply | null>(saved ? (JSON.parse(saved) as LoginReply) : null);
  const error = ref('');

  async function login(username: string, password: string) {
    error.value = '';
    const res = await fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    }).catch(() => null);
    const body = res ? ((await res.json()) as LoginReply & { error?: ErrorBody }) : null;
    if (!res?.ok || !body) {
      error.value = errorText(
        body?.error ?? { code: 'unavailable', message: 'The hub is not reachable.' },
        locale.value,
      );
      return;
    }
    session.value = body;
    sessionStorage.setItem('yc.session', JSON.stringify(body));
  }

  function logout() {
    session.value = null;
    sessionStorage.removeItem('yc.session');
  }

  return { session, error, login, logout };
});
