import { createServer } from 'node:http';
import { pino } from 'pino';
import { ConfigError, loadInstallation, readSettings } from './config.js';
import { createApp } from './app.js';
import { embeddedComponents, redisComponents } from './compose.js';
import { guardProcess } from './process-guard.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });

/** The one fault that stops the hub: a hall whose record cannot be trusted. */
function stopOnUnknownState(err: Error): never {
  logger.fatal(
    { err },
    `Stopping: ${err.message} The hall's record must be checked before the hub serves it again (docs/operations.md).`,
  );
  process.exit(70);
}
guardProcess(logger, stopOnUnknownState);

async function main() {
  const settings = readSettings(process.env);
  const config = await loadInstallation(settings.configPath);
  const components = settings.redisUrl
    ? await redisComponents(settings, config, logger)
    : await embeddedComponents(settings, config, logger);
  components.onFatal = stopOnUnknownState;
  const httpServer = createServer();
  const app = await createApp(httpServer, components);
  await new Promise<void>((resolve) => httpServer.listen(settings.port, settings.host, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  logger.info(
    { port, halls: app.halls.hallIds(), demo: settings.demo, mode: settings.redisUrl ? 'redis' : 'embedded' },
    `Yichuang hub listening on http://localhost:${port}`,
  );
  if (settings.demo) logger.warn('demo hall: accounts manager and staff01…staff15, password "demo"');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining sockets');
    setTimeout(() => process.exit(1), 15_000).unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
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
