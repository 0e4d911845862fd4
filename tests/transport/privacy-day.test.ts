import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { Socket } from 'socket.io-client';
import type { CommandReply, HallConfig, Result } from '@yichuang/protocol';
import { deviceTopic } from '@yichuang/protocol';
import { DEMO_CONFIG_PATH, loadInstallation } from '@yichuang/server';
import { readSlip } from '@yichuang/edge-gateway';
import { command, connect, http, startHub, type Hub } from '../support/hub.js';
import { eventually, startGateway, testRoot, type RunningGateway } from '../support/gateway.js';
import { applicant, leaked, readableText, type Applicant } from '../support/applicants.js';

/**
 * #12, R9: a whole simulated day in the demo hall (09:00–17:00 on the hub's clock) with applicants
 * who give their names, mobile numbers and ID numbers at the kiosk, on their phones and at the
 * counter, while everything sent on a public channel is recorded: the wall's socket, every MQTT
 * message to the hall's devices (window displays, speakers, slips as ESC/POS, rating pads) on the
 * machine's Mosquitto, and the public REST answers (the hall, the phones' ticket pages, the slips).
 * Then not one name, given name or six digits in a row of a phone or ID number may be found in it.
 */
const HALL = 'demo';
const MONDAY_0900 = Date.UTC(2026, 10, 30, 1, 0); // 2026-11-30 09:00 in Asia/Shanghai
const STEP = 3 * 60_000;
const COUNTERS = ['c03', 'c04', 'c05', 'c06', 'c07', 'c08', 'c09', 'c10', 'c11'];
const ID_SERVICES = new Set(['exit-entry']);

let hub: Hub;
let gw: RunningGateway;
let hall: HallConfig;
let now = MONDAY_0900;
const root = testRoot();
/** Everything a member of the public, a device or a passer-by could have read. */
const heard: unknown[] = [];
/** What only staff got (the reveals): the detector must find the applicants there. */
const staffOnly: unknown[] = [];

/** A small seeded generator, so a failing day can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

beforeAll(async () => {
  hall = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
  hub = await startHub({
    clock: { now: () => now },
    config: { halls: [{ ...hall, rules: { ...hall.rules, closingMarks: [] } }] },
  });
  gw = await startGateway({ hubUrl: hub.url, hall, root, mqttPort: 1883 });
  await eventually(() => expect(gw.gateway.hubConnected).toBe(true));
});
afterAll(async () => {
  await gw?.close();
  await hub?.close();
});

describe('a day of applicants on public channels (#12, R9)', () => {
  it('sends no name, phone number or ID-number fragment to a wall, device, slip or ticket page', async () => {
    const rnd = random(20261130);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const api = (path: string) => `${hub.url}/api/v1${path}`;

    // The public listeners: a wall on the socket, and every message on the hall's MQTT topics.
    const wall = await connect(hub.url, '/display', { hallId: HALL });
    heard.push(wall.snapshot);
    wall.socket.onAny((_name: string, ...args: unknown[]) => heard.push(args));
    const devices = mqtt.connect('mqtt://127.0.0.1:1883', { clientId: `privacy-day-${root.slice(8, 16)}` });
    let mqttMessages = 0;
    let slips = 0;
    devices.on('message', (topic, payload) => {
      mqttMessages++;
      const text = payload.toString('utf8');
      // As parsed JSON: its numbers are instants and counts (a device's clock reading could hold any
      // six digits by chance); anything not JSON is searched as it is.
      let message: unknown = text;
      try {
        message = JSON.parse(text);
      } catch {
        // not JSON
      }
      if (topic.endsWith('/print')) {
        // A slip is searched as printed: its ESC/POS bytes decoded (base64 holds digit runs by chance).
        slips++;
        const { escpos, ...fields } = message as { escpos: string };
        heard.push(topic, fields, readSlip(Buffer.from(escpos, 'base64')).lines);
      } else heard.push(topic, message);
    });
    await devices.subscribeAsync(`${root}/#`);

    // The clerks, each at their window from nine.
    const clerks = new Map<string, Socket>();
    for (const [i, counterId] of COUNTERS.entries()) {
      const staffId = `s${String(i + 3).padStart(2, '0')}`;
      const { socket } = await connect(hub.url, '/counter', { hallId: HALL, token: hub.tokenFor(staffId) });
      expect(await command(socket, 'counter:open', { counterId })).toMatchObject({ ok: true });
      clerks.set(counterId, socket);
    }
    const manager = await connect(hub.url, '/supervisor', { hallId: HALL, token: hub.tokenFor('mgr01') });
    const current = new Map<string, { id: string; since: number; started: boolean } | null>();

    const people: Applicant[] = [];
    const issued: string[] = [];
    const services = hall.services.filter((s) => s.id !== 'cannot-get-done').map((s) => s.id);
    let presses = 0;
    const takeTicket = async () => {
      const serviceId = pick(services);
      const who = applicant(people.length + 100);
      const door = rnd();
      const needsId = ID_SERVICES.has(serviceId);
      if (door < 0.1 && !needsId) {
        // A press on the hardware dispenser: the slip comes out of the printer (over MQTT).
        const press = { pressId: `press-${String(++presses).padStart(7, '0')}`, serviceId, at: Date.now() };
        devices.publish(deviceTopic(HALL, 'dispenser', 'dispenser-1', 'press', root), JSON.stringify(press), {
          qos: 1,
        });
        return;
      }
      people.push(who);
      const details = needsId
        ? who
        : door < 0.55
          ? { name: who.name, phone: who.phone }
          : door < 0.8
            ? { phone: who.phone }
            : { name: who.name, idNumber: who.idNumber };
      // The kiosk (paired), a phone, or a clerk taking it for someone at the desk.
      const r =
        door < 0.45
          ? await http(
              api(`/halls/${HALL}/tickets`),
              'POST',
              { serviceId, applicant: details },
              'demo-kiosk-token',
            )
          : door < 0.9
            ? await http(api(`/halls/${HALL}/tickets`), 'POST', { serviceId, applicant: details })
            : await http(
                api(`/halls/${HALL}/tickets`),
                'POST',
                { serviceId, applicant: details },
                hub.tokenFor('s03'),
              );
      heard.push(r.body);
      if (r.status === 201) issued.push(r.body.id as string);
    };

    for (; now < MONDAY_0900 + 8 * 60 * 60_000; now += STEP) {
      const minute = (now - MONDAY_0900) / 60_000;
      // Arrivals until an hour before closing: a morning peak, a quieter afternoon.
      const arrivals = minute < 7 * 60 ? (minute < 150 ? 3 : 2) : 0;
      for (let a = 0; a < arrivals; a++) if (rnd() < 0.8) await takeTicket();
      for (const [counterId, clerk] of clerks) {
        const at = current.get(counterId);
        const act = (type: string, payload: Record<string, unknown> = {}) =>
          command<Result<CommandReply>>(clerk, type, { counterId, ...payload });
        if (!at) {
          const r = await act('counter:call-next');
          if (r.ok && r.data.ticket)
            current.set(counterId, { id: r.data.ticket.id, since: now, started: false });
        } else if (!at.started) {
          const roll = rnd();
          if (roll < 0.05) {
            await act('counter:no-show');
            current.set(counterId, null);
          } else if (roll < 0.1) await act('counter:recall');
          else {
            await act('counter:start');
            at.started = true;
          }
        } else if (now - at.since >= (2 + Math.floor(rnd() * 4)) * STEP) {
          const roll = rnd();
          if (roll < 0.15) {
            // R9: the clerk checks the applicant's details, on record; only they get them.
            staffOnly.push(
              await command(clerk, 'ticket:reveal-applicant', { ticketId: at.id, reason: '核对身份信息' }),
            );
          }
          if (roll > 0.92)
            await act('counter:transfer', { to: { serviceId: pick(services) }, note: '转窗口办理' });
          else
            await act('counter:complete', {
              outcome: pick(['accepted', 'one-time-notice', 'consultation-only']),
            });
          current.set(counterId, null);
        }
      }
      // Lunch for one window; a notice at noon; the phones check their tickets every quarter hour.
      if (minute === 180)
        await command(clerks.get('c05')!, 'counter:pause', { counterId: 'c05', reason: 'meal' });
      if (minute === 222) await command(clerks.get('c05')!, 'counter:resume', { counterId: 'c05' });
      if (minute === 183) await command(manager.socket, 'hall:post-notice', { text: '午间窗口照常办理' });
      if (minute % 15 === 0) {
        heard.push((await http(api(`/halls/${HALL}/public`), 'GET')).body);
        for (const id of issued.slice(-40)) heard.push((await http(api(`/tickets/${id}`), 'GET')).body);
      }
      // Near closing, whoever still waits leaves with a carry-over code (R26), shown on their phone.
      if (minute === 7 * 60 + 30) {
        const waiting = (
          await http(api(`/halls/${HALL}/snapshot`), 'GET', undefined, hub.tokenFor('mgr01'))
        ).body.tickets
          .filter((t: { status: string }) => t.status === 'waiting')
          .map((t: { id: string }) => t.id);
        if (waiting.length > 0)
          await command(clerks.get('c03')!, 'ticket:carry-over', { ticketIds: waiting });
        for (const id of waiting) heard.push((await http(api(`/tickets/${id}`), 'GET')).body);
      }
    }
    for (const [counterId, clerk] of clerks) {
      await command(clerk, 'counter:close', { counterId });
      clerk.disconnect();
    }
    // Let the last messages of the day reach the wall and the devices.
    await new Promise((r) => setTimeout(r, 500));
    wall.socket.disconnect();
    manager.socket.disconnect();
    await devices.endAsync();

    // It was a real day: many applicants with details, slips printed, windows and speakers driven.
    expect(people.length).toBeGreaterThan(200);
    expect(issued.length).toBeGreaterThan(200);
    expect(slips).toBeGreaterThan(0);
    expect(mqttMessages).toBeGreaterThan(500);
    const text = readableText(heard);
    // The speakers called the ID service's applicants too.
    expect(text).toMatch(/请 H\d{3} 号到 \d+ 号窗口/);
    // The detector finds the applicants where they are allowed: in the reveals the clerks asked for.
    expect(staffOnly.length).toBeGreaterThan(5);
    expect(leaked(readableText(staffOnly), people).length).toBeGreaterThan(0);
    // And nowhere public.
    expect(leaked(text, people)).toEqual([]);
  }, 240_000);
});
