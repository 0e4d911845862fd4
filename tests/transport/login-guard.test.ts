import { describe, expect, it } from 'vitest';
import { LoginGuard } from '../../server/src/transport/login-guard.js';
import { http, startHub } from '../support/hub.js';

const MINUTE = 60_000;

describe('failed sign-ins (#12)', () => {
  it('lock an account after five, for a minute and then twice as long; a success starts it again', () => {
    let now = 0;
    const g = new LoginGuard(() => now);
    for (let i = 0; i < 4; i++) expect(g.failed('li', '10.0.0.1')).toBe(false);
    expect(g.retryAfter('li', '10.0.0.1')).toBe(0);
    expect(g.failed('li', '10.0.0.1')).toBe(true);
    expect(g.retryAfter('li', '10.0.0.2')).toBe(MINUTE); // the account, from anywhere
    expect(g.retryAfter('wang', '10.0.0.1')).toBe(0); // another account is not touched
    now += MINUTE;
    expect(g.retryAfter('li', '10.0.0.1')).toBe(0);
    for (let i = 0; i < 5; i++) g.failed('li', '10.0.0.3');
    expect(g.retryAfter('li', '10.0.0.3')).toBe(2 * MINUTE);
    now += 2 * MINUTE;
    g.succeeded('li');
    for (let i = 0; i < 5; i++) g.failed('li', '10.0.0.4');
    expect(g.retryAfter('li', '10.0.0.4')).toBe(MINUTE);
  });

  it('block an address after twenty failures across names, for the window; old failures age out', () => {
    let now = 0;
    const g = new LoginGuard(() => now);
    for (let i = 0; i < 19; i++) g.failed(`name${i}`, '10.9.9.9');
    expect(g.retryAfter('someone', '10.9.9.9')).toBe(0);
    g.failed('name19', '10.9.9.9');
    expect(g.retryAfter('someone', '10.9.9.9')).toBe(15 * MINUTE);
    expect(g.retryAfter('someone', '10.9.9.8')).toBe(0);
    now += 15 * MINUTE;
    expect(g.retryAfter('someone', '10.9.9.9')).toBe(0);
  });

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
