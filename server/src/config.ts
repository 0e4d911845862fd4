import type { PublicLimits } from './transport/limits.js';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogueProblem, describeIssues, InstallationConfig } from '@yichuang/protocol';

/** The demo hall shipped with the code: `npm start` with no configuration serves it. */
export const DEMO_CONFIG_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../config/demo-hall.json');

/** Settings read from the environment. */
export type Settings = {
  port: number;
  host: string;
  dataDir: string;
  configPath: string;
  demo: boolean;
  logLevel: string;
  tokenSecret: string | undefined;
  /** #12: the key of the ID numbers' keyed hash (unset: one kept in the data folder). */
  privacyKey: string | undefined;
  redisUrl: string | undefined;
  /** #14: the history store in PostgreSQL (unset: SQLite under `dataDir`), and its schema. */
  databaseUrl: string | undefined;
  databaseSchema: string;
  /** #14: how often the running day goes to the history store, in ms (`ARCHIVE_EVERY_S`, 60 s by default). */
  archiveEveryMs: number;
  /** Prefix of every Redis key, stream and queue of this installation. */
  redisPrefix: string;
  /** The bearer token `/metrics` asks for (unset: only requests from this machine). */
  metricsToken: string | undefined;
  /** #12: what hub-wide web and address policy says (see `Components`). */
  web: {
    trustProxy: string | number | boolean;
    allowedOrigins: string[];
    publicLimits: Partial<PublicLimits>;
  };
};

/** A configuration the hub refuses to start with, with the reason for the operator. */
export class ConfigError extends Error {}

/** Reads the settings; refuses the demo accounts when NODE_ENV=production. */
export function readSettings(env: NodeJS.ProcessEnv): Settings {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT=${env.PORT} is not a port number.`);
  const demo = !env.HALL_CONFIG;
  if (demo && env.NODE_ENV === 'production')
    throw new ConfigError(
      'NODE_ENV=production needs HALL_CONFIG: the demo hall has public passwords ("demo") and is refused in production.',
    );
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    // npm runs scripts inside the workspace; INIT_CWD is where the user typed `npm start`.
    dataDir: resolve(env.INIT_CWD ?? process.cwd(), env.DATA_DIR ?? './data'),
    configPath: env.HALL_CONFIG ? resolve(env.INIT_CWD ?? process.cwd(), env.HALL_CONFIG) : DEMO_CONFIG_PATH,
    demo,
    logLevel: env.LOG_LEVEL ?? 'info',
    tokenSecret: env.TOKEN_SECRET,
    privacyKey: env.PRIVACY_KEY,
    redisUrl: env.REDIS_URL || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || 'public',
    archiveEveryMs: seconds(env, 'ARCHIVE_EVERY_S', 60) * 1000,
    redisPrefix: env.REDIS_PREFIX ?? 'yc:',
    metricsToken: env.METRICS_TOKEN || undefined,
    web: {
      // A number is a count of proxy hops; anything else is express's list of trusted addresses.
      trustProxy: !env.TRUST_PROXY
        ? false
        : /^\d+$/.test(env.TRUST_PROXY)
          ? Number(env.TRUST_PROXY)
          : env.TRUST_PROXY,
      allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      publicLimits: {
        ...positive(env, 'PUBLIC_ISSUE_LIMIT', 'issuePerAddress'),
        ...positive(env, 'PUBLIC_READ_LIMIT', 'readsPerMinute'),
        ...positive(env, 'PUBLIC_SOCKETS_PER_ADDRESS', 'socketsPerAddress'),
      },
    },
  };
}

/** A positive number of seconds from the environment, or the default. */
function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new ConfigError(`${name}=${raw} is not a positive number of seconds.`);
  return n;
}

/** An optional positive whole number from the environment, as a limit. */
function positive(env: NodeJS.ProcessEnv, name: string, key: keyof PublicLimits): Partial<PublicLimits> {
  const raw = env[name];
  if (raw === undefined || raw === '') return {};
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name}=${raw} is not a positive whole number.`);
  return { [key]: n };
}

/** Loads and validates the halls file. */
export async function loadInstallation(path: string): Promise<InstallationConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`Cannot read the hall configuration ${path}: ${(e as Error).message}`);
  }
  const parsed = InstallationConfig.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(`Hall configuration ${path} is invalid: ${describeIssues(parsed.error)}`);
  for (const hall of parsed.data.halls) {
    const services = new Set(hall.services.map((s) => s.id));
    for (const c of hall.counters)
      for (const s of c.serviceIds)
        if (!services.has(s))
          throw new ConfigError(`Hall ${hall.id}: counter ${c.number} serves unknown service ${s}.`);
    const prefixes = hall.services.map((s) => s.prefix);
    if (new Set(prefixes).size !== prefixes.length)
      throw new ConfigError(`Hall ${hall.id}: two services share a ticket prefix.`);
    // #13: the catalogue entries hold together (the same check as an admin's change).
    const staff = new Set(hall.staff.map((s) => s.id));
    for (const s of hall.services) {
      const problem = s.catalogue && catalogueProblem(s.catalogue, staff);
      if (problem) throw new ConfigError(`Hall ${hall.id}: the catalogue of ${s.id}: ${problem}`);
    }
  }
  return parsed.data;
}

/** The token-signing secret: TOKEN_SECRET, or one kept in the data folder so sessions survive a restart. */
export const tokenSecret = (settings: Settings) => keptSecret(settings, 'token-secret', settings.tokenSecret);

/**
 * #12: the key of the ID numbers' keyed hash: PRIVACY_KEY, or one kept in the data folder, so that
 * the one-ticket rule holds across a restart. Every hub node needs the same one.
 */
export const privacyKey = (settings: Settings) => keptSecret(settings, 'privacy-key', settings.privacyKey);

/** A secret from the environment, or the one kept in the data folder (made on first start, mode 600). */
async function keptSecret(settings: Settings, name: string, given: string | undefined): Promise<Buffer> {
  if (given) return Buffer.from(given);
  const path = join(settings.dataDir, name);
  try {
    return Buffer.from(await readFile(path, 'utf8'), 'base64');
  } catch {
    await mkdir(settings.dataDir, { recursive: true });
    const secret = randomBytes(32);
    await writeFile(path, secret.toString('base64'), { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return Buffer.from(await readFile(path, 'utf8'), 'base64');
  }
}
