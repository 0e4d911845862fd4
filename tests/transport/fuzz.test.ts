import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import type { Result, StaffSnapshot } from '@yichuang/protocol';
import { COMMAND_TYPES, ErrorCode } from '@yichuang/protocol';
import { command, connect, hallNow, startHub, type Hub } from '../support/hub.js';

/**
 * #12: malformed, oversized and hostile payloads (prototype keys, deep nesting, huge strings, wrong
 * types) thrown at every socket command and REST route: the hub answers each with a clear error
 * (a known code and a message), never crashes, and the hall does not change.
 */
let hub: Hub;
let clerk: Socket;
beforeAll(async () => {
  hub = await startHub();
  clerk = (await connect<StaffSnapshot>(hub.url, '/counter', { hallId: 'demo', token: hub.tokenFor('s04') }))
    .socket;
});
afterAll(async () => {
  clerk?.disconnect();
  await hub.close();
});

const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'then', '$where');
const leaf = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ minLength: 5000, maxLength: 20_000 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('c01', 'tax', 's04', '', ' ', '../etc/passwd', '<script>alert(1)</script>'),
);
/** Any JSON value, nested up to 12 deep, with hostile keys mixed into its objects. */
const { value: hostile } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 12 },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileKey, fc.string({ maxLength: 12 })), tie('value'), { maxKeys: 5 }),
  ),
}));
/**
 * A payload: hostile values, or a command's real fields with hostile values. Kept under the hub's
 * 128 KB message limit: a larger one closes the connection by design (tests/transport/sockets.test.ts),
 * which would end this run's socket instead of testing the next payload.
 */
const payload = fc
  .oneof(
    hostile,
    fc.record(
      { counterId: hostile, ticketId: hostile, serviceId: hostile, staffId: hostile, note: hostile },
      { requiredKeys: [] },
    ),
  )
  .filter((p) => (JSON.stringify(p)?.length ?? 0) < 100_000);

const clear = (r: { ok: boolean; error?: { code: unknown; message: unknown } }) =>
  !r.ok && ErrorCode.safeParse(r.error?.code).success && typeof r.error?.message === 'string';

/** Commands a fuzzed payload could make valid by chance, and that change nothing that matters here. */
const SKIP = new Set(['session:sign-out']);

describe('fuzz (#12)', () => {
  it('answers every socket command with a clear error and changes nothing', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...COMMAND_TYPES.filter((t) => !SKIP.has(t))),
        payload,
        async (type, p) => {
          const before = (await hallNow(hub)).version;
          const r = await command<Result<unknown>>(clerk, type, p);
          // A payload that is valid by chance (`{ counterId: 'c01' }`) is simply done; anything else is
          // refused with a clear error and leaves the hall as it was.
          if (r.ok) return;
          refused++;
          expect(clear(r as never), `${type} ${JSON.stringify(p)?.slice(0, 200)}`).toBe(true);
          expect((await hallNow(hub)).version).toBe(before);
        },
      ),
      { numRuns: 200 },
    );
    expect(refused).toBeGreaterThan(160);
    expect(clerk.connected).toBe(true);
  }, 120_000);

  it('answers every REST route with a clear error and changes nothing', async () => {
    const before = (await hallNow(hub)).version;
    const ROUTES = [
      '/halls/demo/tickets',
      '/halls/demo/counters/c01/pause',
      '/halls/demo/counters/c01/call-next',
      '/halls/demo/counters/__proto__/transfer',
      '/halls/demo/alerts/a1/resolve',
      '/halls/demo/emergency',
      '/halls/demo/staff/s05/deactivate',
      '/halls/demo/devices/kiosk-1/deactivate',
      '/auth/login',
      '/auth/refresh',
      '/tickets/constructor/cancel',
      '/tickets/constructor/rating',
      '/halls/demo/tickets/__proto__/reveal-applicant',
    ];
    const clerkToken = hub.tokenFor('s04');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), hostile, fc.boolean(), async (route, body, signed) => {
        const text = JSON.stringify(body) ?? 'null';
        const res = await fetch(`${hub.url}/api/v1${route}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(signed ? { authorization: `Bearer ${clerkToken}` } : {}),
          },
          body: text,
        });
        expect(res.status, `${route} ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(clear((await res.json()) as never)).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect((await hallNow(hub)).version).toBe(before);
  }, 120_000);
});
