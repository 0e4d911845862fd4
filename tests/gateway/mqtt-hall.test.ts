import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { HallConfig } from '@yichuang/protocol';
import { deviceTopic } from '@yichuang/protocol';
import { DEMO_CONFIG_PATH, loadInstallation } from '@yichuang/server';
import { readSlip } from '@yichuang/edge-gateway';
import { hallNow, http, startHub, type Hub } from '../support/hub.js';
import {
  eventually,
  mosquittoPub,
  mosquittoSub,
  startGateway,
  testRoot,
  type RunningGateway,
} from '../support/gateway.js';

/**
 * The hall driven from MQTT alone, by Debian's mosquitto_pub / mosquitto_sub (a client that is
 * not ours), through the real gateway and the real hub: once on the gateway's embedded aedes
 * broker, once on the machine's Mosquitto (anonymous, shared: a topic root of our own).
 */
const BROKERS = [
  { name: 'embedded aedes', port: undefined },
  { name: 'Mosquitto on 127.0.0.1:1883', port: 1883 },
] as const;

describe.each(BROKERS)('the hall over MQTT ($name)', ({ port }) => {
  let hub: Hub;
  let gw: RunningGateway;
  let hall: HallConfig;
  const root = testRoot();
  const topic = (kind: Parameters<typeof deviceTopic>[1], id: string, channel: string) =>
    deviceTopic('demo', kind, id, channel, root);
  const as = (user: string) => ({ user, password: 'demo' });

  beforeAll(async () => {
    hall = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
    hub = await startHub();
    gw = await startGateway({ hubUrl: hub.url, hall, root, ...(port ? { mqttPort: port } : {}) });
    await eventually(() => expect(gw.gateway.hubConnected).toBe(true));
    // The gateway reserves its offline blocks as soon as it is connected and idle.
    await eventually(() => expect(Object.keys(gw.gateway.numbersLeft()).length).toBe(hall.services.length));
  });
  afterAll(async () => {
    await gw?.close();
    await hub?.close();
  });

  it('press → the ticket is issued once and printed on the paired printer, as fields and as ESC/POS', async () => {
    const printed = mosquittoSub(gw.mqttPort, topic('printer', 'printer-1', 'print'), as('printer-1'), 1);
    await printed.ready;
    const press = { pressId: 'press-0000001', serviceId: 'tax', at: Date.now() };
    expect(
      (await mosquittoPub(gw.mqttPort, topic('dispenser', 'dispenser-1', 'press'), press, as('dispenser-1')))
        .code,
    ).toBe(0);
    // The same press again (a device retrying): no second ticket.
    await mosquittoPub(gw.mqttPort, topic('dispenser', 'dispenser-1', 'press'), press, as('dispenser-1'));
    const [msg] = await printed.messages;
    const slip = msg!.payload as {
      ticket: { number: string; serviceName: string; qr: string };
      escpos: string;
      offline: boolean;
    };
    // No window works for tax yet: the slip says so rather than print a wait (#10: the engine's rule).
    expect(slip.ticket).toMatchObject({ number: 'G001', serviceName: '税务办理', ahead: 0, wait: null });
    expect(slip.offline).toBe(false);
    const decoded = readSlip(Buffer.from(slip.escpos, 'base64'));
    expect(decoded.lines).toEqual(
      expect.arrayContaining(['G001', '税务办理', '示范市政务服务中心', '暂无窗口办理']),
    );
    expect(decoded.qr).toBe(slip.ticket.qr);
    expect(decoded.qr).toMatch(/^http:\/\/hall\.example\/t\//);
    await eventually(async () => {
      const tax = (await hallNow(hub)).tickets.filter((t) => t.serviceId === 'tax');
      expect(tax.map((t) => t.number)).toEqual(['G001']);
    });
  });

  it('keypad call-next → the window display shows the number and the speaker says the phrase; rating → on the ticket', async () => {
    const c = hall.counters.find((x) => x.serviceIds.includes('tax'))!;
    const staffId = hall.staff.find((s) => s.roles.includes('staff') && !s.roles.includes('manager'))!.id;
    // Listening before the counter opens: the retained "closed", then "open", then the call, in order
    // (subscribed after the opening, the "open" could still be on its way and come second).
    const shown = mosquittoSub(
      gw.mqttPort,
      topic('window-display', `window-display-${c.number}`, 'show'),
      as(`window-display-${c.number}`),
      3,
    );
    const said = mosquittoSub(gw.mqttPort, topic('speaker', 'speaker-1', 'say'), as('speaker-1'), 1);
    await Promise.all([shown.ready, said.ready]);
    const open = await http(
      `${hub.url}/api/v1/halls/demo/counters/${c.id}/open`,
      'POST',
      {},
      hub.tokenFor(staffId),
    );
    expect(open.status).toBe(200);
    await mosquittoPub(
      gw.mqttPort,
      topic('keypad', `keypad-${c.number}`, 'key'),
      { pressId: 'key-00000001', key: 'call-next', at: Date.now() },
      as(`keypad-${c.number}`),
    );
    const shows = await shown.messages;
    expect(shows.map((m) => (m.payload as { state: string }).state)).toEqual(['closed', 'open', 'calling']);
    expect(shows.at(-1)!.payload).toMatchObject({
      counterNumber: c.number,
      state: 'calling',
      number: 'G001',
      text: '请 G001 号',
    });
    expect((await said.messages)[0]!.payload).toMatchObject({
      text: `请 G001 号到 ${c.number} 号窗口办理`,
      lang: 'zh-CN',
    });

    const prompt = mosquittoSub(
      gw.mqttPort,
      topic('evaluator', `evaluator-${c.number}`, 'prompt'),
      as(`evaluator-${c.number}`),
      1,
    );
    await prompt.ready;
    await mosquittoPub(
      gw.mqttPort,
      topic('keypad', `keypad-${c.number}`, 'key'),
      { pressId: 'key-00000002', key: 'complete', outcome: 'accepted', at: Date.now() },
      as(`keypad-${c.number}`),
    );
    const ask = (await prompt.messages)[0]!.payload as {
      ticketId: string;
      number: string;
      staffName: string;
    };
    expect(ask).toMatchObject({ number: 'G001', levels: 5 });
    await mosquittoPub(
      gw.mqttPort,
      topic('evaluator', `evaluator-${c.number}`, 'rating'),
      { pressId: 'rate-0000001', ticketId: ask.ticketId, level: 4, at: Date.now() },
      as(`evaluator-${c.number}`),
    );
    await eventually(async () => {
      const ticket = (await hallNow(hub)).tickets.find((x) => x.id === ask.ticketId)!;
      expect(ticket).toMatchObject({ status: 'completed', outcome: 'accepted', rating: { level: 4 } });
    });
  });

  it('an emergency reaches the window displays and speakers, and the gateway reports them as receipts (R38)', async () => {
    const display = 'window-display-7';
    await mosquittoPub(
      gw.mqttPort,
      topic('window-display', display, 'status'),
      { online: true, at: Date.now() },
      as(display),
    );
    await mosquittoPub(
      gw.mqttPort,
      topic('speaker', 'speaker-1', 'status'),
      { online: true, at: Date.now() },
      as('speaker-1'),
    );
    await eventually(async () => {
      const seen = (await hallNow(hub)).devices.filter((d) => d.health?.online).map((d) => d.id);
      expect(seen).toEqual(expect.arrayContaining([display, 'speaker-1']));
    });
    const shown = mosquittoSub(gw.mqttPort, topic('window-display', display, 'show'), as(display), 2);
    const said = mosquittoSub(gw.mqttPort, topic('speaker', 'speaker-1', 'say'), as('speaker-1'), 1);
    await Promise.all([shown.ready, said.ready]);
    const declared = await http(
      `${hub.url}/api/v1/halls/demo/emergency`,
      'POST',
      { kind: 'power-cut', text: '配电检修' },
      hub.tokenFor('mgr01'),
    );
    expect(declared.status).toBe(200);
    expect((await shown.messages).at(-1)!.payload).toMatchObject({
      state: 'emergency',
      text: '停电 暂停服务',
    });
    expect((await said.messages)[0]!.payload).toMatchObject({ text: '停电 暂停服务，配电检修' });
    await eventually(async () => {
      const receipts = (await hallNow(hub)).emergency?.receipts ?? [];
      expect(receipts.map((r) => [r.screen, r.kind])).toEqual(
        expect.arrayContaining([
          [display, 'window-display'],
          ['speaker-1', 'speaker'],
        ]),
      );
    });
    const id = (await hallNow(hub)).emergency!.id;
    const clear = await http(
      `${hub.url}/api/v1/halls/demo/emergency/${id}/all-clear`,
      'POST',
      {},
      hub.tokenFor('mgr01'),
    );
    expect(clear.status).toBe(200);
    expect((await hallNow(hub)).emergency).toBeNull();
  });

  it('an ID card read at the dispenser goes with its next press: one live ticket per person, the number never on the gateway’s disk (#12)', async () => {
    const idNumber = '11010519491231002X';
    const press = (pressId: string) =>
      mosquittoPub(
        gw.mqttPort,
        topic('dispenser', 'dispenser-1', 'press'),
        { pressId, serviceId: 'exit-entry', at: Date.now() },
        as('dispenser-1'),
      );
    const read = (pressId: string) =>
      mosquittoPub(
        gw.mqttPort,
        topic('id-reader', 'id-reader-1', 'read'),
        { pressId, idNumber, name: '王小明', at: Date.now() },
        as('id-reader-1'),
      );
    const exitEntry = async () => (await hallNow(hub)).tickets.filter((t) => t.serviceId === 'exit-entry');
    // Without a card the hub refuses the press; with one, the ticket is that person's.
    await press('press-id-00001');
    await read('read-id-00001');
    const printed = mosquittoSub(gw.mqttPort, topic('printer', 'printer-1', 'print'), as('printer-1'), 1);
    await printed.ready;
    await press('press-id-00002');
    const slip = (await printed.messages)[0]!.payload as { ticket: { number: string } };
    expect(slip.ticket.number).toBe('H001');
    expect(JSON.stringify(slip)).not.toMatch(/王小明|1101051949/);
    await eventually(async () =>
      expect((await exitEntry()).map((t) => [t.number, t.applicant])).toEqual([
        ['H001', { name: '王*明', phone: null, identified: true }],
      ]),
    );
    // The same card again, while H001 is live: refused.
    await read('read-id-00002');
    await press('press-id-00003');
    await new Promise((r) => setTimeout(r, 500));
    expect((await exitEntry()).length).toBe(1);
    const files = await readdir(gw.dataDir, { recursive: true, withFileTypes: true });
    for (const f of files.filter((e) => e.isFile()))
      expect(await readFile(join(f.parentPath, f.name), 'utf8')).not.toContain(idNumber.slice(0, 17));
  });

  it('drops malformed payloads with a reason and goes on', async () => {
    const k = topic('keypad', 'keypad-1', 'key');
    for (const bad of [
      'not json',
      '{"pressId":"x","key":"explode","at":1}',
      '{"pressId":"key-00000099","key":"complete","at":1}',
    ])
      await mosquittoPub(gw.mqttPort, k, bad, as('keypad-1'));
    const printed = mosquittoSub(gw.mqttPort, topic('printer', 'printer-1', 'print'), as('printer-1'), 1);
    await printed.ready;
    await mosquittoPub(
      gw.mqttPort,
      topic('dispenser', 'dispenser-1', 'press'),
      { pressId: 'press-0000002', serviceId: 'tax', at: Date.now() },
      as('dispenser-1'),
    );
    expect(((await printed.messages)[0]!.payload as { ticket: { number: string } }).ticket.number).toBe(
      'G002',
    );
  });
  it('a switched-off device acts no more: the hub refuses it, and the embedded broker closes it at once (R8)', async () => {
    const mgr = hub.tokenFor('mgr01');
    const device = (id: string, action: string) =>
      http(`${hub.url}/api/v1/halls/demo/devices/${id}/${action}`, 'POST', {}, mgr);
    const live = await mqtt.connectAsync(`mqtt://127.0.0.1:${gw.mqttPort}`, {
      ...{ username: 'keypad-2', password: 'demo' },
      reconnectPeriod: 0,
    });
    const closed = new Promise<number>((r) => {
      const started = performance.now();
      live.once('close', () => r(performance.now() - started));
    });
    const before = (await hallNow(hub)).tickets.length;
    expect((await device('dispenser-1', 'deactivate')).status).toBe(200);
    expect((await device('keypad-2', 'deactivate')).status).toBe(200);
    const press = { pressId: 'press-0000099', serviceId: 'tax', at: Date.now() };
    const sent = await mosquittoPub(
      gw.mqttPort,
      topic('dispenser', 'dispenser-1', 'press'),
      press,
      as('dispenser-1'),
    );
    if (port === undefined) {
      // The embedded broker: the live connection is closed and a new one refused.
      expect(await closed).toBeLessThan(1000);
      await eventually(async () =>
        expect(
          (
            await mosquittoPub(
              gw.mqttPort,
              topic('dispenser', 'dispenser-1', 'press'),
              press,
              as('dispenser-1'),
            )
          ).code,
        ).not.toBe(0),
      );
    } else {
      // The machine's shared Mosquitto runs without the dynamic-security plugin, so it keeps the
      // connection; the hub refuses (the plugin closing it is in broker.test.ts, on a Mosquitto of its own).
      expect(sent.code).toBe(0);
      live.end(true);
    }
    await new Promise((r) => setTimeout(r, 1000));
    expect((await hallNow(hub)).tickets.length).toBe(before);
    expect((await device('dispenser-1', 'reactivate')).status).toBe(200);
    expect((await device('keypad-2', 'reactivate')).status).toBe(200);
  });
});
