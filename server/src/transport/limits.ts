import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

/**
 * #12: what one address may do without a credential. Tickets from phones are limited so that one
 * address cannot take a service's numbers for the day; reads of the phone's ticket page so that it
 * cannot be polled to exhaustion; public sockets (walls, phones) so that one address cannot hold
 * thousands. A hall's Wi-Fi puts many phones behind one address: the defaults leave room for that.
 */
export type PublicLimits = {
  /** Tickets one address may take without a credential per `issueWindowS`. */
  issuePerAddress: number;
  issueWindowS: number;
  /** Public REST reads (a ticket's page, the hall's public view) per address per minute. */
  readsPerMinute: number;
  /** Public socket connections (`/display`) one address may hold at once, per node. */
  socketsPerAddress: number;
};

export const DEFAULT_PUBLIC_LIMITS: PublicLimits = {
  issuePerAddress: 20,
  issueWindowS: 600,
  readsPerMinute: 600,
  socketsPerAddress: 100,
};

/** A counter per key; scaled out, counted in Redis so that every node counts the same. */
export type Limiter = {
  /** Counts one use of `key`: 0 when it may go ahead, or how many ms until it may. */
  take(key: string): Promise<number>;
};

export function limiter(
  name: string,
  points: number,
  durationS: number,
  redis?: { client: Redis; prefix: string },
): Limiter {
  const l: RateLimiterAbstract = redis
    ? new RateLimiterRedis({
        storeClient: redis.client,
        keyPrefix: `${redis.prefix}limit:${name}`,
        points,
        duration: durationS,
        // Redis away: the hub still answers (its own writes would fail anyway); counted in memory meanwhile.
        insuranceLimiter: new RateLimiterMemory({ points, duration: durationS, keyPrefix: name }),
      })
    : new RateLimiterMemory({ points, duration: durationS, keyPrefix: name });
  return {
    take: async (key) => {
      try {
        await l.consume(key);
        return 0;
      } catch (e) {
        if (e instanceof RateLimiterRes) return Math.max(1, e.msBeforeNext);
        throw e;
      }
    },
  };
}
