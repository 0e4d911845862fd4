import helmet from 'helmet';
import type { Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express from 'express';
import cors from 'cors';
import proxyaddr from 'proxy-addr';
import type { Redis } from 'ioredis';
import { Server, type ServerOptions } from 'socket.io';
import type { Logger } from 'pino';
import type { HallConfig, InstallationConfig } from '@yichuang/protocol';
import { calendarOf, fail, localDay } from '@yichuang/protocol';
import type { TokenService } from './auth.js';
import { HallService } from './hall-service.js';
import type { HallState } from './engine/index.js';
import { Metrics } from './metrics.js';
import type { AuditLog, Broadcaster, Clock, EventLog, HallStore, Scheduler } from './ports/index.js';
import type { HistoryStore } from './ports/history-store.js';
import { AuditTrail } from './audit.js';
import { Archiver } from './history/archiver.js';
import { Compactor, isCompactable } from './history/compaction.js';
import { restRouter } from './transport/rest.js';
import { attachSockets } from './transport/sockets.js';
import { appsRouter } from './transport/apps.js';
import { DEFAULT_PUBLIC_LIMITS, limiter, type PublicLimits } from './transport/limits.js';
import { handshakeAllowed } from './transport/origins.js';
import { idHasher } from './privacy.js';
import { LoginGuard, MemoryGuardStore, RedisGuardStore } from './transport/login-guard.js';
import { httpErrorHandler, rejectMalformedPaths } from './transport/http-errors.js';

const APPS_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Everything the hub is made of; `compose.ts` picks the embedded or the scaled-out adapters. */
export type Components = {
  config: InstallationConfig;
  log: EventLog;
  /** #12: the append-only audit log (a file per hall and day embedded, a Redis stream scaled out). */
  auditLog: AuditLog;
  scheduler: Scheduler;
  broadcaster: Broadcaster;
  clock: Clock;
  tokens: TokenService;
  /** #12, R9: the key ID numbers are hashed with (HMAC-SHA-256); the same on every node. */
  privacyKey: Buffer;
  logger: Logger;
  store?: HallStore;
  /** The socket.io adapter that fans events out across nodes (Redis Streams when scaled out). */
  adapter?: ServerOptions['adapter'];
  newId?: () => string;
  health?: () => Record<string, unknown>;
  /** Checks the backing services (Redis) answer. */
  servicesReady?: () => Promise<Record<string, unknown>>;
  queueDepth?: () => Promise<number>;
  /** `/metrics` answers this bearer token only; without one, only requests from this machine. */
  metricsToken?: string;
  /** #12: limits on what an address does without a credential (defaults in limits.ts). */
  publicLimits?: Partial<PublicLimits>;
  /** Where the limits are counted when scaled out (every node counts the same); memory otherwise. */
  limitStore?: { client: Redis; prefix: string };
  /** Express's `trust proxy`: which proxies' X-Forwarded-For names the client (unset: none). */
  trustProxy?: string | number | boolean;
  /** #12: other sites' pages allowed to call the hub from a browser (its own pages always are). */
  allowedOrigins?: string[];
  /** Where the built apps live (`<root>/<app>/dist`); the repository root by default. */
  appsRoot?: string;
  /** Called when a hall's record can no longer be trusted (HallStateUnknownError): stop the process. */
  onFatal?: (err: Error) => void;
  /** Releases the backing connections, after everything else closed. */
  release?: () => Promise<void>;
  /** #14: where closed days are kept (its migrations run at start). */
  history?: HistoryStore;
  /** #14: how often the running day is written to the history store (the lag of reports); 60 s by default. */
  archiveEveryMs?: number;
};

export type App = { io: Server; halls: HallService; metrics: Metrics; close: () => Promise<void> };

/** The composition root: loads the halls and attaches REST and socket.io to `httpServer`. */
export async function createApp(httpServer: HttpServer, c: Components): Promise<App> {
  const archiver = c.history ? new Archiver(c.history, c.logger) : null;
  await archiver?.prepare(c.config.halls.map((h) => h.id));
  const halls = new HallService({
    log: c.log,
    scheduler: c.scheduler,
    broadcaster: c.broadcaster,
    clock: c.clock,
    newId: c.newId ?? randomUUID,
    logger: c.logger,
    store: c.store,
    onFatal: c.onFatal,
    snapshotAllowed: (hallId) => !archiver?.pending(hallId),
  });
  if (archiver) halls.onDayClosed((hallId, closing) => archiver.dayClosed(hallId, closing));
  // #14: the embedded journal rolls behind the archive, so a start replays today's events only.
  const compactor =
    archiver && c.store && isCompactable(c.log) ? new Compactor(c.store, c.log, c.logger) : null;
  if (archiver && compactor) archiver.onSettled((hallId, closing) => compactor.settled(hallId, closing));
  await halls.load(c.config.halls);
  archiver?.start(
    c.archiveEveryMs ?? 60_000,
    () => {
      const states = new Map<string, HallState>();
      for (const id of halls.hallIds()) states.set(id, halls.state(id)!);
      return states;
    },
    () => c.clock.now(),
  );
  const unscheduled = unscheduledYears(c.config.halls, c.clock.now());
  for (const [hallId, years] of Object.entries(unscheduled))
    c.logger.warn(
      { hallId, years },
      "the holiday schedule of these years is not known: deadlines count weekends and fixed holidays only; add the year's holidays and make-up working days to the hall's `calendar`",
    );

  const allowedOrigins = c.allowedOrigins ?? [];
  const sameSite = handshakeAllowed(allowedOrigins);
  const io = new Server(httpServer, {
    // Screens that drop off briefly get what they missed; auth runs again on recovery (platform facts).
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
    pingInterval: 10_000,
    pingTimeout: 10_000,
    // #12: the largest message a client sends is a carry-over of a whole queue (999 ids, ~70 KB);
    // anything much larger is refused by closing that connection (socket.io's default is 1 MB).
    maxHttpBufferSize: 128 * 1024,
    // #12: a browser page of another site does not open the hall's sockets (see origins.ts).
    allowRequest: (req, callback) => {
      const ok = sameSite(req);
      if (!ok) c.logger.warn({ origin: req.headers.origin }, 'socket refused: origin not allowed');
      callback(ok ? null : 'origin not allowed', ok);
    },
    ...(c.adapter ? { adapter: c.adapter } : {}),
  });
  let draining = false;
  const audit = new AuditTrail(c.auditLog, () => c.clock.now(), c.logger);
  // #12: failed sign-ins and unlocks, counted in Redis when scaled out (every node counts the same).
  const guardStore = (name: string) =>
    c.limitStore
      ? new RedisGuardStore(c.limitStore.client, `${c.limitStore.prefix}guard:${name}:`)
      : new MemoryGuardStore();
  const loginGuard = new LoginGuard(() => c.clock.now(), guardStore('login'));
  const unlockGuard = new LoginGuard(() => c.clock.now(), guardStore('unlock'));
  const hashId = idHasher(c.privacyKey);
  const metrics = new Metrics(() => io, c.queueDepth);

  const web = express();
  web.disable('x-powered-by');
  web.set('trust proxy', c.trustProxy ?? false);
  const limits = { ...DEFAULT_PUBLIC_LIMITS, ...c.publicLimits };
  // A cross-site page gets no answer it could read, and changes nothing.
  web.use((req, res, next) => {
    if (sameSite(req)) return next();
    c.logger.warn({ origin: req.get('origin'), path: req.path }, 'request refused: origin not allowed');
    res.status(403).json(fail('not-allowed', 'This page’s origin may not call the hub (ALLOWED_ORIGINS).'));
  });
  if (allowedOrigins.length > 0) web.use('/api', cors({ origin: allowedOrigins, maxAge: 600 }));
  // #12: no framing of the sign-in pages, no sniffing, no referrer to other sites, and only the hub's
  // own scripts. Styles may be inline (Element Plus and Vue set them); images may be data URLs (the
  // kiosk's QR codes). No upgrade to https: a hall's LAN often serves plain http.
  web.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          mediaSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  web.use(rejectMalformedPaths);
  web.use(
    restRouter({
      halls,
      tokens: c.tokens,
      clock: c.clock,
      logger: c.logger,
      metrics,
      ...(c.metricsToken ? { metricsToken: c.metricsToken } : {}),
      audit,
      loginGuard,
      unlockGuard,
      hashId,
      ...(c.history ? { history: c.history } : {}),
      publicIssue: limiter('issue', limits.issuePerAddress, limits.issueWindowS, c.limitStore),
      publicReads: limiter('reads', limits.readsPerMinute, 60, c.limitStore),
      health: () => ({
        halls: halls.hallIds().length,
        auditFailures: audit.failures,
        unscheduledYears: unscheduledYears(c.config.halls, c.clock.now()),
        ...c.health?.(),
      }),
      ready: async () => {
        const services = (await c.servicesReady?.()) ?? {};
        const caughtUp = await halls.caughtUp();
        return { ready: !draining && caughtUp, detail: { draining, caughtUp, ...services } };
      },
    }),
  );
  web.use(appsRouter(c.appsRoot ?? APPS_ROOT));
  web.get('/', (_req, res) => {
    res
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><meta charset="utf-8"><title>一窗 Yichuang</title><h1>一窗 Yichuang</h1><ul>' +
          '<li><a href="/display">叫号大屏 Hall wall</a></li><li><a href="/kiosk">自助取号 Kiosk</a></li>' +
          '<li><a href="/counter">窗口工作台 Counter panel</a></li><li><a href="/console">大厅管理 Supervisor console</a></li>' +
          '<li><a href="/api/v1/openapi.json">REST API (OpenAPI)</a></li><li><a href="/healthz">/healthz</a></li></ul>',
      );
  });
  web.use((_req, res) => {
    res.status(404).json(fail('not-found', 'No such page.'));
  });
  web.use(httpErrorHandler(c.logger));
  httpServer.on('request', web);

  attachSockets({
    io,
    halls,
    tokens: c.tokens,
    clock: c.clock,
    broadcaster: c.broadcaster,
    logger: c.logger,
    metrics,
    audit,
    unlockGuard,
    hashId,
    publicSocketsPerAddress: limits.socketsPerAddress,
    addressOf: (req) => proxyaddr(req, web.get('trust proxy fn') as (addr: string, i: number) => boolean),
  });

  return {
    io,
    halls,
    metrics,
    /** Graceful: stop being ready, answer what is queued, hand the sockets back to the balancer, release. */
    close: async () => {
      draining = true;
      await halls.idle();
      halls.stop();
      io.local.disconnectSockets(true);
      await io.close();
      await audit.flush();
      // What is queued for the history store lands now, or is written again by the next start's replay.
      await atMost(5000, archiver?.flush());
      archiver?.stop();
      await atMost(5000, compactor?.idle());
      compactor?.stop();
      await c.scheduler.close();
      await c.log.close();
      await c.history?.close();
      await c.release?.();
    },
  };
}

/** Waits for `work`, but no longer than `ms` (the timer does not outlive it). */
async function atMost(ms: number, work: Promise<void> | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** #13: per hall, this year and next when their holiday schedule is not known (deadlines would be off). */
function unscheduledYears(halls: readonly HallConfig[], now: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const h of halls) {
    const year = Number(localDay(now, h.timeZone).slice(0, 4));
    const missing = [year, year + 1].filter((y) => !calendarOf(h).covers(y));
    if (missing.length > 0) out[h.id] = missing;
  }
  return out;
}
