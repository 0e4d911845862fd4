/**
 * #12: failed sign-ins counted per account and per address. Five failures of an account within the
 * window lock it, for a minute and then twice as long at each further lock (at most 15 minutes); twenty
 * failures from one address block that address for the window. Both are checked before any password is
 * hashed, so a flood of guesses cannot keep the hashing pool busy for a clerk's real sign-in.
 * Counted per hub node (scaled out, each node counts its own).
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

type Account = { failures: number[]; lockedUntil: number; locks: number };

export class LoginGuard {
  private readonly accounts = new Map<string, Account>();
  private readonly addresses = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    private readonly limits: GuardLimits = DEFAULT_LIMITS,
  ) {}

  /** How long this attempt must wait (0: it may go ahead). */
  retryAfter(account: string, address: string): number {
    const t = this.now();
    const a = this.accounts.get(account);
    const locked = a && a.lockedUntil > t ? a.lockedUntil - t : 0;
    const recent = this.recent(this.addresses.get(address) ?? [], t);
    const blocked = recent.length >= this.limits.addressFailures ? recent[0]! + this.limits.windowMs - t : 0;
    return Math.max(locked, blocked);
  }

  /** Records a failed attempt; returns whether the account is now locked. */
  failed(account: string, address: string): boolean {
    const t = this.now();
    this.addresses.set(address, [...this.recent(this.addresses.get(address) ?? [], t), t]);
    const a = this.accounts.get(account) ?? { failures: [], lockedUntil: 0, locks: 0 };
    a.failures = [...this.recent(a.failures, t), t];
    if (a.failures.length >= this.limits.accountFailures) {
      a.lockedUntil = t + Math.min(this.limits.baseLockMs * 2 ** a.locks, this.limits.maxLockMs);
      a.locks++;
      a.failures = [];
    }
    this.accounts.set(account, a);
    return a.lockedUntil > t;
  }

  /** A successful sign-in clears the account's failures (its back-off starts again). */
  succeeded(account: string): void {
    this.accounts.delete(account);
  }

  private recent(times: number[], t: number): number[] {
    return times.filter((x) => x > t - this.limits.windowMs);
  }
}
