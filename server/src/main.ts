import { createServer } from 'node:http';
import { join } from 'node:path';
import { pino } from 'pino';
import { TokenService } from './auth.js';
import { ConfigError, loadInstallation, readSettings, tokenSecret } from './config.js';
import { createApp } from './app.js';
import { FileJournal } from './adapters/file/file-journal.js';
import { MemoryBroadcaster } from './adapters/memory/memory-broadcaster.js';
import { MemoryScheduler } from './adapters/memory/memory-scheduler.js';
import { systemClock } from './ports/index.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });

async function main() {
  const settings = readSettings(process.env);
  if (settings.redisUrl)
    throw new ConfigError(
      'REDIS_URL is set, but the Redis adapters are not built yet (issue #3). Unset it to run embedded.',
    );
  const config = await loadInstallation(settings.configPath);
  const journal = new FileJournal(join(settings.dataDir, 'journal'), (p) =>
    logger.error({ problem: p }, 'journal tail damaged: moved aside'),
  );
  const httpServer = createServer();
  const app = await createApp(httpServer, {
    config,
    log: journal,
    scheduler: new MemoryScheduler(systemClock),
    broadcaster: new MemoryBroadcaster(),
    clock: systemClock,
    tokens: new TokenService(await tokenSecret(settings)),
    logger,
    health: () => ({ mode: 'embedded', journalProblems: journal.problems }),
  });
  await new Promise<void>((resolve) => httpServer.listen(settings.port, settings.host, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  logger.info(
    { port, dataDir: settings.dataDir, halls: app.halls.hallIds(), demo: settings.demo },
    `Yichuang hub listening on http://localhost:${port}`,
  );
  if (settings.demo) logger.warn('demo hall: accounts manager and staff01…staff15, password "demo"');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    void app.close().then(() => process.exit(0));
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || (err as Error).name === 'JournalCorruptError')
    logger.fatal((err as Error).message);
  else logger.fatal({ err }, 'hub failed to start');
  process.exit(1);
});
