import { readFile, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFile(new URL(path, root), 'utf8');

type Service = {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, unknown> | string[];
  profiles?: string[];
};

describe('docker-compose.yml (no Docker engine here: its structure is checked instead)', () => {
  it('runs Redis with AOF fsynced always, Mosquitto, two hub nodes on Redis, and nginx in front', async () => {
    const compose = parse(await read('docker-compose.yml'), { merge: true }) as {
      services: Record<string, Service>;
    };
    const s = compose.services;
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining(['redis', 'mosquitto', 'hub-1', 'hub-2', 'nginx', 'edge-gateway']),
    );
    expect(s.redis!.command).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--appendfsync', 'always']),
    );
    for (const hub of ['hub-1', 'hub-2']) {
      const env = s[hub]!.environment!;
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(env.TOKEN_SECRET).toMatch(/^\$\{TOKEN_SECRET/);
      expect(env.PRIVACY_KEY).toMatch(/^\$\{PRIVACY_KEY/);
      expect(env.HALL_CONFIG).toBeTruthy();
      expect(s[hub]!.build).toBe('.');
    }
    expect(s['hub-1']!.environment).toEqual(s['hub-2']!.environment);
    expect(s.nginx!.ports).toEqual(['3000:80']);
    // Mosquitto runs on the files `npm run mqtt:files` generates from the halls, before it starts.
    // Writable: the dynamic-security plugin saves the accounts the gateway switches off (R8).
    expect(s.mosquitto!.volumes).toContain('mosquitto-config:/mosquitto/config');
    expect(s.mosquitto!.depends_on).toMatchObject({
      'mqtt-files': { condition: 'service_completed_successfully' },
    });
    expect(s['mqtt-files']!.command!.join(' ')).toContain(
      'edge-gateway/src/mosquitto-cli.ts --out /mosquitto/config',
    );
    expect(s['mqtt-files']!.volumes).toContain('mosquitto-config:/mosquitto/config');
  });

  it('runs the edge gateway as a service against Mosquitto and the hubs behind nginx', async () => {
    const compose = parse(await read('docker-compose.yml'), { merge: true }) as {
      services: Record<string, Service>;
    };
    const gw = compose.services['edge-gateway']!;
    expect(gw.profiles).toBeUndefined();
    expect(gw.command).toEqual(['node', '--import', 'tsx', 'edge-gateway/src/main.ts']);
    expect(gw.environment).toMatchObject({ HUB_URL: 'http://nginx', MQTT_URL: 'mqtt://mosquitto:1883' });
    expect(gw.volumes).toContain('gateway-data:/data');
    await expect(read('edge-gateway/src/main.ts')).resolves.toContain('readGatewayEnv');
    const dockerfile = await read('Dockerfile');
    expect(dockerfile).toMatch(/^COPY edge-gateway edge-gateway$/m);
    expect(dockerfile).toContain('--workspace @yichuang/edge-gateway');
  });

  it('has an nginx that upgrades websockets and balances over both hubs', async () => {
    const conf = await read('deploy/nginx.conf');
    expect(conf).toMatch(/server hub-1:3000/);
    expect(conf).toMatch(/server hub-2:3000/);
    expect(conf).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(conf).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    expect(conf).toMatch(/proxy_http_version 1\.1;/);
    expect(conf).toMatch(/ip_hash;/);
  });

  it('builds the hub image from files that exist', async () => {
    const dockerfile = await read('Dockerfile');
    const sources = [...dockerfile.matchAll(/^COPY (\S+)/gm)].map((m) => m[1]!);
    expect(sources).toContain('server');
    for (const source of sources) await expect(stat(new URL(source, root)), source).resolves.toBeTruthy();
    expect(dockerfile).toMatch(/CMD \["node", "--import", "tsx", "server\/src\/main\.ts"\]/);
    await expect(read('server/src/main.ts')).resolves.toContain('redisComponents');
  });
});
