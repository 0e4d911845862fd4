import type { IncomingMessage } from 'node:http';
import type { Server, Socket } from 'socket.io';
import type { Logger } from 'pino';
import type {
  Actor,
  DisplayClientToServer,
  DisplayServerToClient,
  ErrorBody,
  Id,
  StaffClientToServer,
  StaffEventAfter,
  StaffServerToClient,
  VersionedEvent,
} from '@yichuang/protocol';
import {
  ACCOUNT_EVENTS,
  COMMAND_TYPES,
  DEVICE_ACCESS_EVENTS,
  describeIssues,
  fail,
  GatewayCommand,
  worksCountersHere,
  managerOf,
  SESSION_REVOKED,
  NAMESPACES,
  PROTOCOL_VERSION,
  toPublicEvent,
  VERSION_TICK,
  type CommandType,
} from '@yichuang/protocol';
import { actorFor, sessionActor, type TokenService } from '../auth.js';
import {
  factsOf,
  accountList,
  deviceView,
  estimateList,
  publicSnapshot,
  staffSnapshot,
  type HallState,
  servicesOf,
} from '../engine/index.js';
import type { HallService } from '../hall-service.js';
import type { Broadcaster, Clock } from '../ports/index.js';
import { dispatch } from './dispatch.js';
import { eventWithoutNotes, withoutApplicant, withoutNotes } from './staff-views.js';
import type { AuditTrail } from '../audit.js';
import type { LoginGuard } from './login-guard.js';
import type { Metrics } from '../metrics.js';

export type SocketDeps = {
  io: Server;
  halls: HallService;
  tokens: TokenService;
  clock: Clock;
  broadcaster: Broadcaster;
  logger: Logger;
  metrics?: Metrics;
  audit: AuditTrail;
  unlockGuard: LoginGuard;
  hashId: (idNumber: string) => string;
  /** #12: public (`/display`) connections one address may hold at once on this node. */
  publicSocketsPerAddress: number;
  /** The client's address (through the proxies the hub trusts). */
  addressOf: (req: IncomingMessage) => string;
};

/**
 * What a connection is: its hall, who it acts as, and (for a credential) how to ask whether that
 * credential still counts. Asked again whenever an account or device is switched off (R8).
 */
type SocketData = { hallId: Id; actor: Actor };

const room = (hallId: Id) => `hall:${hallId}`;

/** A refused connection: socket.io hands `data` to the client's `connect_error`. */
function refuse(error: ErrorBody): Error {
  return Object.assign(new Error(error.message), { data: error });
}

function readAuth(auth: unknown): Record<string, unknown> {
  return typeof auth === 'object' && auth !== null ? (auth as Record<string, unknown>) : {};
}

function checkProtocol(auth: Record<string, unknown>): ErrorBody | null {
  const v = auth.protocolVersion;
  if (v === undefined) return null;
  if (typeof v !== 'string' || v.split('.')[0] !== PROTOCOL_VERSION.split('.')[0])
    return {
      code: 'invalid-payload',
      message: `Protocol ${JSON.stringify(v)} is not served; this hub speaks ${PROTOCOL_VERSION}.`,
    };
  return null;
}

/** The records an event touched, as the hall has them now (see StaffEventAfter). */
function staffEventAfter(state: HallState, e: VersionedEvent): StaffEventAfter {
  const ticketId = 'ticketId' in e ? e.ticketId : null;
  const counterId = 'counterId' in e ? e.counterId : null;
  return {
    ticket: (ticketId && state.tickets.get(ticketId)) || null,
    counter: (counterId && state.counters.get(counterId)) || null,
    notices: [...state.notices],
    issuingPaused: [...state.issuingPaused],
    device: 'deviceId' in e && e.deviceId ? deviceView(state, e.deviceId) : null,
    numberBlocks: [...state.numberBlocks],
    estimates: e.type === 'ticket:completed' ? estimateList(state) : null,
    routing: state.routing,
    alert: ('alertId' in e && state.alerts.get(e.alertId)) || null,
    case: ('caseId' in e && e.caseId && state.cases.get(e.caseId)) || null,
    notice: ('noticeId' in e && state.writtenNotices.get(e.noticeId)) || null,
    ...(e.type === 'service:catalogue-set' ? { services: [...servicesOf(state)] } : {}),
    ...('emergencyId' in e ? { emergency: state.emergency } : {}),
    ...('leaveId' in e ? { leave: [...state.leave.values()] } : {}),
    ...(ACCOUNT_EVENTS.has(e.type) ? { accounts: accountList(state) } : {}),
    ...(DEVICE_ACCESS_EVENTS.has(e.type) ? { deviceBlocks: [...state.deviceBlocks.values()] } : {}),
    ...(e.type === 'ticket:carried-over' || (e.type === 'ticket:issued' && e.carriedFrom)
      ? { carryOvers: [...state.carryOvers.values()] }
      : {}),
  };
}

/** Answers `hall:sync` with a fresh snapshot; the ack is the last argument, whatever came before it. */
function onSync(socket: Socket, snapshot: () => unknown) {
  socket.on('hall:sync', (...args: unknown[]) => {
    const ack = args[args.length - 1];
    if (typeof ack === 'function') (ack as (r: unknown) => void)({ ok: true, data: snapshot() });
  });
}

/** Answers any message that is not one of `known` with a clear error instead of silence. */
function answerUnknown(socket: Socket, known: ReadonlySet<string>) {
  socket.onAny((event: string, ...args: unknown[]) => {
    if (known.has(event)) return;
    const ack = args[args.length - 1];
    if (typeof ack === 'function')
      (ack as (r: unknown) => void)(fail('not-found', `No command ${event} on ${socket.nsp.name}.`));
  });
}

/**
 * The socket.io namespaces. Each connection is authenticated once by middleware (which also
 * runs on connection-state recovery: `skipMiddlewares` is off), joins its hall's room and
 * receives a snapshot; every command is validated and answered through its ack.
 */
export function attachSockets(deps: SocketDeps): void {
  const { io, halls, tokens, clock, logger } = deps;

  /** The hall a staff or gateway connection names, and the actor its token stands for (null: none). */
  function handshake(
    socket: Socket,
  ): { state: HallState; actor: Actor | null; stillValid: () => boolean } | ErrorBody {
    const auth = readAuth(socket.handshake.auth);
    const bad = checkProtocol(auth);
    if (bad) return bad;
    const state = typeof auth.hallId === 'string' ? halls.state(auth.hallId) : undefined;
    if (!state) return { code: 'unknown-hall', message: `No hall ${String(auth.hallId)}.` };
    const actor =
      typeof auth.token === 'string'
        ? actorFor(auth.token, state.config.id, lookup, tokens, clock.now())
        : null;
    return { state, actor, stillValid: credentialCheck(auth.token, actor, state.config.id) };
  }

  const lookup = (id: Id) => halls.state(id);
  /**
   * How to ask whether each connection's credential still counts (R8). Kept beside the sockets, not in
   * `socket.data`: the Redis adapter saves `data` for connection-state recovery, and cannot save a function.
   */
  const stillValid = new WeakMap<Socket, () => boolean>();
  /** Where a socket command came from, for the metrics and the audit log. */
  const through = (socket: Socket) => ({
    metrics: deps.metrics,
    audit: deps.audit,
    unlockGuard: deps.unlockGuard,
    hashId: deps.hashId,
    address: deps.addressOf(socket.request),
    via: 'socket' as const,
  });
  /** #12: a connection refused for who it is, kept in the audit log. */
  const denied = (socket: Socket, hallId: Id, error: ErrorBody) => {
    deps.audit.record({
      hallId,
      who: 'unknown-credential',
      action: `connect:${socket.nsp.name}`,
      outcome: 'refused',
      code: error.code,
      address: deps.addressOf(socket.request),
      via: 'socket',
    });
    return refuse(error);
  };
  /**
   * How to ask later whether the credential a connection came with still counts: its session is live
   * (R8), or its device is not switched off. The access token's own expiry is not asked again: a live
   * socket stays until its session ends, and reconnects with a fresh token.
   */
  function credentialCheck(credential: unknown, actor: Actor | null, hallId: Id): () => boolean {
    if (actor?.kind === 'device') return () => !halls.state(hallId)?.deviceBlocks.has(actor.deviceId);
    const claims = typeof credential === 'string' ? tokens.verify(credential, clock.now()) : null;
    return claims ? () => sessionActor(claims, halls.state(claims.hall)) !== null : () => true;
  }

  /** R8: every connection on this node whose credential no longer counts is told why and closed, at once. */
  function dropRevoked() {
    for (const ns of Object.values(NAMESPACES))
      for (const socket of io.of(ns).sockets.values()) {
        const data = socket.data as SocketData;
        const valid = stillValid.get(socket);
        if (!valid || valid()) continue;
        logger.info({ ns, actor: data.actor }, 'connection closed: its credential was revoked');
        socket.emit(SESSION_REVOKED, {
          code: 'unauthenticated',
          message: 'This session has ended (signed out, or the account or device was switched off).',
        });
        socket.disconnect(true);
      }
  }

  const display = io.of(NAMESPACES.display);
  const publicPerAddress = new Map<string, number>();
  display.use((socket, next) => {
    const auth = readAuth(socket.handshake.auth);
    const bad = checkProtocol(auth);
    if (bad) return next(refuse(bad));
    const hallId = auth.hallId;
    const state = typeof hallId === 'string' ? halls.state(hallId) : undefined;
    if (!state) return next(refuse({ code: 'unknown-hall', message: `No hall ${String(hallId)}.` }));
    let actor: Actor = { kind: 'public' };
    if (auth.deviceToken !== undefined) {
      const a =
        typeof auth.deviceToken === 'string'
          ? actorFor(auth.deviceToken, state.config.id, lookup, tokens, clock.now())
          : null;
      if (a?.kind !== 'device')
        return next(
          denied(socket, state.config.id, {
            code: 'unauthenticated',
            message: 'The device token is not valid.',
          }),
        );
      actor = a;
    }
    if (actor.kind === 'public') {
      const address = deps.addressOf(socket.request);
      const held = publicPerAddress.get(address) ?? 0;
      if (held >= deps.publicSocketsPerAddress) {
        logger.warn({ address }, 'public socket refused: address over its limit');
        return next(refuse({ code: 'rate-limited', message: 'Too many screens from this address.' }));
      }
      publicPerAddress.set(address, held + 1);
      socket.once('disconnect', () => {
        const n = (publicPerAddress.get(address) ?? 1) - 1;
        if (n > 0) publicPerAddress.set(address, n);
        else publicPerAddress.delete(address);
      });
    }
    (socket.data as SocketData) = { hallId: state.config.id, actor };
    if (actor.kind === 'device')
      stillValid.set(socket, credentialCheck(auth.deviceToken, actor, state.config.id));
    next();
  });
  display.on('connection', (socket: Socket<DisplayClientToServer, DisplayServerToClient>) => {
    const { hallId } = socket.data as SocketData;
    void socket.join(room(hallId));
    // A recovered session already got every event it missed; a new one starts from a snapshot.
    if (!socket.recovered) socket.emit('hall:snapshot', publicSnapshot(halls.state(hallId)!));
    onSync(socket, () => publicSnapshot(halls.state(hallId)!));
    answerUnknown(socket, new Set(['hall:sync', 'hall:emergency-shown']));
    // The one thing a public screen sends: that it shows the emergency in force (R38).
    const { actor } = socket.data as SocketData;
    socket.on('hall:emergency-shown', (payload: unknown, maybeAck: unknown) => {
      const ack = typeof maybeAck === 'function' ? (maybeAck as (r: unknown) => void) : () => undefined;
      dispatch(halls, hallId, 'hall:emergency-shown', payload, actor, through(socket))
        .then((r) => ack(r))
        .catch((err: unknown) => {
          logger.error({ err }, 'emergency receipt failed');
          ack(fail('internal-error', 'The hub failed on this receipt.'));
        });
    });
  });

  for (const ns of [NAMESPACES.counter, NAMESPACES.supervisor] as const) {
    const nsp = io.of(ns);
    nsp.use((socket, next) => {
      const h = handshake(socket);
      if ('code' in h) return next(refuse(h));
      const { state, actor, stillValid: check } = h;
      if (actor?.kind !== 'staff')
        return next(
          denied(socket, state.config.id, {
            code: 'unauthenticated',
            message: 'Sign in as staff of this hall.',
          }),
        );
      // A city manager or admin from another hall reads and dispatches here; a clerk works their own hall.
      if (
        ns === NAMESPACES.supervisor
          ? managerOf(factsOf(state), actor)
          : !worksCountersHere(factsOf(state), actor)
      )
        return next(
          denied(socket, state.config.id, {
            code: 'not-allowed',
            message:
              ns === NAMESPACES.supervisor
                ? 'The supervisor console is for hall managers.'
                : 'The counter panel is for staff of this hall.',
          }),
        );
      (socket.data as SocketData) = { hallId: state.config.id, actor };
      stillValid.set(socket, check);
      next();
    });
    nsp.on('connection', (socket: Socket<StaffClientToServer, StaffServerToClient>) => {
      const { hallId, actor } = socket.data as SocketData;
      void socket.join(room(hallId));
      const view = (state: HallState) =>
        ns === NAMESPACES.supervisor ? staffSnapshot(state) : withoutNotes(staffSnapshot(state));
      if (!socket.recovered) socket.emit('hall:snapshot', view(halls.state(hallId)!));
      onSync(socket, () => view(halls.state(hallId)!));
      answerUnknown(socket, new Set([...COMMAND_TYPES, 'hall:sync']));
      // Scheduler-only commands are registered too: the engine answers them with not-allowed.
      for (const type of COMMAND_TYPES) {
        // socket.io's typed handler cannot express "any of the command payloads": take unknown and validate.
        (socket as unknown as Socket).on(type, (payload: unknown, maybeAck: unknown) => {
          if (typeof maybeAck !== 'function') {
            logger.warn({ type }, 'command without ack ignored');
            return;
          }
          const ack = maybeAck as (r: unknown) => void;
          dispatch(halls, hallId, type, payload, actor, through(socket))
            .then((r) => ack(r))
            .catch((err: unknown) => {
              logger.error({ err, type }, 'command failed');
              ack(fail('internal-error', 'The hub failed on this command.'));
            });
        });
      }
    });
  }

  // The edge gateway: authenticated by its device token, it acts for the hall's MQTT devices, each
  // command as that device (the engine decides what a device may do) with the press id as its key.
  const gateway = io.of(NAMESPACES.gateway);
  gateway.use((socket, next) => {
    const h = handshake(socket);
    if ('code' in h) return next(refuse(h));
    const { state, actor, stillValid: check } = h;
    const device =
      actor?.kind === 'device' ? state.config.devices.find((d) => d.id === actor.deviceId) : undefined;
    if (device?.kind !== 'gateway')
      return next(
        denied(socket, state.config.id, {
          code: 'unauthenticated',
          message: 'The /gateway namespace takes a gateway token.',
        }),
      );
    (socket.data as SocketData) = { hallId: state.config.id, actor: actor! };
    stillValid.set(socket, check);
    next();
  });
  gateway.on('connection', (socket: Socket) => {
    const { hallId, actor } = socket.data as SocketData;
    const gatewayId = (actor as Extract<Actor, { kind: 'device' }>).deviceId;
    // The console shows the gateway offline while it is (its hardware then runs on its own).
    const report = (online: boolean) =>
      dispatch(halls, hallId, 'device:report', { deviceId: gatewayId, online }, { kind: 'system' }).then(
        (r) => {
          if (!r.ok) logger.warn({ gatewayId, error: r.error }, 'gateway presence not recorded');
        },
        (err: unknown) => logger.error({ err, gatewayId }, 'gateway presence not recorded'),
      );
    void report(true);
    socket.on('disconnect', () => void report(false));
    void socket.join(room(hallId));
    if (!socket.recovered) socket.emit('hall:snapshot', withoutNotes(staffSnapshot(halls.state(hallId)!)));
    onSync(socket, () => withoutNotes(staffSnapshot(halls.state(hallId)!)));
    answerUnknown(socket, new Set(['gateway:command', 'hall:sync']));
    socket.on('gateway:command', (message: unknown, maybeAck: unknown) => {
      if (typeof maybeAck !== 'function') return;
      const ack = maybeAck as (r: unknown) => void;
      const m = GatewayCommand.safeParse(message);
      if (!m.success)
        return ack(fail('invalid-payload', `Invalid gateway:command: ${describeIssues(m.error)}`));
      const device = halls.state(hallId)!.config.devices.find((d) => d.id === m.data.deviceId);
      if (!device || (device.kind === 'gateway' && device.id !== gatewayId))
        return ack(fail('not-allowed', `No device ${m.data.deviceId} for the gateway to act for.`));
      if (!(COMMAND_TYPES as readonly string[]).includes(m.data.type))
        return ack(fail('not-found', `No command ${m.data.type}.`));
      dispatch(
        halls,
        hallId,
        m.data.type as CommandType,
        m.data.payload,
        { kind: 'device', deviceId: device.id },
        { ...through(socket), via: 'gateway', key: `gateway:${m.data.key}` },
      )
        .then((r) => ack(r))
        .catch((err: unknown) => {
          logger.error({ err }, 'gateway command failed');
          ack(fail('internal-error', 'The hub failed on this command.'));
        });
    });
  });

  // Every node closes its own connections of a revoked session, whichever node recorded the revocation;
  // after the command's own answer has gone out (a sign-out over the socket is acknowledged first).
  halls.onApplied((_hallId, events) => {
    if (events.some((e) => ACCOUNT_EVENTS.has(e.type) || DEVICE_ACCESS_EVENTS.has(e.type)))
      setTimeout(dropRevoked, 0);
  });

  deps.broadcaster.subscribe((hallId: Id, events: readonly VersionedEvent[]) => {
    const state = halls.state(hallId);
    for (const e of events) {
      const pub = toPublicEvent(e);
      if (pub) io.of(NAMESPACES.display).to(room(hallId)).emit(pub.type, pub);
      else io.of(NAMESPACES.display).to(room(hallId)).emit(VERSION_TICK, { version: e.version });
      const heard = withoutApplicant(e);
      const staffEvent = state ? { ...heard, after: staffEventAfter(state, e) } : heard;
      const clerks = eventWithoutNotes(staffEvent);
      io.of(NAMESPACES.counter).to(room(hallId)).emit(e.type, clerks);
      io.of(NAMESPACES.supervisor).to(room(hallId)).emit(e.type, staffEvent);
      io.of(NAMESPACES.gateway).to(room(hallId)).emit(e.type, clerks);
    }
  });
}
