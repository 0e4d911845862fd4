import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';

/**
 * #12: failed sign-ins counted per account and per address. Five failures of an account within the
 * window lock it, for a minute and then twice as long at each further lock (at most 15 minutes); twenty
 * failures from one address block that address for the window. Both are checked before any password is
 * hashed, so a flood of guesses cannot keep the hashing pool busy for a clerk's real sign-in.
 * Scaled out, the counts are kept in Redis, so that every node counts the same (a guesser does not
 * get five tries per node).
 */
export type GuardLimits = {
  accountFailures: number;
  addressFailures: number;
  windowMs: number;
  baseLockMs: number;
  maxLockMs: number;
};

export const DEFAULT_LIMITS: GuardLimits = {
  accountFailures: 5,
  addressFailures: 20,
  windowMs: 15 * 60_000,
  baseLockMs: 60_000,
  maxLockMs: 15 * 60_000,
};

/** Where the failures are kept: in the node (embedded) or in Redis (scaled out). */
export interface GuardStore {
  /** Until when `account` is locked (0: never), and the address's failures within the window, oldest first. */
  state(
    account: string,
    address: string,
    t: number,
    windowMs: number,
  ): Promise<{ lockedUntil: number; addressFailures: number[] }>;
  /** Records a failure at `t`, locking the account when it reached the limit; answers until when it is locked. */
  fail(account: string, address: string, t: number, limits: GuardLimits): Promise<number>;
  /** Forgets the account's failures and locks. */
  clear(account: string): Promise<void>;
}

export class LoginGuard {
  constructor(
    private readonly now: () => number,
    private readonly store: GuardStore = new MemoryGuardStore(),
    private readonly limits: GuardLimits = DEFAULT_LIMITS,
  ) {}

  /** How long this attempt must wait (0: it may go ahead). */
  async retryAfter(account: string, address: string): Promise<number> {
    const t = this.now();
    const { lockedUntil, addressFailures } = await this.store.state(
      account,
      address,
      t,
      this.limits.windowMs,
    );
    const locked = lockedUntil > t ? lockedUntil - t : 0;
    const blocked =
      addressFailures.length >= this.limits.addressFailures
        ? addressFailures[0]! + this.limits.windowMs - t
        : 0;
    return Math.max(locked, blocked);
  }

  /** Records a failed attempt; answers whether the account is now locked. */
  async failed(account: string, address: string): Promise<boolean> {
    const t = this.now();
    return (await this.store.fail(account, address, t, this.limits)) > t;
  }

  /** A successful sign-in clears the account's failures (its back-off starts again). */
  async succeeded(account: string): Promise<void> {
    await this.store.clear(account);
  }
}

type Account = { failures: number[]; lockedUntil: number; locks: number };

/** The embedded store: this node's memory. */
export class MemoryGuardStore implements GuardStore {
  private readonly accounts = new Map<string, Account>();
  private readonly addresses = new Map<string, number[]>();

  state(account: string, address: string, t: number, windowMs: number) {
    return Promise.resolve({
      lockedUntil: this.accounts.get(account)?.lockedUntil ?? 0,
      addressFailures: (this.addresses.get(address) ?? []).filter((x) => x > t - windowMs),
    });
  }

  fail(account: string, address: string, t: number, limits: GuardLimits) {
    const recent = (times: number[]) => times.filter((x) => x > t - limits.windowMs);
    this.addresses.set(address, [...recent(this.addresses.get(address) ?? []), t]);
    const a = this.accounts.get(account) ?? { failures: [], lockedUntil: 0, locks: 0 };
    a.failures = [...recent(a.failures), t];
    if (a.failures.length >= limits.accountFailures) {
      a.lockedUntil = t + Math.min(limits.baseLockMs * 2 ** a.locks, limits.maxLockMs);
      a.locks++;
      a.failures = [];
    }
    this.accounts.set(account, a);
    return Promise.resolve(a.lockedUntil);
  }

  clear(account: string) {
    this.accounts.delete(account);
    return Promise.resolve();
  }
}

/**
 * One failure, atomically: the address's and the account's failures as sorted sets of instants, the
 * account's lock and lock count as a hash. KEYS: lock hash, account failures, address failures.
 * ARGV: t, a unique member, window, account limit, base lock, longest lock.
 */
const FAIL = `
local t = tonumber(ARGV[1])
local window = tonumber(ARGV[3])
redis.call('ZADD', KEYS[3], t, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', t - window)
redis.call('PEXPIRE', KEYS[3], window)
redis.call('ZADD', KEYS[2], t, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', t - window)
redis.call('PEXPIRE', KEYS[2], window)
local lockedUntil = tonumber(redis.call('HGET', KEYS[1], 'lockedUntil') or '0')
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then
  local locks = tonumber(redis.call('HGET', KEYS[1], 'locks') or '0')
  lockedUntil = t + math.min(tonumber(ARGV[5]) * 2 ^ locks, tonumber(ARGV[6]))
  redis.call('HSET', KEYS[1], 'lockedUntil', lockedUntil, 'locks', locks + 1)
  redis.call('DEL', KEYS[2])
end
redis.call('PEXPIRE', KEYS[1], 86400000)
return lockedUntil
`;

/**
 * The scaled-out store: every node reads and writes the same counts. Redis away, each node counts in
 * its own memory meanwhile (the hub still answers; its own writes fail anyway).
 */
export class RedisGuardStore implements GuardStore {
  private readonly insurance = new MemoryGuardStore();

  constructor(
    private readonly redis: Redis,
    /** The installation's prefix and the guard's name (`login`, `unlock`). */
    private readonly prefix: string,
  ) {}

  private keys(account: string) {
    const a = `${this.prefix}acct:${account}`;
    return { lock: `${a}:lock`, failures: `${a}:failures` };
  }
  private addressKey = (address: string) => `${this.prefix}addr:${address}`;

  state(account: string, address: string, t: number, windowMs: number) {
    return this.read(account, address, t, windowMs).catch(() =>
      this.insurance.state(account, address, t, windowMs),
    );
  }
  fail(account: string, address: string, t: number, limits: GuardLimits) {
    return this.write(account, address, t, limits).catch(() =>
      this.insurance.fail(account, address, t, limits),
    );
  }
  clear(account: string) {
    const k = this.keys(account);
    return this.redis
      .del(k.lock, k.failures)
      .then(() => undefined)
      .catch(() => this.insurance.clear(account));
  }

  private async read(account: string, address: string, t: number, windowMs: number) {
    const [lockedUntil, failures] = await Promise.all([
      this.redis.hget(this.keys(account).lock, 'lockedUntil'),
      this.redis.zrangebyscore(this.addressKey(address), `(${t - windowMs}`, '+inf', 'WITHSCORES'),
    ]);
    const addressFailures = failures.filter((_, i) => i % 2 === 1).map(Number);
    return { lockedUntil: Number(lockedUntil ?? 0), addressFailures };
  }

  private async write(account: string, address: string, t: number, limits: GuardLimits) {
    const k = this.keys(account);
    const lockedUntil = await this.redis.eval(
      FAIL,
      3,
      k.lock,
      k.failures,
      this.addressKey(address),
      t,
      randomUUID(),
      limits.windowMs,
      limits.accountFailures,
      limits.baseLockMs,
      limits.maxLockMs,
    );
    return Number(lockedUntil);
  }
}
