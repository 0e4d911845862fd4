import { ref, shallowRef } from 'vue';
import type { ErrorBody, StaffEvent, StaffSnapshot } from '@yichuang/protocol';
import { applyStaffEvent, errorText } from '@yichuang/protocol';
import { connectHall, type HallLink, type LinkState } from '@yichuang/protocol/client';
import type { Locale } from '../i18n.js';
import { hallCommands } from './commands.js';

/** What a staff app may add to the hall link: it sees each snapshot and event as they arrive. */
export type StaffHallHooks = {
  onSnapshot?: (s: StaffSnapshot) => void;
  onEvent?: (e: StaffEvent) => void;
};

/**
 * A staff app's live hall: the snapshot kept current by the records each event carries, in
 * version order, the link state, and commands that count as done only once acknowledged.
 * The counter panel and the console each build their store on it.
 */
export function staffHall(
  namespace: '/counter' | '/supervisor',
  locale: () => Locale,
  hooks: StaffHallHooks = {},
) {
  const hall = shallowRef<StaffSnapshot | null>(null);
  const link = ref<LinkState>('connecting');
  const commands = hallCommands(locale);
  let connection: HallLink | null = null;

  /**
   * Connects with the session's current token (asked again at each reconnection); `revoked` hears
   * when the hub refuses or closes the session, with a retry for after a renewal.
   */
  function connect(
    hallId: string,
    token: () => string,
    revoked?: (why: ErrorBody, retry: () => void) => void,
  ) {
    connection?.close();
    connection = connectHall<StaffSnapshot, StaffEvent>({
      namespace,
      auth: () => ({ hallId, token: token() }),
      ...(revoked ? { onRevoked: revoked } : {}),
      onSnapshot: (s) => {
        hooks.onSnapshot?.(s);
        hall.value = s;
      },
      onEvent: (e) => {
        hooks.onEvent?.(e);
        if (hall.value) hall.value = applyStaffEvent(hall.value, e);
      },
      onLink: (state, err) => {
        link.value = state;
        if (err) commands.error.value = errorText(err, locale());
      },
    });
    commands.attach(connection);
  }

  /** Leaves the hall (on sign-out): nothing of it stays on screen. */
  function disconnect() {
    connection?.close();
    connection = null;
    commands.attach(null);
    hall.value = null;
  }

  return {
    hall,
    link,
    busy: commands.busy,
    error: commands.error,
    act: commands.act,
    ask: commands.ask,
    connect,
    disconnect,
  };
}
