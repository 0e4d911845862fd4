import { join } from 'node:path';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from 'pino';
import type { InstallationConfig } from '@yichuang/protocol';
import type { Components } from './app.js';
import { TokenService } from './auth.js';
import { privacyKey, tokenSecret, type Settings } from './config.js';
import { FileJournal } from './adapters/file/file-journal.js';
import { MemoryBroadcaster } from './adapters/memory/memory-broadcaster.js';
import { MemoryScheduler } from './adapters/memory/memory-scheduler.js';
import { BullMqScheduler } from './adapters/redis/bullmq-scheduler.js';
import { RedisEventLog } from './adapters/redis/redis-event-log.js';
import { RedisHallStore } from './adapters/redis/redis-hall-store.js';
import { RedisAuditLog } from './adapters/redis/redis-audit-log.js';
import { FileAuditLog } from './adapters/file/file-audit-log.js';
import { FileHallStore } from './adapters/file/file-hall-store.js';
import { openRedis } from './adapters/redis/connections.js';
import { systemClock } from './ports/index.js';
import type { HistoryStore } from './ports/history-store.js';
import { SqliteHistoryStore } from './adapters/sql/sqlite-history-store.js';
import { PostgresHistoryStore } from './adapters/sql/postgres-history-store.js';

/**
 * #14: the history store: PostgreSQL at `DATABASE_URL`, or SQLite in the data folder; its schema
 * migrations are applied here, before the hub serves.
 */
async function historyStore(settings: Settings, logger: Logger): Promise<HistoryStore> {
  const store = settings.databaseUrl
    ? new PostgresHistoryStore(settings.databaseUrl, settings.databaseSchema)
    : new SqliteHistoryStore(join(settings.dataDir, 'history.sqlite'));
  await store.migrate();
  logger.info({ history: settings.databaseUrl ? 'postgres' : 'sqlite' }, 'history store ready');
  return store;
}

/** One machine, nothing else installed: the journal on disk, timers in process, fan-out in process. */
export async function embeddedComponents(
  settings: Settings,
  config: InstallationConfig,
  logger: Logger,
): Promise<Components> {
  const journal = new FileJournal(join(settings.dataDir, 'journal'), (p) =>
    logger.error({ problem: p }, 'journal tail damaged: moved aside'),
  );
  return {
    config,
    log: journal,
    // #14: snapshots at each archived day's end (and every 1000 events), so a start replays today only.
    store: new FileHallStore(join(settings.dataDir, 'snapshots')),
    auditLog: new FileAuditLog(settings.dataDir),
    scheduler: new MemoryScheduler(systemClock),
    broadcaster: new MemoryBroadcaster(),
    clock: systemClock,
    tokens: new TokenService(await tokenSecret(settings)),
    privacyKey: await privacyKey(settings),
    ...(settings.metricsToken ? { metricsToken: settings.metricsToken } : {}),
    ...settings.web,
    logger,
    history: await historyStore(settings, logger),
    archiveEveryMs: settings.archiveEveryMs,
    health: () => ({ mode: 'embedded', journalProblems: journal.problems }),
  };
}

/**
 * Many stateless hub nodes on one Redis: the event log and snapshots in Redis, timers in
 * BullMQ, socket.io fan-out and connection-state recovery through the Redis Streams adapter.
 */
export async function redisComponents(
  settings: Settings,
  config: InstallationConfig,
  logger: Logger,
): Promise<Components> {
  const url = settings.redisUrl!;
  const prefix = settings.redisPrefix;
  // Every connection is ready before its first command (connections.ts explains the race).
  // The log's connection fails fast while Redis is away, so a kiosk hears "unavailable" at once
  // instead of waiting; BullMQ and the adapter keep their own connections, which wait and retry.
  const [redis, adapterClient, schedulerClient] = await Promise.all([
    openRedis(url, 'log', logger, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
    openRedis(url, 'adapter', logger, { maxRetriesPerRequest: null }),
    openRedis(url, 'scheduler', logger, { maxRetriesPerRequest: null }),
  ]);
  const fsync = await redis.config('GET', 'appendfsync').catch(() => []);
  const aof = await redis.config('GET', 'appendonly').catch(() => []);
  const durability = {
    appendonly: (aof as string[])[1] ?? 'unknown',
    appendfsync: (fsync as string[])[1] ?? 'unknown',
  };
  if (durability.appendonly !== 'yes' || durability.appendfsync !== 'always')
    logger.warn(
      durability,
      'Redis is not running with appendonly yes / appendfsync always: acknowledged tickets can be lost on a crash (docs/operations.md)',
    );
  const scheduler = new BullMqScheduler(schedulerClient, prefix, systemClock, 'timers', (err) =>
    logger.warn({ component: 'bullmq:timers', err: err.message }, 'BullMQ error: reconnecting'),
  );
  const log = new RedisEventLog(redis, prefix, logger);
  if (!settings.databaseUrl)
    logger.warn(
      'REDIS_URL without DATABASE_URL: each node keeps its own history in SQLite (set DATABASE_URL)',
    );
  const history = await historyStore(settings, logger);
  return {
    history,
    archiveEveryMs: settings.archiveEveryMs,
    config,
    log,
    auditLog: new RedisAuditLog(redis, prefix),
    store: new RedisHallStore(redis, prefix),
    scheduler,
    broadcaster: new MemoryBroadcaster(),
    clock: systemClock,
    tokens: new TokenService(await tokenSecret(settings)),
    privacyKey: await privacyKey(settings),
    ...(settings.metricsToken ? { metricsToken: settings.metricsToken } : {}),
    ...settings.web,
    logger,
    limitStore: { client: redis, prefix },
    adapter: createAdapter(adapterClient, {
      streamName: `${prefix}socket.io`,
      sessionKeyPrefix: `${prefix}sio:session:`,
    }),
    health: () => ({ mode: 'redis', redis: redis.status, durability }),
    servicesReady: async () => ({ redis: (await redis.ping()) === 'PONG' ? 'up' : 'down' }),
    queueDepth: () => scheduler.depth(),
    release: async () => {
      await Promise.allSettled([redis.quit(), adapterClient.quit(), schedulerClient.quit()]);
    },
  };
}
