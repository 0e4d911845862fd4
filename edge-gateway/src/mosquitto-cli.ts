import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InstallationConfig, describeIssues } from '@yichuang/protocol';
import { DEMO_PASSWORD } from './broker.js';
import { mosquittoFiles } from './mosquitto.js';
import { DEMO_CONFIG_PATH } from './settings.js';

/**
 * `npm run mqtt:files -- --out DIR [--config halls.json] [--passwords passwords.json] [--root R]`:
 * writes Mosquitto's `dynamic-security.json` (the accounts and what each may do, for the
 * dynamic-security plugin) and `mosquitto.conf` for the halls. Passwords come from a JSON
 * file `{ "deviceId": "password" }` (or `{ "hallId": { "deviceId": … } }`); the demo hall uses "demo".
 */
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'deploy/mosquitto' },
    config: { type: 'string' },
    passwords: { type: 'string' },
    root: { type: 'string' },
    plugin: { type: 'string' },
  },
});
const cwd = process.env.INIT_CWD ?? process.cwd();
const configPath = values.config ? resolve(cwd, values.config) : DEMO_CONFIG_PATH;
const parsed = InstallationConfig.safeParse(JSON.parse(await readFile(configPath, 'utf8')));
if (!parsed.success) {
  console.error(`${configPath}: ${describeIssues(parsed.error)}`);
  process.exit(1);
}
const demo = !values.config;
if (!demo && !values.passwords) {
  console.error('--passwords FILE is needed for a real hall (the configuration keeps only hashes).');
  process.exit(1);
}
const secrets = values.passwords
  ? (JSON.parse(await readFile(resolve(cwd, values.passwords), 'utf8')) as Record<string, unknown>)
  : {};
const passwordOf = (hallId: string, deviceId: string): string | undefined => {
  if (demo) return DEMO_PASSWORD;
  const scoped = secrets[hallId];
  if (scoped && typeof scoped === 'object') return (scoped as Record<string, string>)[deviceId];
  const flat = secrets[deviceId];
  return typeof flat === 'string' ? flat : undefined;
};
const files = mosquittoFiles(parsed.data.halls, passwordOf, values.root, values.plugin);
const out = resolve(cwd, values.out);
await mkdir(out, { recursive: true });
// Mosquitto writes it back (a device switched off stays off across its restarts), so it must own it.
await writeFile(join(out, 'dynamic-security.json'), files.dynsec, { mode: 0o600 });
await chmod(join(out, 'dynamic-security.json'), 0o600);
await writeFile(join(out, 'mosquitto.conf'), files.conf);
console.log(`Mosquitto files for ${parsed.data.halls.map((h) => h.id).join(', ')} written to ${out}`);
