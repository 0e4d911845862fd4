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
      expect(env.HALL_CONFIG).toBeTruthy();
      expect(s[hub]!.build).toBe('.');
    }
    expect(s['hub-1']!.environment).toEqual(s['hub-2']!.environment);
    expect(s.nginx!.ports).toEqual(['3000:80']);
    expect(s.mosquitto!.volumes!.some((v) => v.startsWith('./deploy/mosquitto.conf:'))).toBe(true);
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
