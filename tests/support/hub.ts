import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { io as connectClient, type Socket } from 'socket.io-client';
import type { InstallationConfig, StaffSnapshot } from '@yichuang/protocol';
import type { HistoryStore, PublicLimits } from '@yichuang/server';
import {
  createApp,
  DEMO_CONFIG_PATH,
  FileAuditLog,
  FileJournal,
  loadInstallation,
  MemoryBroadcaster,
  MemoryScheduler,
  TokenService,
  type App,
  type Clock,
} from '@yichuang/server';

/** The privacy key of the test hubs: a test hashes an ID number as the hub does with it. */
export const TEST_PRIVACY_KEY = Buffer.from('test-privacy-key');

export type Hub = {
  url: string;
  app: App;
  scheduler: MemoryScheduler;
  dataDir: string;
  /** A staff token minted directly (login itself is tested once; scrypt costs ~0.4 s a call). */
  tokenFor: (staffId: string, hallId?: string) => string;
  close: () => Promise<void>;
};

/** Starts the real hub on an ephemeral port with the embedded adapters (file journal in a temp folder). */
export async function startHub(
  opts: {
    config?: InstallationConfig;
    clock?: Clock;
    logger?: Logger;
    metricsToken?: string;
    /** What an address may do without a credential; every test comes from 127.0.0.1, so high by default. */
    publicLimits?: Partial<PublicLimits>;
    allowedOrigins?: string[];
    trustProxy?: string;
    /** #14: a history store (none by default: no archiving, no report routes). */
    history?: HistoryStore;
    archiveEveryMs?: number;
  } = {},
): Promise<Hub> {
  // The demo hall without its closing-time forecasts: run between a mark and closing, a test would
  // otherwise see forecast events it did not cause (R26 is tested with its own clock and hours).
  const demo = await loadInstallation(DEMO_CONFIG_PATH);
  const config: InstallationConfig = opts.config ?? {
    halls: demo.halls.map((h) => ({ ...h, rules: { ...h.rules, closingMarks: [] } })),
  };
  const clock = opts.clock ?? { now: () => Date.now() };
  const dataDir = await mkdtemp(join(tmpdir(), 'yc-hub-'));
  const tokens = new TokenService(Buffer.from('test-secret'));
  const scheduler = new MemoryScheduler(clock);
  const httpServer = createServer();
  const app = await createApp(httpServer, {
    config,
    log: new FileJournal(dataDir),
    auditLog: new FileAuditLog(dataDir),
    ...(opts.metricsToken ? { metricsToken: opts.metricsToken } : {}),
    publicLimits: opts.publicLimits ?? { issuePerAddress: 100_000, readsPerMinute: 100_000 },
    ...(opts.allowedOrigins ? { allowedOrigins: opts.allowedOrigins } : {}),
    ...(opts.trustProxy ? { trustProxy: opts.trustProxy } : {}),
    ...(opts.history ? { history: opts.history } : {}),
    ...(opts.archiveEveryMs ? { archiveEveryMs: opts.archiveEveryMs } : {}),
    scheduler,
    broadcaster: new MemoryBroadcaster(),
    clock,
    tokens,
    privacyKey: TEST_PRIVACY_KEY,
    logger: opts.logger ?? pino({ level: 'silent' }),
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const sockets = new Set<Socket>();
  return {
    url,
    app,
    scheduler,
    dataDir,
    tokenFor: (staffId, hallId = config.halls[0]!.id) =>
      tokens.sign({ sub: staffId, hall: hallId }, clock.now()).token,
    close: async () => {
      for (const s of sockets) s.disconnect();
      await app.close();
      httpServer.closeAllConnections();
      await new Promise((r) => httpServer.close(r));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Connects a real socket.io client and resolves with it and the snapshot it received first. */
export function connect<S = unknown>(
  url: string,
  ns: string,
  auth: Record<string, unknown>,
): Promise<{ socket: Socket; snapshot: S }> {
  return new Promise((resolve, reject) => {
    const socket = connectClient(url + ns, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.once('hall:snapshot', (snapshot: S) => resolve({ socket, snapshot }));
    socket.once('connect_error', (err: Error & { data?: unknown }) => {
      socket.close();
      reject(Object.assign(new Error(err.message), { data: err.data }));
    });
  });
}

/** Resolves with the next event `name` on the socket that satisfies `match`. */
export function nextEvent<T = Record<string, unknown>>(
  socket: Socket,
  name: string,
  match: (e: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(name, handler);
      reject(new Error(`no ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (e: T) => {
      if (!match(e)) return;
      clearTimeout(timer);
      socket.off(name, handler);
      resolve(e);
    };
    socket.on(name, handler);
  });
}

/** Emits a command with an ack and resolves with the Result. */
export function command<T = unknown>(socket: Socket, type: string, payload: unknown): Promise<T> {
  return socket.timeout(5000).emitWithAck(type, payload) as Promise<T>;
}

/** JSON over fetch, answering `{ status, body }`. */
export async function http(
  url: string,
  method: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A logger that keeps every line it writes, parsed, for tests that check what the hub logged. */
export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

/** The hall as its manager sees it now, over REST: what the checks of a test read. */
export async function hallNow(hub: Hub, hallId = 'demo'): Promise<StaffSnapshot> {
  const r = await http(
    `${hub.url}/api/v1/halls/${hallId}/snapshot`,
    'GET',
    undefined,
    hub.tokenFor('mgr01', hallId),
  );
  return r.body as StaffSnapshot;
}
