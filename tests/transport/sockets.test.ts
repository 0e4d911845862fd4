import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { PublicSnapshot, Result, CommandReply, StaffSnapshot } from '@yichuang/protocol';
import { COMMAND_TYPES } from '@yichuang/protocol';
import { command, connect, http, nextEvent, startHub, type Hub } from '../support/hub.js';

let hub: Hub;
const open: Socket[] = [];
beforeAll(async () => {
  hub = await startHub();
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(async () => {
  await hub.close();
});

async function display() {
  const c = await connect<PublicSnapshot>(hub.url, '/display', { hallId: 'demo' });
  open.push(c.socket);
  return c;
}
async function counterClient(staffId: string) {
  const c = await connect<StaffSnapshot>(hub.url, '/counter', {
    hallId: 'demo',
    token: hub.tokenFor(staffId),
  });
  open.push(c.socket);
  return c;
}
const issue = (serviceId: string) => http(`${hub.url}/api/v1/halls/demo/tickets`, 'POST', { serviceId });

describe('socket.io hub', () => {
  it('sends a versioned snapshot on connect; a ticket issued over REST reaches /display and /counter', async () => {
    const wall = await display();
    const clerk = await counterClient('s01');
    expect(wall.snapshot.hall.id).toBe('demo');
    expect(clerk.snapshot.version).toBe(wall.snapshot.version);
    const onWall = nextEvent(wall.socket, 'ticket:issued');
    const onCounter = nextEvent(clerk.socket, 'ticket:issued');
    const t = (await issue('tax')).body;
    const [w, c] = await Promise.all([onWall, onCounter]);
    expect(w).toMatchObject({ number: t.number, serviceId: 'tax', version: wall.snapshot.version + 1 });
    expect(w).not.toHaveProperty('ticketId'); // a public screen never gets the ticket's capability id
    expect(c).toMatchObject({ ticketId: t.id, number: t.number, version: wall.snapshot.version + 1 });
  });

  it('emits ticket:called with number and counter number on /display at every call and recall', async () => {
    const wall = await display();
    const clerk = await counterClient('s02');
    expect(
      await command<Result<CommandReply>>(clerk.socket, 'counter:open', { counterId: 'c10' }),
    ).toMatchObject({ ok: true });
    const t = (await issue('household')).body;
    const called = nextEvent(wall.socket, 'ticket:called', (e) => e.number === t.number);
    const reply = await command<Result<CommandReply>>(clerk.socket, 'counter:call-next', {
      counterId: 'c10',
    });
    expect(reply).toMatchObject({ ok: true, data: { ticket: { id: t.id, status: 'called' } } });
    expect(await called).toMatchObject({ number: t.number, counterNumber: 10, counterId: 'c10', recalls: 0 });
    const recalled = nextEvent(wall.socket, 'ticket:called', (e) => e.recalls === 1);
    await command(clerk.socket, 'counter:recall', { counterId: 'c10' });
    expect(await recalled).toMatchObject({ number: t.number, counterNumber: 10 });
    await command(clerk.socket, 'counter:complete', { counterId: 'c10', outcome: 'accepted' });
    await command(clerk.socket, 'counter:close', { counterId: 'c10' });
  });

  it('never calls one ticket to two counters when both call at once', async () => {
    const a = await counterClient('s03');
    const b = await counterClient('s04');
    // Counters 3 and 4 both serve social and medical insurance.
    await command(a.socket, 'counter:open', { counterId: 'c03' });
    await command(b.socket, 'counter:open', { counterId: 'c04' });
    const calledIds: string[] = [];
    for (let round = 0; round < 25; round++) {
      await Promise.all([
        issue('medical-insurance'),
        round % 2 ? issue('social-insurance') : Promise.resolve(),
      ]);
      const [ra, rb] = await Promise.all([
        command<Result<CommandReply>>(a.socket, 'counter:call-next', { counterId: 'c03' }),
        command<Result<CommandReply>>(b.socket, 'counter:call-next', { counterId: 'c04' }),
      ]);
      for (const [r, s, c] of [
        [ra, a.socket, 'c03'],
        [rb, b.socket, 'c04'],
      ] as const) {
        if (r.ok) {
          calledIds.push(r.data.ticket!.id);
          await command(s, 'counter:complete', { counterId: c, outcome: 'accepted' });
        } else expect(r.error.code).toBe('queue-empty');
      }
    }
    expect(calledIds.length).toBeGreaterThan(25);
    expect(new Set(calledIds).size).toBe(calledIds.length);
    await command(a.socket, 'counter:close', { counterId: 'c03' });
    await command(b.socket, 'counter:close', { counterId: 'c04' });
  });

  it('answers malformed payloads of every command with invalid-payload and changes nothing', async () => {
    const wall = await display();
    const clerk = await counterClient('s05');
    let events = 0;
    wall.socket.onAny(() => events++);
    const bad: unknown[] = [
      null,
      'text',
      42,
      [],
      { counterId: 7 },
      { counterId: 'c01', surprise: true },
      { counterId: 'x'.repeat(500) },
      { ticketId: { $ne: null } },
      { serviceId: '../etc' },
    ];
    for (const type of COMMAND_TYPES) {
      for (const payload of bad) {
        // A command whose fields all have defaults takes no payload as an empty one (a sign-out is tested on its own).
        if (type === 'session:sign-out' && payload === null) continue;
        const r = await command<Result<CommandReply>>(clerk.socket, type, payload);
        expect(r.ok, `${type} ${JSON.stringify(payload)}`).toBe(false);
        if (!r.ok)
          expect(['invalid-payload'], `${type} ${JSON.stringify(payload)}: ${r.error.code}`).toContain(
            r.error.code,
          );
      }
    }
    const after = await command<Result<PublicSnapshot>>(wall.socket, 'hall:sync', undefined);
    expect(after.ok && after.data.version).toBe(wall.snapshot.version);
    expect(events).toBe(0);
  });

  it('closes a connection that sends an oversized message, and goes on serving everyone else (#12)', async () => {
    const wall = await display();
    const clerk = await counterClient('s06');
    const closed = new Promise<string>((r) =>
      clerk.socket.io.engine.once('close', (reason: string) => r(reason)),
    );
    // 200 KB of notes: far beyond any command (the limit is 128 KB), refused before it is parsed.
    clerk.socket.emit('counter:transfer', {
      counterId: 'c06',
      to: { serviceId: 'tax' },
      note: 'x'.repeat(200_000),
    });
    expect(await closed).toBeTruthy();
    const after = await command<Result<PublicSnapshot>>(wall.socket, 'hall:sync', undefined);
    expect(after.ok && after.data.version).toBe(wall.snapshot.version);
    // A whole queue carried over fits: 999 ticket ids is within the limit (refused by the rules, not the size).
    const other = await counterClient('s07');
    const many = Array.from(
      { length: 999 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const r = await command<Result<CommandReply>>(other.socket, 'ticket:carry-over', { ticketIds: many });
    expect(!r.ok && r.error.code).toBe('unknown-ticket');
  });

  it('answers the scheduler’s own commands and unknown ones with an error, not silence', async () => {
    const clerk = await counterClient('s06');
    const wall = await display();
    expect(
      await command(clerk.socket, 'counter:check-absence', { counterId: 'c01', pausedAt: 0 }),
    ).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    expect(await command(clerk.socket, 'ticket:teleport', {})).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await command(wall.socket, 'counter:call-next', { counterId: 'c01' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('refuses connections without the right credential, with a code', async () => {
    await expect(connect(hub.url, '/display', { hallId: 'nope' })).rejects.toMatchObject({
      data: { code: 'unknown-hall' },
    });
    await expect(
      connect(hub.url, '/display', { hallId: 'demo', deviceToken: 'wrong' }),
    ).rejects.toMatchObject({ data: { code: 'unauthenticated' } });
    await expect(connect(hub.url, '/counter', { hallId: 'demo' })).rejects.toMatchObject({
      data: { code: 'unauthenticated' },
    });
    await expect(connect(hub.url, '/counter', { hallId: 'demo', token: 'a.b' })).rejects.toMatchObject({
      data: { code: 'unauthenticated' },
    });
    await expect(
      connect(hub.url, '/supervisor', { hallId: 'demo', token: hub.tokenFor('s01') }),
    ).rejects.toMatchObject({ data: { code: 'not-allowed' } });
    await expect(
      connect(hub.url, '/display', { hallId: 'demo', protocolVersion: '9.0.0' }),
    ).rejects.toMatchObject({ data: { code: 'invalid-payload' } });
    await expect(connect(hub.url, '/gateway', { hallId: 'demo' })).rejects.toMatchObject({
      data: { code: 'unauthenticated' },
    });
    const sup = await connect<StaffSnapshot>(hub.url, '/supervisor', {
      hallId: 'demo',
      token: hub.tokenFor('mgr01'),
    });
    open.push(sup.socket);
    expect(sup.snapshot.counters).toHaveLength(12);
    const dev = await connect(hub.url, '/display', { hallId: 'demo', deviceToken: 'demo-display-token' });
    open.push(dev.socket);
  });

  it('lets a staff member act only on the counter they signed in to', async () => {
    const mine = await counterClient('s07');
    const other = await counterClient('s08');
    await command(mine.socket, 'counter:open', { counterId: 'c01' });
    const r = await command<Result<CommandReply>>(other.socket, 'counter:pause', { counterId: 'c01' });
    expect(r).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    await command(mine.socket, 'counter:close', { counterId: 'c01' });
  });

  it('shows the public no personal data: no ticket ids, staff ids, notes or pause reasons (R9)', async () => {
    const wall = await display();
    const clerk = await counterClient('s09');
    const seen: unknown[] = [wall.snapshot];
    wall.socket.onAny((_name, e) => seen.push(e));
    await command(clerk.socket, 'counter:open', { counterId: 'c12' });
    const t = (await http(`${hub.url}/api/v1/halls/demo/tickets`, 'POST', { serviceId: 'cannot-get-done' }))
      .body;
    await command(clerk.socket, 'counter:call-next', { counterId: 'c12' });
    await command(clerk.socket, 'counter:transfer', {
      counterId: 'c12',
      to: { serviceId: 'tax' },
      note: '申请人张三 13800000000',
    });
    await command(clerk.socket, 'counter:pause', { counterId: 'c12', reason: 'other', note: '身体不适' });
    await command(clerk.socket, 'counter:resume', { counterId: 'c12', password: 'demo' });
    await command(clerk.socket, 'counter:close', { counterId: 'c12' });
    await new Promise((r) => setTimeout(r, 100));
    const text = JSON.stringify(seen);
    expect(seen.length).toBeGreaterThan(5);
    for (const secret of [t.id, '张三', '13800000000', '身体不适', '"s09"', 'passwordHash', 'username'])
      expect(text).not.toContain(secret);
    expect(text).toContain('"staffName"'); // R29: the staff on duty are public by name and badge
  });
});
