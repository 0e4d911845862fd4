import {
  createHash,
  createHmac,
  randomBytes,
  scrypt,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';
import {
  accountOf,
  ACCESS_TOKEN_MS,
  CROSS_HALL_ROLES,
  SESSION_MAX_MS,
  sessionLive,
  type Actor,
  type Id,
} from '@yichuang/protocol';
import type { HallState } from './engine/index.js';

/** OWASP's minimum scrypt cost (N = 2^17, r = 8, p = 1); it needs more than the default 32 MiB. */
const SCRYPT = { log2N: 17, r: 8, p: 1, keyLength: 32 };
const maxmem = (log2N: number, r: number) => 256 * 2 ** log2N * r;

function scryptAsync(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/**
 * At most this many hashes run at once: each takes ~370 ms of a libuv thread here, and
 * more in parallel would starve the file system work that shares those threads.
 */
const MAX_HASHES = 2;
let running = 0;
const waiting: Array<() => void> = [];
async function bounded<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_HASHES) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Hashes a password as `scrypt$log2N$r$p$salt$hash` (base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { log2N, r, p, keyLength } = SCRYPT;
  const key = await bounded(() =>
    scryptAsync(password, salt, keyLength, { N: 2 ** log2N, r, p, maxmem: maxmem(log2N, r) }),
  );
  return ['scrypt', log2N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [tag, n, r, p, salt, hash] = stored.split('$');
  if (tag !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const log2N = Number(n);
  const key = await bounded(() =>
    scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
      N: 2 ** log2N,
      r: Number(r),
      p: Number(p),
      maxmem: maxmem(log2N, Number(r)),
    }),
  );
  return timingSafeEqual(key, expected);
}

/** sha256 hex of a device token: what the hall configuration stores. */
export const deviceTokenSha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * What a staff token says: whose session (`sid`, started at `since`) in which home hall, and whether
 * it is a short-lived access token or the refresh token that gets new ones. Roles are not in it: the
 * hall's live accounts say them at every request (R8).
 */
export type TokenClaims = {
  typ: 'access' | 'refresh';
  sub: Id;
  hall: Id;
  sid: string;
  since: number;
  exp: number;
};

/** A signed-in session's tokens. */
export type SessionTokens = {
  token: string;
  expiresAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
  sessionId: string;
};

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');

/**
 * Signs and checks staff bearer tokens (HMAC-SHA256), valid on every hub node sharing the secret.
 * Access tokens live `accessMs` (15 minutes); the refresh token lives as long as a session may
 * (12 hours) and only buys access tokens for a session the hall still counts as live.
 */
export class TokenService {
  constructor(
    private readonly secret: Buffer,
    private readonly ttl: { accessMs: number; refreshMs: number } = {
      accessMs: ACCESS_TOKEN_MS,
      refreshMs: SESSION_MAX_MS,
    },
  ) {}

  /** A new session for a staff member: an access token and its refresh token. */
  startSession(who: { sub: Id; hall: Id }, now: number): SessionTokens {
    const sid = randomBytes(12).toString('base64url');
    const refresh = this.token({ typ: 'refresh', ...who, sid, since: now, exp: now + this.ttl.refreshMs });
    const access = this.access({ ...who, sid, since: now }, now);
    return { ...access, refreshToken: refresh.token, refreshExpiresAt: refresh.expiresAt, sessionId: sid };
  }

  /** A new session's access token alone (scripts and tests that need no refresh). */
  sign(who: { sub: Id; hall: Id }, now: number): { token: string; expiresAt: number } {
    return this.startSession(who, now);
  }

  /** A fresh access token for the session a refresh token names (the caller checks it is still live). */
  access(session: Pick<TokenClaims, 'sub' | 'hall' | 'sid' | 'since'>, now: number) {
    const { sub, hall, sid, since } = session;
    return this.token({ typ: 'access', sub, hall, sid, since, exp: now + this.ttl.accessMs });
  }

  /** The claims of a valid, unexpired token of kind `typ`, or null. */
  verify(token: string, now: number, typ: TokenClaims['typ'] = 'access'): TokenClaims | null {
    // Exactly a body and its signature: anything appended (a second dot, more segments) is refused.
    const parts = token.split('.');
    if (parts.length !== 2) return null;
    const [body, mac] = parts as [string, string];
    if (!body || !mac) return null;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
      return claims.typ === typ && typeof claims.exp === 'number' && claims.exp > now ? claims : null;
    } catch {
      return null;
    }
  }

  private token(claims: TokenClaims): { token: string; expiresAt: number } {
    const body = b64(JSON.stringify(claims));
    return { token: `${body}.${this.mac(body)}`, expiresAt: claims.exp };
  }

  private mac(body: string) {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

/** What the hub knows of a hall for deciding who a credential is: its configuration and live accounts. */
export type AccessState = Pick<HallState, 'config' | 'accounts' | 'signedOut' | 'deviceBlocks'>;

/**
 * The staff member a session's token stands for, as their home hall has the account now (R8):
 * removed, deactivated, signed out or ended sessions are out at once, roles are the current ones.
 */
export function sessionActor(
  claims: TokenClaims,
  home: AccessState | undefined,
): Extract<Actor, { kind: 'staff' }> | null {
  if (!home) return null;
  const account = accountOf(home.config, home.accounts, claims.sub);
  if (!sessionLive(account, { sessionId: claims.sid, issuedAt: claims.since }, home.signedOut)) return null;
  return { kind: 'staff', staffId: account.staffId, roles: [...account.roles], sessionId: claims.sid };
}

/**
 * Who a bearer credential belongs to in hall `hallId`: a live staff session (of this hall, or of
 * another with a role that reaches every hall), or one of the hall's devices that is not switched off.
 */
export function actorFor(
  credential: string | undefined,
  hallId: Id,
  hallOf: (id: Id) => AccessState | undefined,
  tokens: TokenService,
  now: number,
): Actor | null {
  if (!credential) return null;
  const claims = tokens.verify(credential, now);
  if (claims) {
    const actor = sessionActor(claims, hallOf(claims.hall));
    if (!actor) return null;
    if (claims.hall !== hallId && !actor.roles.some((r) => CROSS_HALL_ROLES.includes(r))) return null;
    return actor;
  }
  const hall = hallOf(hallId);
  if (hall) {
    const sha = deviceTokenSha256(credential);
    const device = hall.config.devices.find((d) => d.tokenSha256 === sha);
    if (device && !hall.deviceBlocks.has(device.id)) return { kind: 'device', deviceId: device.id };
  }
  return null;
}
