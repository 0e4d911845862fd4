import {
  createHash,
  createHmac,
  randomBytes,
  scrypt,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';
import type { Actor, HallConfig, Id, Role } from '@yichuang/protocol';

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

/** What a staff token says. `sid` names the session so a later issue can revoke it. */
export type TokenClaims = { sub: Id; hall: Id; roles: Role[]; exp: number; sid: string };

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');

/** Signs and checks staff bearer tokens (HMAC-SHA256), valid on every hub node sharing the secret. */
export class TokenService {
  constructor(
    private readonly secret: Buffer,
    private readonly ttlMs = 12 * 3600_000,
  ) {}

  sign(claims: Omit<TokenClaims, 'exp' | 'sid'>, now: number): { token: string; expiresAt: number } {
    const full: TokenClaims = { ...claims, exp: now + this.ttlMs, sid: randomBytes(9).toString('base64url') };
    const body = b64(JSON.stringify(full));
    return { token: `${body}.${this.mac(body)}`, expiresAt: full.exp };
  }

  verify(token: string, now: number): TokenClaims | null {
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
      return typeof claims.exp === 'number' && claims.exp > now ? claims : null;
    } catch {
      return null;
    }
  }

  private mac(body: string) {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

/** Who a bearer credential belongs to in a hall: a signed-in staff member or a configured device. */
export function actorFor(
  credential: string | undefined,
  hall: HallConfig | undefined,
  tokens: TokenService,
  now: number,
): Actor | null {
  if (!credential) return null;
  const claims = tokens.verify(credential, now);
  if (claims) {
    if (hall && claims.hall !== hall.id && !claims.roles.includes('admin')) return null;
    if (hall && claims.hall === hall.id) {
      // R8: the account as the hall has it now: removed staff are out at once, and a changed role
      // counts from the next request, whatever the token still says.
      const staff = hall.staff.find((s) => s.id === claims.sub);
      if (!staff) return null;
      return { kind: 'staff', staffId: staff.id, roles: [...staff.roles] };
    }
    return { kind: 'staff', staffId: claims.sub, roles: claims.roles };
  }
  if (hall) {
    const sha = deviceTokenSha256(credential);
    const device = hall.devices.find((d) => d.tokenSha256 === sha);
    if (device) return { kind: 'device', deviceId: device.id };
  }
  return null;
}
