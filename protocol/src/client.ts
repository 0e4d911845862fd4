import { io, type Socket } from 'socket.io-client';
import { fail, type ErrorBody, type Result } from './common.js';
import type { CommandInput, CommandType } from './commands.js';
import { EVENT_TYPES, VERSION_TICK, type VersionTick } from './events.js';
import { SESSION_REVOKED, type NAMESPACES } from './socket.js';
import { PROTOCOL_VERSION } from './common.js';
import { VersionedFeed } from './sync.js';
import type { CommandReply } from './views.js';
import type { LoginReply } from './rest.js';

/** What a screen shows about its link to the hub. */
export type LinkState = 'connecting' | 'online' | 'offline';

export type HallLinkOptions<
  Snapshot extends { version: number },
  Event extends { type: string; version: number },
> = {
  /** The hub's origin; the page's own by default. */
  url?: string;
  namespace: (typeof NAMESPACES)[keyof typeof NAMESPACES];
  /** The handshake's credentials; a function is asked again at every (re)connection (fresh tokens). */
  auth: Record<string, unknown> | (() => Record<string, unknown>);
  onSnapshot: (snapshot: Snapshot) => void;
  onEvent: (event: Event) => void;
  onLink: (state: LinkState, error?: ErrorBody) => void;
  /**
   * The hub refused or closed the connection because its credential no longer counts (signed out,
   * expired, switched off: R8). socket.io does not retry then; `retry` connects again (after a refresh).
   */
  onRevoked?: (why: ErrorBody, retry: () => void) => void;
};

/** A client's typed link to one hall: snapshot, then events in version order, commands with acks. */
export type HallLink = {
  /** Sends a command; answers `unavailable` at once when offline, never pretends it was done. */
  send: <K extends CommandType>(type: K, payload: CommandInput<K>) => Promise<Result<CommandReply>>;
  /** Asks for a fresh snapshot now (delivered through `onSnapshot`). */
  sync: () => void;
  close: () => void;
  socket: Socket;
};

const ACK_TIMEOUT_MS = 10_000;

/**
 * Connects to a hub namespace with socket.io's own reconnection. The snapshot on connect sets the
 * version; every event must carry the next one, and a gap asks for a fresh snapshot (`hall:sync`).
 */
export function connectHall<
  Snapshot extends { version: number },
  Event extends { type: string; version: number },
>(opts: HallLinkOptions<Snapshot, Event>): HallLink {
  const authOf = () => (typeof opts.auth === 'function' ? opts.auth() : opts.auth);
  const socket = io(`${opts.url ?? ''}${opts.namespace}`, {
    auth: (cb) => cb({ ...authOf(), protocolVersion: PROTOCOL_VERSION }),
    transports: ['websocket'],
  });
  const retry = () => void socket.connect();
  const sync = () => {
    socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('hall:sync')
      .then((r: Result<Snapshot>) => {
        if (r.ok && (feed.current === null || r.data.version >= feed.current)) {
          feed.snapshot(r.data.version);
          opts.onSnapshot(r.data);
        }
      })
      .catch(() => socket.disconnect().connect());
  };
  const feed = new VersionedFeed(sync);
  opts.onLink('connecting');
  socket.on('connect', () => opts.onLink('online'));
  socket.on('disconnect', () => opts.onLink('offline'));
  socket.on('connect_error', (err: Error & { data?: ErrorBody }) => {
    opts.onLink('offline', err.data);
    if (err.data?.code === 'unauthenticated') opts.onRevoked?.(err.data, retry);
  });
  socket.on(SESSION_REVOKED, (why: ErrorBody) => opts.onRevoked?.(why, retry));
  socket.on('hall:snapshot', (snapshot: Snapshot) => {
    feed.snapshot(snapshot.version);
    opts.onSnapshot(snapshot);
  });
  for (const type of EVENT_TYPES) {
    socket.on(type, (event: Event) => {
      if (feed.event(event.version) === 'apply') opts.onEvent(event);
    });
  }
  // An event that is not for this screen: the version moves on, nothing else changes.
  socket.on(VERSION_TICK, (tick: VersionTick) => void feed.event(tick.version));
  return {
    socket,
    sync,
    close: () => socket.disconnect(),
    send: async (type, payload) => {
      if (!socket.connected) return fail('unavailable', 'Not connected to the hub: nothing was done.');
      try {
        return (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(type, payload)) as Result<CommandReply>;
      } catch {
        return fail('unavailable', 'The hub did not answer in time: check before trying again.');
      }
    },
  };
}

const SESSION_KEY = 'yc.session';
/** The browser's session storage (typed here so the protocol needs no DOM library). */
type KeyValue = {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
  removeItem(k: string): void;
};
const tabStorage = () => (globalThis as unknown as { sessionStorage: KeyValue }).sessionStorage;

/** POSTs JSON to the hub; a network failure or an error answer is a Result, never a throw. */
async function post<T>(url: string, body: unknown, token?: string): Promise<Result<T | null>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
  } catch {
    return fail('unavailable', 'The hub is not reachable.');
  }
  if (res.status === 204) return { ok: true, data: null };
  const data = (await res.json().catch(() => null)) as (T & { error?: ErrorBody }) | null;
  if (!res.ok || !data)
    return fail(data?.error?.code ?? 'unavailable', data?.error?.message ?? `HTTP ${res.status}`);
  return { ok: true, data };
}

/** Signs a staff member in over REST and keeps the session for the browser tab's life. */
export async function signIn(username: string, password: string, url = ''): Promise<Result<LoginReply>> {
  const r = await post<LoginReply>(`${url}/api/v1/auth/login`, { username, password });
  if (!r.ok) return r;
  tabStorage().setItem(SESSION_KEY, JSON.stringify(r.data));
  return { ok: true, data: r.data! };
}

/**
 * Renews the kept session's short-lived access token with its refresh token (#12). A session the
 * hub no longer counts (signed out, account switched off) answers `unauthenticated`.
 */
export async function refreshSession(url = ''): Promise<Result<LoginReply>> {
  const saved = savedSession();
  if (!saved) return fail('unauthenticated', 'Not signed in.');
  const r = await post<LoginReply>(`${url}/api/v1/auth/refresh`, { refreshToken: saved.refreshToken });
  if (!r.ok) return r;
  tabStorage().setItem(SESSION_KEY, JSON.stringify(r.data));
  return { ok: true, data: r.data! };
}

/** The session kept by `signIn`, if any. */
export function savedSession(): LoginReply | null {
  const raw = tabStorage().getItem(SESSION_KEY);
  return raw ? (JSON.parse(raw) as LoginReply) : null;
}

/** Ends the session at the hub (its tokens and sockets stop at once) and forgets it here. */
export async function signOut(url = ''): Promise<void> {
  const saved = savedSession();
  tabStorage().removeItem(SESSION_KEY);
  if (saved) await post(`${url}/api/v1/auth/logout`, {}, saved.token);
}
