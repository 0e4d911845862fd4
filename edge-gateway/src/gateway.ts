import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import type { Logger } from 'pino';
import type {
  ApplicantInput,
  CommandReply,
  GatewayCommand,
  HallConfig,
  Id,
  NumberBlock,
  Result,
  SlipTicket,
  StaffEvent,
  StaffSnapshot,
  Ticket,
} from '@yichuang/protocol';
import {
  aheadOf,
  applyStaffEvent,
  DEVICE_CHANNELS,
  EVENT_TYPES,
  periodAt,
  waitOf,
  type HallFacts,
  factsOfSnapshot,
  localDay,
  NAMESPACES,
  PROTOCOL_VERSION,
  TOPIC_ROOT,
  deviceTopic,
} from '@yichuang/protocol';
import { slipBytes, SLIP_WORDS_ZH } from './escpos.js';
import { fromDevice, type GatewayHall } from './inbound.js';
import { showAll, toDevices, type DeviceMessage } from './outbound.js';
import { Outbox } from './outbox.js';
import { DYNSEC_CONTROL, dynsecCommands } from './mosquitto.js';

/** How long a card read waits for the press at its dispenser. */
const IDENTITY_MS = 60_000;

export type GatewaySettings = {
  hall: HallConfig;
  /** This gateway's device id in the hall (kind `gateway`). */
  gatewayId: Id;
  hubUrl: string;
  /** Its device token for the hub's `/gateway` namespace. */
  hubToken: string;
  mqttUrl: string;
  /** Its MQTT password (its username is its id). */
  mqttPassword: string;
  /** Where the outbox and the number blocks are kept. */
  dataDir: string;
  /** The hub's address as applicants' phones reach it: slips' QR codes point there. */
  publicUrl: string;
  root?: string;
  /** Numbers reserved per service for offline issuing (default 20). */
  blockSize?: number;
  ackTimeoutMs?: number;
  /** A device silent this long counts as offline (default 90 s: three missed heartbeats). */
  silenceMs?: number;
  /** R8: told the hall's switched-off devices whenever they change (the embedded broker closes them). */
  onBlocked?: (deviceIds: ReadonlySet<Id>) => void;
  /**
   * R8: the broker is a Mosquitto with the dynamic-security plugin (`npm run mqtt:files`): the gateway
   * disables a switched-off device's account there, which closes its connection at once.
   */
  dynsec?: boolean;
  logger: Logger;
};

/** Something the hub must be told; `printFor` is the dispenser whose printer prints the ticket it answers with. */
type Work = GatewayCommand & { printFor?: Id };

/** A block this gateway may issue from, with the next number it will print. */
type LocalBlock = { serviceId: Id; day: string; from: number; to: number; next: number };

type Health = { online: boolean; faults: string[]; lastSeen: number };

/**
 * The edge gateway: the hall's hardware on MQTT on one side, the hub's `/gateway` namespace on the
 * other. Device messages become commands (inbound.ts) that wait in a durable outbox until the hub
 * answers them, in order; hub events become what displays show, speakers say and pads ask
 * (outbound.ts). While the hub is unreachable, dispensers keep printing tickets from number blocks
 * the hub reserved for this gateway, and the hub queues them at their print time when it is back.
 */
export class EdgeGateway {
  private readonly log: Logger;
  private readonly root: string;
  private readonly outbox: Outbox<Work>;
  private readonly blocksPath: string;
  private blocks: LocalBlock[] = [];
  private readonly health = new Map<Id, Health>();
  private readonly seenOffline = new Set<string>();
  private hall: StaffSnapshot | null = null;
  private socket: Socket | null = null;
  private client: MqttClient | null = null;
  private pumping = false;
  private retry: NodeJS.Timeout | null = null;
  private sweep: NodeJS.Timeout | null = null;
  private reportSeq = 0;
  private readonly gatewayHall: GatewayHall;

  constructor(private readonly s: GatewaySettings) {
    this.log = s.logger;
    this.root = s.root ?? TOPIC_ROOT;
    mkdirSync(s.dataDir, { recursive: true });
    this.outbox = new Outbox<Work>(join(s.dataDir, 'outbox.log'));
    this.blocksPath = join(s.dataDir, 'blocks.json');
    try {
      this.blocks = JSON.parse(readFileSync(this.blocksPath, 'utf8')) as LocalBlock[];
    } catch {
      this.blocks = [];
    }
    this.gatewayHall = {
      id: s.hall.id,
      devices: s.hall.devices.map((d) => ({
        id: d.id,
        kind: d.kind,
        counterId: d.counterId ?? null,
        pairedWith: d.pairedWith ?? null,
      })),
    };
  }

  /** Whether the hub link is up now. */
  get hubConnected(): boolean {
    return this.socket?.connected ?? false;
  }

  /** Commands waiting for the hub. */
  get pending(): number {
    return this.outbox.size;
  }

  /**
   * How far the hub's clock is ahead of this machine's, as its events say. Numbers belong to the
   * hall's day, so the gateway counts its blocks by the hub's clock: one whose own clock was on
   * another day would otherwise think it held none and keep asking for more.
   */
  private skewMs = 0;
  private hallNow() {
    return Date.now() + this.skewMs;
  }

  /** Numbers left in this gateway's blocks today (the hall's day), per service. */
  numbersLeft(now = this.hallNow()): Record<Id, number> {
    const day = localDay(now, this.s.hall.timeZone);
    const out: Record<Id, number> = {};
    for (const b of this.blocks)
      if (b.day === day) out[b.serviceId] = (out[b.serviceId] ?? 0) + Math.max(0, b.to - b.next + 1);
    return out;
  }

  start(): void {
    const { s } = this;
    const client = mqtt.connect(s.mqttUrl, {
      username: s.gatewayId,
      password: s.mqttPassword,
      // One session per gateway and topic root: gateways of different roots share a broker safely.
      clientId: `yc-${this.root.replaceAll('/', '_')}-${s.hall.id}-${s.gatewayId}`,
      // A persistent session: what devices publish while the gateway reconnects waits in the broker.
      clean: false,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
    });
    this.client = client;
    // The broker's acknowledgement of a press goes out only once the press is on disk (outbox).
    client.handleMessage = (packet, done) => {
      try {
        this.onDeviceMessage(packet.topic, packet.payload as Buffer);
      } catch (err) {
        this.log.error({ err, topic: packet.topic }, 'device message failed');
      }
      done();
    };
    client.on('connect', () => {
      this.log.info({ url: s.mqttUrl }, 'MQTT broker connected');
      const filters = Object.entries(DEVICE_CHANNELS)
        .filter(([, c]) => c.direction === 'device-to-hub')
        .map(([name]) => `${this.root}/${s.hall.id}/+/+/${name.split('/').pop()}`);
      client.subscribe(
        Object.fromEntries([...new Set(filters)].map((topic) => [topic, { qos: 2 as const }])),
        (err) => {
          if (err) this.log.error({ err }, 'MQTT subscribe failed');
        },
      );
    });
    client.on('error', (err) => this.log.warn({ err: err.message }, 'MQTT error'));
    client.on('offline', () => this.log.warn('MQTT broker unreachable: reconnecting'));

    const socket = io(`${s.hubUrl}${NAMESPACES.gateway}`, {
      auth: { hallId: s.hall.id, token: s.hubToken, protocolVersion: PROTOCOL_VERSION },
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.log.info({ hub: s.hubUrl }, 'hub connected');
      void this.pump();
    });
    socket.on('disconnect', (reason) =>
      this.log.warn({ reason }, 'hub unreachable: buffering, dispensers print from reserved blocks'),
    );
    socket.on('connect_error', (err: Error & { data?: unknown }) =>
      this.log.warn({ err: err.message, data: err.data }, 'hub connection refused or unreachable'),
    );
    socket.on('hall:snapshot', (snapshot: StaffSnapshot) => this.onSnapshot(snapshot));
    const events = new Set<string>(EVENT_TYPES);
    socket.onAny((name: string, e: StaffEvent) => {
      if (events.has(name)) this.onEvent(e);
    });
    this.sweep = setInterval(() => this.sweepSilent(), 5000);
    this.sweep.unref();
  }

  async stop(): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    if (this.sweep) clearInterval(this.sweep);
    this.socket?.disconnect();
    await new Promise<void>((r) => (this.client ? this.client.end(false, {}, () => r()) : r()));
    this.outbox.close();
  }

  // ---- Devices → hub ----

  private onDeviceMessage(topic: string, payload: Buffer) {
    const m = fromDevice(topic, payload, this.gatewayHall, this.root);
    this.log.debug({ topic, kind: m.kind }, 'device message');
    switch (m.kind) {
      case 'dropped':
        this.log.warn({ topic, reason: m.reason }, 'device message dropped');
        return;
      case 'health':
        this.onHealth(m.deviceId, m.online, m.faults);
        return;
      case 'identity':
        this.onHealth(m.deviceId, true, null);
        this.identities.set(m.dispenserId, { applicant: m.applicant, until: Date.now() + IDENTITY_MS });
        return;
      case 'rating':
        this.onHealth(m.deviceId, true, null);
        this.enqueue({
          deviceId: m.deviceId,
          type: 'ticket:rate',
          payload: {
            ticketId: m.ticketId,
            level: m.level,
            ...(m.comment ? { comment: m.comment } : {}),
            ...(m.aspects ? { aspects: m.aspects } : {}),
          },
          key: m.key,
        });
        return;
      case 'command': {
        this.onHealth(m.deviceId, true, null);
        const { type, ...payload } = m.command;
        if (type === 'ticket:issue') {
          // #12: a card read here just before is this press's applicant, once; it waits in memory only.
          const read = this.identities.get(m.deviceId);
          this.identities.delete(m.deviceId);
          if (read && read.until >= Date.now()) this.applicants.set(m.key, read.applicant);
        }
        if (type === 'ticket:issue' && !this.hubConnected) {
          this.issueOffline(m.deviceId, payload as { serviceId: Id; priority: Ticket['priority'] }, m.key);
          return;
        }
        this.enqueue({
          deviceId: m.deviceId,
          type,
          payload,
          key: m.key,
          ...(type === 'ticket:issue' ? { printFor: m.deviceId } : {}),
        });
        return;
      }
    }
  }

  private enqueue(work: Work) {
    // A press the broker delivered again (QoS 2 retry across a reconnect) is already waiting.
    if (this.outbox.items().some((e) => e.item.key === work.key)) return;
    this.outbox.add(work);
    void this.pump();
  }

  /** Delivers the outbox in order, one command at a time, each until the hub has answered it. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.socket?.connected) {
        const next = this.outbox.items()[0];
        if (!next) break;
        const { printFor, ...command } = next.item;
        const applicant = this.applicants.get(command.key);
        let reply: Result<CommandReply>;
        try {
          reply = (await this.socket
            .timeout(this.s.ackTimeoutMs ?? 10_000)
            .emitWithAck(
              'gateway:command',
              applicant ? { ...command, payload: { ...(command.payload as object), applicant } } : command,
            )) as Result<CommandReply>;
        } catch {
          // No answer: the hub went away or is slow. The same key makes the retry safe.
          this.later(1000);
          break;
        }
        if (!reply.ok && (reply.error.code === 'internal-error' || reply.error.code === 'unavailable')) {
          this.later(1000);
          break;
        }
        this.outbox.done(next.seq);
        this.applicants.delete(command.key);
        this.log.debug(
          { device: command.deviceId, type: command.type, ok: reply.ok },
          'delivered to the hub',
        );
        if (!reply.ok)
          this.log.warn({ device: command.deviceId, type: command.type, error: reply.error }, 'hub refused');
        else if (printFor && reply.data.ticket) this.printOnline(printFor, reply.data.ticket, command.key);
      }
    } finally {
      this.pumping = false;
    }
    if (this.socket?.connected && this.outbox.size === 0) this.reserveIfLow();
  }

  private later(ms: number) {
    if (this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.pump();
    }, ms);
  }

  // ---- Offline issuing ----

  private issueOffline(dispenserId: Id, p: { serviceId: Id; priority: Ticket['priority'] }, key: string) {
    if (this.seenOffline.has(key) || this.outbox.items().some((e) => e.item.key === key)) return;
    const now = this.hallNow();
    const day = localDay(now, this.s.hall.timeZone);
    const block = this.blocks.find((b) => b.serviceId === p.serviceId && b.day === day && b.next <= b.to);
    const service = this.s.hall.services.find((s) => s.id === p.serviceId);
    if (!block || !service) {
      this.log.error(
        { dispenserId, serviceId: p.serviceId },
        'hub unreachable and no reserved numbers left for this service: no ticket printed',
      );
      return;
    }
    const seq = block.next++;
    this.saveBlocks();
    this.seenOffline.add(key);
    this.outbox.add({
      deviceId: this.s.gatewayId,
      type: 'ticket:issue-offline',
      payload: { serviceId: p.serviceId, priority: p.priority, seq, issuedAt: now },
      key,
    });
    const number = `${service.prefix}${String(seq).padStart(3, '0')}`;
    const waiting =
      (this.hall?.tickets.filter((t) => t.status === 'waiting' && t.serviceId === p.serviceId).length ?? 0) +
      this.outbox
        .items()
        .filter(
          (e) =>
            e.item.type === 'ticket:issue-offline' &&
            (e.item.payload as { serviceId: Id }).serviceId === p.serviceId,
        ).length -
      1;
    this.print(
      dispenserId,
      this.slip(
        number,
        p.serviceId,
        waiting,
        now,
        `${this.s.publicUrl}/display`,
        this.hall && factsOfSnapshot(this.hall),
      ),
      key,
      true,
    );
    this.log.info({ number, dispenserId }, 'ticket issued offline from the reserved block');
  }

  /** Asks the hub for fresh blocks where this gateway has fewer than half a block left today. */
  private reserveIfLow() {
    if (!this.hall) return;
    const size = this.s.blockSize ?? 20;
    const left = this.numbersLeft();
    const low = this.s.hall.services.map((s) => s.id).filter((id) => (left[id] ?? 0) < size / 2);
    if (low.length === 0) return;
    const day = localDay(this.hallNow(), this.s.hall.timeZone);
    this.enqueue({
      deviceId: this.s.gatewayId,
      type: 'numbers:reserve',
      payload: { serviceIds: low, size },
      key: `reserve:${this.s.gatewayId}:${day}:${this.hall.version}`,
    });
  }

  /** Takes the hub's list of this gateway's blocks, keeping where this gateway has got to in each. */
  private mergeBlocks(list: readonly NumberBlock[]) {
    const mine = list.filter((b) => b.deviceId === this.s.gatewayId);
    const day = localDay(this.hallNow(), this.s.hall.timeZone);
    const next: LocalBlock[] = [];
    for (const b of mine) {
      const local = this.blocks.find(
        (l) => l.serviceId === b.serviceId && l.from === b.from && l.day === b.day,
      );
      let cursor = local?.next ?? b.from;
      while (cursor <= b.to && b.used.includes(cursor)) cursor++;
      next.push({ serviceId: b.serviceId, day: b.day, from: b.from, to: b.to, next: cursor });
    }
    // Blocks of today the hub has not confirmed yet stay (the hub may not have heard of their use).
    for (const l of this.blocks)
      if (l.day === day && !next.some((n) => n.serviceId === l.serviceId && n.from === l.from)) {
        const pendingHere = this.outbox
          .items()
          .some(
            (e) =>
              e.item.type === 'ticket:issue-offline' &&
              (e.item.payload as { serviceId: Id }).serviceId === l.serviceId,
          );
        if (pendingHere) next.push(l);
      }
    this.blocks = next;
    this.saveBlocks();
  }

  private saveBlocks() {
    const tmp = `${this.blocksPath}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.blocks));
    renameSync(tmp, this.blocksPath);
  }

  // ---- Hub → devices ----

  private onSnapshot(snapshot: StaffSnapshot) {
    this.hall = snapshot;
    this.blocked(new Set(snapshot.deviceBlocks.map((b) => b.deviceId)), true);
    this.mergeBlocks(snapshot.numberBlocks);
    this.publish(showAll(snapshot, this.root));
    // The hub learns the health of every device this gateway knows of, and of those it lost.
    for (const d of snapshot.devices) {
      const here = this.health.get(d.id);
      if (here && (d.health?.online !== here.online || d.health.faults.join() !== here.faults.join()))
        this.report(d.id, here);
    }
    void this.pump();
  }

  private onEvent(e: StaffEvent) {
    if (!this.hall) return;
    this.skewMs = e.at - Date.now();
    this.hall = applyStaffEvent(this.hall, e);
    if (e.type === 'device:deactivated' || e.type === 'device:reactivated')
      this.blocked(new Set(this.hall.deviceBlocks.map((b) => b.deviceId)), false);
    if (e.type === 'numbers:reserved' || (e.type === 'ticket:issued' && e.offline))
      this.mergeBlocks(this.hall.numberBlocks);
    this.publish(toDevices(e, this.hall, this.root));
    if (e.type === 'hall:emergency-declared') this.emergencyReceipts(e.emergencyId);
  }

  /**
   * R38: the console counts where the emergency was shown. The gateway answers for the window
   * displays and speakers it sees online: the message is retained (displays) or queued at QoS 1 for
   * them at the broker, which is as far as a device without its own acknowledgement can be followed.
   */
  private emergencyReceipts(emergencyId: Id) {
    if (!this.hall || !this.socket?.connected) return;
    for (const d of this.hall.devices) {
      if ((d.kind !== 'window-display' && d.kind !== 'speaker') || !this.health.get(d.id)?.online) continue;
      this.socket
        .timeout(this.s.ackTimeoutMs ?? 10_000)
        .emitWithAck('gateway:command', {
          deviceId: this.s.gatewayId,
          type: 'hall:emergency-shown',
          payload: { emergencyId, screen: d.id, kind: d.kind },
          key: `shown:${emergencyId}:${d.id}`,
        })
        .then(
          (r: Result<CommandReply>) => {
            if (!r.ok) this.log.warn({ deviceId: d.id, error: r.error }, 'emergency receipt not recorded');
          },
          () => {},
        );
    }
  }

  /**
   * #12, R9: ID cards read at each dispenser, waiting for its next press, and the applicants of presses
   * waiting in the outbox. Memory only: an ID number is never written to the gateway's disk (a press
   * the gateway outlived a restart with goes to the hub without it, and the hub says if it needs one).
   */
  private readonly identities = new Map<Id, { applicant: ApplicantInput; until: number }>();
  private readonly applicants = new Map<string, ApplicantInput>();

  /** The devices switched off at Mosquitto, as this gateway last set them (null: not yet this run). */
  private disabledAtBroker: ReadonlySet<Id> | null = null;

  /**
   * R8: the hall's switched-off devices changed (or a snapshot came: `all`, every account is set as
   * the hall has it, since the gateway may have missed changes while away).
   */
  private blocked(ids: ReadonlySet<Id>, all: boolean) {
    this.s.onBlocked?.(ids);
    if (!this.s.dynsec) return;
    const mqttDevices = this.s.hall.devices.filter((d) => d.mqttPasswordSha256 && d.kind !== 'gateway');
    const before = all ? null : this.disabledAtBroker;
    const disable = mqttDevices.filter((d) => ids.has(d.id) && !before?.has(d.id)).map((d) => d.id);
    const enable = mqttDevices
      .filter((d) => !ids.has(d.id) && (!before || before.has(d.id)))
      .map((d) => d.id);
    this.disabledAtBroker = ids;
    if (disable.length + enable.length === 0) return;
    this.client?.publish(DYNSEC_CONTROL, dynsecCommands(disable, enable), { qos: 1 });
    if (disable.length > 0)
      this.log.info({ devices: disable }, 'switched-off devices disabled at the broker');
  }

  private publish(messages: DeviceMessage[]) {
    for (const m of messages)
      this.client?.publish(m.topic, m.payload === null ? '' : JSON.stringify(m.payload), {
        qos: m.qos,
        retain: m.retain,
      });
  }

  private printOnline(dispenserId: Id, ticket: Ticket, key: string) {
    const hall = this.hall;
    let ahead = 0;
    let facts: HallFacts | null = null;
    if (hall) {
      facts = factsOfSnapshot({
        ...hall,
        tickets: [...hall.tickets.filter((t) => t.id !== ticket.id), ticket],
      });
      ahead = aheadOf(facts, ticket);
    }
    this.print(
      dispenserId,
      this.slip(
        ticket.number,
        ticket.serviceId,
        ahead,
        ticket.issuedAt,
        `${this.s.publicUrl}/t/${ticket.id}`,
        facts,
      ),
      key,
      false,
    );
  }

  /** A slip's fields; its expected wait from the hall as the gateway last heard it (`facts`), none without. */
  private slip(
    number: string,
    serviceId: Id,
    ahead: number,
    at: number,
    qr: string,
    facts: HallFacts | null,
  ): SlipTicket {
    const service = this.s.hall.services.find((s) => s.id === serviceId);
    const text = new Intl.DateTimeFormat('sv-SE', {
      timeZone: this.s.hall.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).format(at);
    const wait = facts
      ? waitOf(facts, { status: 'waiting', serviceId, targetCounterId: null }, Math.max(0, ahead))
      : null;
    // R26: the slip says when the turn is expected after closing (offline, without predictions, it cannot).
    const closesAt = periodAt(this.s.hall.openingHours, this.s.hall.timeZone, at)?.closesAt ?? null;
    const late =
      facts !== null && closesAt !== null && (wait === null || at + wait.minutes * 60_000 > closesAt);
    return {
      hallName: this.s.hall.name,
      number,
      serviceName: service?.name ?? serviceId,
      ahead: Math.max(0, ahead),
      wait,
      issuedAt: at,
      issuedAtText: text,
      qr,
      pastClosingText: late
        ? new Intl.DateTimeFormat('en-GB', {
            timeZone: this.s.hall.timeZone,
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
          }).format(closesAt)
        : null,
    };
  }

  /** Sends a slip to the printer paired with the dispenser. */
  private print(dispenserId: Id, ticket: SlipTicket, key: string, offline: boolean) {
    const printer = this.s.hall.devices.find((d) => d.kind === 'printer' && d.pairedWith === dispenserId);
    if (!printer) {
      this.log.warn({ dispenserId }, 'no printer is paired with this dispenser: ticket not printed');
      return;
    }
    const pressId = key.split(':').pop()!;
    const { qos, retain } = DEVICE_CHANNELS['printer/print'];
    this.client?.publish(
      deviceTopic(this.s.hall.id, 'printer', printer.id, 'print', this.root),
      JSON.stringify({
        pressId,
        ticket,
        escpos: slipBytes(ticket, SLIP_WORDS_ZH, offline).toString('base64'),
        offline,
      }),
      { qos, retain },
    );
  }

  // ---- Device health ----

  /** A device was heard from; `faults` null keeps the faults it last reported. */
  private onHealth(deviceId: Id, online: boolean, faults: string[] | null) {
    const was = this.health.get(deviceId);
    const now: Health = { online, faults: faults ?? was?.faults ?? [], lastSeen: Date.now() };
    this.health.set(deviceId, now);
    if (!was || was.online !== now.online || was.faults.join() !== now.faults.join())
      this.report(deviceId, now);
  }

  private sweepSilent() {
    const limit = this.s.silenceMs ?? 90_000;
    for (const [id, h] of this.health)
      if (h.online && Date.now() - h.lastSeen > limit) {
        const off = { ...h, online: false };
        this.health.set(id, off);
        this.log.warn({ deviceId: id }, 'device silent: marked offline');
        this.report(id, off);
      }
  }

  /** Tells the hub a device's health; lost while the hub is away, and sent again from the snapshot. */
  private report(deviceId: Id, h: Health) {
    if (!this.socket?.connected) return;
    this.socket
      .timeout(this.s.ackTimeoutMs ?? 10_000)
      .emitWithAck('gateway:command', {
        deviceId: this.s.gatewayId,
        type: 'device:report',
        payload: { deviceId, online: h.online, faults: h.faults },
        key: `health:${deviceId}:${Date.now()}:${this.reportSeq++}`,
      })
      .then(
        (r: Result<CommandReply>) => {
          if (!r.ok) this.log.warn({ deviceId, error: r.error }, 'device health not recorded');
        },
        () => {},
      );
  }
}
