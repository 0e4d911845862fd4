import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ErrorBody, LoginReply } from '@yichuang/protocol';
import { refreshSession, savedSession, signIn, signOut } from '@yichuang/protocol/client';

/** When to renew an access token: halfway through its life, and again 30 s after a failed try. */
const renewIn = (s: LoginReply) => Math.max(1000, (s.expiresAt - Date.now()) / 2);
const RETRY_MS = 30_000;

/**
 * The signed-in staff member, kept for the browser tab's life; one store for both staff apps. The
 * access token is short-lived (#12): it is renewed in the background, and a session the hub ended
 * (signed out elsewhere, account switched off: R8) returns to the sign-in page with the reason.
 */
export const useSessionStore = defineStore('session', () => {
  const session = ref<LoginReply | null>(savedSession());
  /** Why the last sign-in failed, or why the session ended (shown in the UI's language). */
  const error = ref<ErrorBody | null>(null);
  const busy = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;

  function schedule(delay = session.value ? renewIn(session.value) : 0) {
    clearTimeout(timer);
    if (session.value) timer = setTimeout(() => void renew(), delay);
  }

  /** Renews the access token now; false (and signed out, with the reason) when the hub ended the session. */
  async function renew(): Promise<boolean> {
    if (!session.value) return false;
    const r = await refreshSession();
    if (r.ok) {
      session.value = r.data;
      schedule();
      return true;
    }
    if (r.error.code === 'unavailable') {
      schedule(RETRY_MS);
      return false;
    }
    ended(r.error);
    return false;
  }

  /** The hub closed the session: forget it and say why on the sign-in page. */
  function ended(why: ErrorBody) {
    clearTimeout(timer);
    void signOut();
    session.value = null;
    error.value = why;
  }

  async function login(username: string, password: string) {
    busy.value = true;
    const r = await signIn(username, password);
    busy.value = false;
    error.value = r.ok ? null : r.error;
    if (r.ok) session.value = r.data;
    schedule();
  }

  function logout() {
    clearTimeout(timer);
    void signOut();
    session.value = null;
  }

  /** The current access token (asked at every socket (re)connection). */
  const token = () => session.value?.token ?? '';

  // A tab reopened on a kept session renews first if its access token is (nearly) spent.
  schedule(session.value && session.value.expiresAt - Date.now() < 60_000 ? 0 : undefined);

  return { session, error, busy, login, logout, renew, ended, token };
});
