import { pino } from 'pino';
import { startBroker, type EmbeddedBroker } from './broker.js';
import { EdgeGateway } from './gateway.js';
import { GatewayConfigError, readGatewayEnv } from './settings.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { service: 'edge-gateway' } });

async function main() {
  const env = await readGatewayEnv(process.env);
  let broker: EmbeddedBroker | null = null;
  let mqttUrl = env.mqttUrl;
  if (!mqttUrl) {
    broker = await startBroker({
      hall: env.hall,
      port: env.mqttPort,
      host: env.mqttHost,
      fallback: !process.env.MQTT_PORT,
      production: env.production,
      root: env.root,
      logger,
    });
    if (broker.port !== env.mqttPort)
      logger.warn(
        `MQTT port ${env.mqttPort} is taken: the embedded broker listens on ${broker.port} instead`,
      );
    mqttUrl = `mqtt://127.0.0.1:${broker.port}`;
    logger.info({ port: broker.port }, `embedded MQTT broker on mqtt://localhost:${broker.port}`);
  }
  const gateway = new EdgeGateway({
    hall: env.hall,
    gatewayId: env.gatewayId,
    hubUrl: env.hubUrl,
    hubToken: env.hubToken,
    mqttUrl,
    mqttPassword: env.mqttPassword,
    dataDir: env.dataDir,
    publicUrl: env.publicUrl,
    root: env.root,
    // R8: the embedded broker is told the switched-off devices; Mosquitto's plugin is commanded over MQTT.
    ...(broker ? { onBlocked: (ids: ReadonlySet<string>) => broker.block(ids) } : { dynsec: true }),
    logger,
  });
  gateway.start();
  logger.info({ hall: env.hall.id, hub: env.hubUrl, mqtt: mqttUrl }, 'edge gateway running');
  if (env.demo) logger.warn('demo devices: username = device id, password "demo"');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'edge gateway stopping');
    setTimeout(() => process.exit(1), 10_000).unref();
    await gateway.stop();
    await broker?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof GatewayConfigError) logger.fatal(err.message);
  else logger.fatal({ err }, 'edge gateway failed to start');
  process.exit(1);
});
