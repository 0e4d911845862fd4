import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, CommandReply, Result, StaffSnapshot } from '@yichuang/protocol';
import { idHasher } from '@yichuang/server';
import {
  capturingLogger,
  command,
  connect,
  http,
  nextEvent,
  startHub,
  TEST_PRIVACY_KEY,
  type Hub,
} from '../support/hub.js';
import { applicant, leaked, readableText } from '../support/applicants.js';

/** #12, R9: applicants' details through the hub's doors: hashed, masked, revealed on record, never logged. */
let hub: Hub;
const captured = capturingLogger();
beforeAll(async () => {
  hub = await startHub({ logger: captured.logger });
});
afterAll(async () => {
  await hub.close();
});

const api = (path: string) => `${hub.url}/api/v1${path}`;
const alice = applicant(3);
const bob = applicant(4);
const issue = (body: unknown) => http(api('/halls/demo/tickets'), 'POST', body);

/** Every file under `dir`, as text. */
async function filesUnder(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    entries.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'utf8')),
  );
  return texts.join('\n');
}

describe('applicant data through the hub (#12, R9)', () => {
  it('asks for an ID number where the service needs one, refusing a wrong one without repeating it', async () => {
    expect(await issue({ serviceId: 'exit-entry' })).toMatchObject({
      status: 422,
      body: { error: { code: 'identification-required' } },
    });
    const wrong = await issue({ serviceId: 'exit-entry', applicant: { idNumber: '310104195001011009' } });
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: 'invalid-payload' } } });
    expect(JSON.stringify(wrong.body)).not.toContain('310104195001011009');
  });

  it('keeps the ID number as its keyed hash only, and one live ticket per person and service', async () => {
    const taken = await issue({ serviceId: 'exit-entry', applicant: alice });
    expect(taken.status).toBe(201);
    // The phone's ticket page shows nothing personal.
    expect(leaked(readableText([taken.body]), [alice])).toEqual([]);
    // The same person again, the check character in lower case: the same hash, refused.
    const again = await issue({
      serviceId: 'exit-entry',
      applicant: { idNumber: alice.idNumber.toLowerCase() },
    });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'already-holding' } } });
    expect((await issue({ serviceId: 'exit-entry', applicant: { idNumber: bob.idNumber } })).status).toBe(
      201,
    );
    // The journal has the hash, and nowhere the number.
    const disk = await filesUnder(hub.dataDir);
    expect(disk).toContain(idHasher(TEST_PRIVACY_KEY)(alice.idNumber));
    expect(disk).not.toContain(alice.idNumber.slice(0, 17));
    expect(disk).not.toContain(bob.idNumber.slice(0, 17));
  });

  it('shows staff masked details, and the full ones only to the clerk serving the ticket, on record', async () => {
    const clerk = await connect<StaffSnapshot>(hub.url, '/counter', {
      hallId: 'demo',
      token: hub.tokenFor('s10'),
    });
    const other = await connect(hub.url, '/counter', { hallId: 'demo', token: hub.tokenFor('s11') });
    const console_ = await connect(hub.url, '/supervisor', { hallId: 'demo', token: hub.tokenFor('mgr01') });
    const heard = [
      nextEvent<Record<string, any>>(clerk.socket, 'ticket:issued', (e) => e.serviceId === 'household'),
      nextEvent<Record<string, any>>(console_.socket, 'ticket:issued', (e) => e.serviceId === 'household'),
    ];
    const carol = applicant(5);
    const t = await issue({ serviceId: 'household', applicant: { name: carol.name, phone: carol.phone } });
    expect(t.status).toBe(201);
    for (const e of await Promise.all(heard)) {
      expect(e.applicant).toBeUndefined();
      expect(e.after.ticket.applicant).toEqual({
        name: `${carol.name[0]}**${carol.name[3]}`,
        phone: `${carol.phone.slice(0, 3)}****${carol.phone.slice(7)}`,
        identified: false,
      });
      expect(leaked(readableText([e]), [carol])).toEqual([]);
    }
    expect(leaked(readableText([clerk.snapshot]), [alice, bob])).toEqual([]);

    expect(await command(clerk.socket, 'counter:open', { counterId: 'c10' })).toMatchObject({ ok: true });
    const called = await command<Result<CommandReply>>(clerk.socket, 'counter:call', {
      counterId: 'c10',
      ticketId: t.body.id,
    });
    expect(called.ok).toBe(true);
    expect(leaked(readableText([called]), [carol])).toEqual([]);

    const reveal = { ticketId: t.body.id, reason: '核对联系电话' };
    expect(await command(clerk.socket, 'ticket:reveal-applicant', reveal)).toMatchObject({
      ok: true,
      data: { applicant: { name: carol.name, phone: carol.phone } },
    });
    expect(await command(other.socket, 'ticket:reveal-applicant', reveal)).toMatchObject({
      ok: false,
      error: { code: 'not-allowed' },
    });
    // The manager through REST; a reason is required.
    const path = api(`/halls/demo/tickets/${t.body.id}/reveal-applicant`);
    expect((await http(path, 'POST', {}, hub.tokenFor('mgr01'))).status).toBe(400);
    expect(await http(path, 'POST', { reason: '投诉核实' }, hub.tokenFor('mgr01'))).toMatchObject({
      status: 200,
      body: { applicant: { name: carol.name, phone: carol.phone } },
    });
    expect((await http(path, 'POST', { reason: '看看' }, hub.tokenFor('city01'))).status).toBe(403);

    const { entries } = (
      await http(api('/halls/demo/audit?action=reveal'), 'GET', undefined, hub.tokenFor('mgr01'))
    ).body as { entries: AuditEntry[] };
    expect(entries.map((e) => [e.who, e.outcome, e.target, e.detail])).toEqual(
      expect.arrayContaining([
        ['staff:s10', 'done', t.body.id, '核对联系电话'],
        ['staff:s11', 'refused', t.body.id, '核对联系电话'],
        ['staff:mgr01', 'done', t.body.id, '投诉核实'],
        ['staff:city01', 'refused', t.body.id, '看看'],
      ]),
    );
    // Nobody else heard the details: the clerks and the console got a record of the reveal only.
    const revealed = await nextEvent<Record<string, any>>(
      console_.socket,
      'ticket:applicant-revealed',
      () => true,
      100,
    ).catch(() => null);
    expect(revealed === null || leaked(readableText([revealed]), [carol]).length === 0).toBe(true);
    for (const s of [clerk, other, console_]) s.socket.disconnect();
  });

  it('never writes an applicant’s details in a log line, even for a refused or malformed request', async () => {
    const dave = applicant(6);
    await issue({
      serviceId: 'exit-entry',
      applicant: { ...dave, idNumber: dave.idNumber.slice(0, 16) + '00' },
    });
    await issue({ serviceId: 'exit-entry', applicant: { name: dave.name, phone: 'x' + dave.phone } });
    await http(
      api('/halls/demo/tickets'),
      'POST',
      `{"serviceId":"exit-entry","applicant":{"name":"${dave.name}",`,
    );
    await issue({ serviceId: 'exit-entry', applicant: dave });
    expect(captured.lines.length).toBeGreaterThan(0);
    // Every string of every line (its numbers are instants, pids and counts).
    expect(leaked(readableText(captured.lines), [alice, bob, dave, applicant(5)])).toEqual([]);
  });
});
