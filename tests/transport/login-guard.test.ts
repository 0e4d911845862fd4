import { afterAll, describe, expect, it } from 'vitest';
import {
  LoginGuard,
  MemoryGuardStore,
  RedisGuardStore,
  type GuardStore,
} from '../../server/src/transport/login-guard.js';
import { http, startHub } from '../support/hub.js';
import { dropPrefix, redisClient, runPrefix } from '../support/redis.js';

const MINUTE = 60_000;
const redis = redisClient();
const prefix = runPrefix('guard');
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

/** The same rules in the node's memory and in Redis (scaled out); each case has a store of its own. */
let stores = 0;
const STORES: Array<[string, () => GuardStore]> = [
  ['memory', () => new MemoryGuardStore()],
  ['Redis', () => new RedisGuardStore(redis, `${prefix}${++stores}:`)],
];

describe.each(STORES)('failed sign-ins (#12), counted in %s', (_name, store) => {
  it('lock an account after five, for a minute and then twice as long; a success starts it again', async () => {
    let now = 0;
    const g = new LoginGuard(() => now, store());
    for (let i = 0; i < 4; i++) expect(await g.failed('li', '10.0.0.1')).toBe(false);
    expect(await g.retryAfter('li', '10.0.0.1')).toBe(0);
    expect(await g.failed('li', '10.0.0.1')).toBe(true);
    expect(await g.retryAfter('li', '10.0.0.2')).toBe(MINUTE); // the account, from anywhere
    expect(await g.retryAfter('wang', '10.0.0.1')).toBe(0); // another account is not touched
    now += MINUTE;
    expect(await g.retryAfter('li', '10.0.0.1')).toBe(0);
    for (let i = 0; i < 5; i++) await g.failed('li', '10.0.0.3');
    expect(await g.retryAfter('li', '10.0.0.3')).toBe(2 * MINUTE);
    now += 2 * MINUTE;
    await g.succeeded('li');
    for (let i = 0; i < 5; i++) await g.failed('li', '10.0.0.4');
    expect(await g.retryAfter('li', '10.0.0.4')).toBe(MINUTE);
  });

  it('block an address after twenty failures across names, for the window; old failures age out', async () => {
    let now = 0;
    const g = new LoginGuard(() => now, store());
    for (let i = 0; i < 19; i++) await g.failed(`name${i}`, '10.9.9.9');
    expect(await g.retryAfter('someone', '10.9.9.9')).toBe(0);
    await g.failed('name19', '10.9.9.9');
    expect(await g.retryAfter('someone', '10.9.9.9')).toBe(15 * MINUTE);
    expect(await g.retryAfter('someone', '10.9.9.8')).toBe(0);
    now += 15 * MINUTE;
    expect(await g.retryAfter('someone', '10.9.9.9')).toBe(0);
  });
});

describe('failed sign-ins across hub nodes (#12)', () => {
  it('are one count: two nodes on one Redis lock the account at the fifth failure between them', async () => {
    const now = () => 1_000;
    const shared = `${prefix}nodes:`;
    const nodeA = new LoginGuard(now, new RedisGuardStore(redis, shared));
    const nodeB = new LoginGuard(now, new RedisGuardStore(redis, shared));
    await Promise.all([0, 1, 2].map(() => nodeA.failed('zhao', '10.1.1.1')));
    await nodeB.failed('zhao', '10.1.1.2');
    expect(await nodeA.retryAfter('zhao', '10.1.1.3')).toBe(0);
    expect(await nodeB.failed('zhao', '10.1.1.2')).toBe(true);
    expect(await nodeA.retryAfter('zhao', '10.1.1.3')).toBe(MINUTE);
  });

  it('are still counted, on each node, while Redis is away', async () => {
    const away = redisClient();
    away.disconnect();
    const g = new LoginGuard(() => 0, new RedisGuardStore(away, `${prefix}away:`));
    for (let i = 0; i < 4; i++) expect(await g.failed('qian', '10.2.2.2')).toBe(false);
    expect(await g.failed('qian', '10.2.2.2')).toBe(true);
    expect(await g.retryAfter('qian', '10.2.2.2')).toBe(MINUTE);
  });
});

describe('sign-in over REST (#12)', () => {
  it('over REST: a locked account is refused with 429 and Retry-After even with the right password; others sign in', async () => {
    const hub = await startHub();
    try {
      const login = (username: string, password: string) =>
        http(`${hub.url}/api/v1/auth/login`, 'POST', { username, password });
      for (let i = 0; i < 5; i++) expect((await login('staff07', 'guess')).status).toBe(401);
      const locked = await login('staff07', 'demo');
      expect(locked.status).toBe(429);
      expect(locked.body.error.code).toBe('rate-limited');
      const raw = await fetch(`${hub.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'staff07', password: 'demo' }),
      });
      expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await login('staff08', 'demo')).status).toBe(200);
    } finally {
      await hub.close();
    }
  });
});
