import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HallConfig } from '@yichuang/protocol';
import { describeIssues, InstallationConfig, TOPIC_ROOT } from '@yichuang/protocol';
import { DEMO_PASSWORD } from './broker.js';

/** The demo hall shipped with the hub: what `npm start` runs when no HALL_CONFIG is set. */
export const DEMO_CONFIG_PATH = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../server/config/demo-hall.json',
);
/** The demo gateway's hub token (demo-hall.json stores only its hash). */
export const DEMO_GATEWAY_TOKEN = 'demo-gateway-token';

export type GatewayEnv = {
  hall: HallConfig;
  gatewayId: string;
  hubUrl: string;
  hubToken: string;
  /** An external broker, or null for the embedded one. */
  mqttUrl: string | null;
  mqttPort: number;
  mqttHost: string;
  mqttPassword: string;
  dataDir: string;
  publicUrl: string;
  root: string;
  production: boolean;
  demo: boolean;
};

export class GatewayConfigError extends Error {
  override name = 'GatewayConfigError';
}

/** Reads the gateway's settings from the environment (see edge-gateway/README.md). */
export async function readGatewayEnv(env: NodeJS.ProcessEnv): Promise<GatewayEnv> {
  const production = env.NODE_ENV === 'production';
  const demo = !env.HALL_CONFIG;
  if (demo && production)
    throw new GatewayConfigError(
      'NODE_ENV=production needs HALL_CONFIG: the demo hall’s passwords are public.',
    );
  const path = env.HALL_CONFIG ? resolve(env.INIT_CWD ?? process.cwd(), env.HALL_CONFIG) : DEMO_CONFIG_PATH;
  const parsed = InstallationConfig.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new GatewayConfigError(`${path}: ${describeIssues(parsed.error)}`);
  const hall = env.HALL_ID ? parsed.data.halls.find((h) => h.id === env.HALL_ID) : parsed.data.halls[0];
  if (!hall) throw new GatewayConfigError(`No hall ${env.HALL_ID} in ${path}.`);
  const gateway = env.GATEWAY_ID
    ? hall.devices.find((d) => d.id === env.GATEWAY_ID && d.kind === 'gateway')
    : hall.devices.find((d) => d.kind === 'gateway');
  if (!gateway)
    throw new GatewayConfigError(`Hall ${hall.id} has no gateway device ${env.GATEWAY_ID ?? ''}.`);
  const need = (name: string, demoValue: string) => {
    const v = env[name] ?? (demo ? demoValue : undefined);
    if (!v) throw new GatewayConfigError(`Set ${name}.`);
    return v;
  };
  const hubUrl = (env.HUB_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`).replace(/\/$/, '');
  return {
    hall,
    gatewayId: gateway.id,
    hubUrl,
    hubToken: need('GATEWAY_TOKEN', DEMO_GATEWAY_TOKEN),
    mqttUrl: env.MQTT_URL || null,
    mqttPort: Number(env.MQTT_PORT ?? 1883),
    mqttHost: env.MQTT_HOST ?? '0.0.0.0',
    mqttPassword: need('GATEWAY_MQTT_PASSWORD', DEMO_PASSWORD),
    dataDir: resolve(
      env.INIT_CWD ?? process.cwd(),
      env.GATEWAY_DATA_DIR ?? join(env.DATA_DIR ?? './data', 'gateway'),
    ),
    publicUrl: (env.PUBLIC_URL ?? hubUrl).replace(/\/$/, ''),
    root: env.MQTT_TOPIC_ROOT ?? TOPIC_ROOT,
    production,
    demo,
  };
}
