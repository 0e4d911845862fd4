import type { Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { InstallationConfig } from '@yichuang/protocol';
import type { TokenService } from './auth.js';
import { HallService } from './hall-service.js';
import type { Broadcaster, Clock, EventLog, Scheduler } from './ports/index.js';
import { restRouter } from './transport/rest.js';
import { attachSockets } from './transport/sockets.js';

/** Everything the hub is made of; `main.ts` picks the embedded or scaled-out adapters. */
export type Components = {
  config: InstallationConfig;
  log: EventLog;
  scheduler: Scheduler;
  broadcaster: Broadcaster;
  clock: Clock;
  tokens: TokenService;
  logger: Logger;
  newId?: () => string;
  health?: () => Record<string, unknown>;
};

export type App = { io: Server; halls: HallService; close: () => Promise<void> };

/** The composition root: loads the halls and attaches REST and socket.io to `httpServer`. */
export async function createApp(httpServer: HttpServer, c: Components): Promise<App> {
  const halls = new HallService({
    log: c.log,
    scheduler: c.scheduler,
    broadcaster: c.broadcaster,
    clock: c.clock,
    newId: c.newId ?? randomUUID,
    logger: c.logger,
  });
  await halls.load(c.config.halls);

  const web = express();
  web.disable('x-powered-by');
  web.use(
    restRouter({
      halls,
      tokens: c.tokens,
      clock: c.clock,
      logger: c.logger,
      health: () => ({ halls: halls.hallIds().length, ...c.health?.() }),
    }),
  );
  web.get('/', (_req, res) => {
    res
      .type('text/plain; charset=utf-8')
      .send(
        'Yichuang (一窗) hall hub.\nREST: /api/v1 (OpenAPI at /api/v1/openapi.json)\nsocket.io: /display /counter /supervisor\nHealth: /healthz\n',
      );
  });
  httpServer.on('request', web);

  const io = new Server(httpServer, {
    // Screens that drop off briefly get what they missed; auth runs again on recovery (platform facts).
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });
  attachSockets({
    io,
    halls,
    tokens: c.tokens,
    clock: c.clock,
    broadcaster: c.broadcaster,
    logger: c.logger,
  });

  return {
    io,
    halls,
    close: async () => {
      await io.close();
      await c.scheduler.close();
      await c.log.close();
    },
  };
}
