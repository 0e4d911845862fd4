// `npm run cluster`: the docker-compose topology without Docker. Two hub nodes on local ports
// against the local Redis and PostgreSQL (the history, #14), and a TCP balancer in front that, like nginx's ip_hash, keeps a
// client address on one node. The edge gateway runs against the local Mosquitto (MQTT_URL) and
// reaches the hub through the balancer, as docker-compose runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ipHash, startBalancer } from './lib/balancer.js';

const base = Number(process.env.CLUSTER_PORT ?? 3000);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = process.env.REDIS_PREFIX ?? 'yc-cluster:';
const secret = process.env.TOKEN_SECRET ?? randomBytes(24).toString('base64');
// #12: every node hashes ID numbers with the same key, or the one-ticket rule would differ by node.
const privacyKey = process.env.PRIVACY_KEY ?? randomBytes(24).toString('base64');
// #14: the nodes share one history in PostgreSQL (the machine's, as docker-compose runs its own).
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseSchema = process.env.DATABASE_SCHEMA ?? 'yichuang_cluster';
const main = fileURLToPath(new URL('../server/src/main.ts', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));

const children: ChildProcess[] = [];

function startNode(i: number, port: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      TOKEN_SECRET: secret,
      PRIVACY_KEY: privacyKey,
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: databaseSchema,
      DATA_DIR: `data/cluster-node-${i}`,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      process.stdout.write(`[node ${i}] ${line}\n`);
      if (line.includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`node ${i} exited with ${code}`)));
  });
}

const mqttUrl = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const gatewayMain = fileURLToPath(new URL('../edge-gateway/src/main.ts', import.meta.url));

function startGateway(hubUrl: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', gatewayMain], {
    cwd: root,
    env: { ...process.env, HUB_URL: hubUrl, MQTT_URL: mqttUrl, GATEWAY_DATA_DIR: 'data/cluster-gateway' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      process.stdout.write(`[gateway] ${line}\n`);
      if (line.includes('edge gateway running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the gateway exited with ${code}`)));
  });
}

async function run() {
  const ports = process.env.CLUSTER_NODE_PORTS
    ? process.env.CLUSTER_NODE_PORTS.split(',').map(Number)
    : [base + 1, base + 2];
  await Promise.all(ports.map((p, i) => startNode(i + 1, p)));
  const balancer = await startBalancer(base, ports, ipHash);
  await startGateway(`http://127.0.0.1:${base}`);
  console.log(
    `cluster ready: balancer http://127.0.0.1:${base}, nodes ${ports.map((p) => `http://127.0.0.1:${p}`).join(' ')}, Redis ${redisUrl} (prefix ${prefix}), gateway on ${mqttUrl}`,
  );
  const stop = () => {
    void balancer.close();
    for (const c of children) c.kill('SIGTERM');
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

run().catch((err: unknown) => {
  console.error(err);
  for (const c of children) c.kill('SIGKILL');
  process.exit(1);
});
