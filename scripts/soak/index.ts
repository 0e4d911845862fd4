// `npm run soak`: a fault soak of the scaled-out hub (issue #7). Two hub nodes on a Redis of
// the soak's own (another port, AOF on; never the machine's shared Redis) behind a balancer,
// a load driver playing a busy hall day at high speed, and a fault script that, on a seed,
// SIGKILLs and restarts a node, restarts Redis, pauses it with DEBUG SLEEP and drops client
// connections. At the end it checks the acknowledgements the driver received against the
// event log: no acknowledged ticket lost, no number issued twice, no ticket called to two
// counters, every screen on the final hall version.
//
//   npm run soak                       an hour of faults (the full mode, by hand)
//   npm run soak -- --short            a couple of minutes (what npm test runs)
//   npm run soak -- --minutes 10 --seed 7 --json out.json
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { VersionedEvent } from '@yichuang/protocol';
import { DEMO_CONFIG_PATH, loadInstallation, TokenService } from '@yichuang/server';
import { startBalancer, type Balancer } from '../lib/balancer.js';
import { freePort, OwnRedis } from '../lib/own-redis.js';
import { audit } from './audit.js';
import type { DriverReport, ToDriver } from './messages.js';

const { values: args } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    minutes: { type: 'string' },
    seed: { type: 'string' },
    screens: { type: 'string', default: '200' },
    json: { type: 'string' },
  },
});
const faultSeconds = args.minutes ? Number(args.minutes) * 60 : args.short ? 75 : 3600;
const seed = args.seed ? Number(args.seed) : randomBytes(4).readUInt32BE() >>> 1;
// Gaps between faults: short runs pack them tighter so each kind happens at least once.
const gapSeconds: [number, number] = args.short ? [2, 5] : [5, 20];

const MAIN = fileURLToPath(new URL('../../server/src/main.ts', import.meta.url));
const DRIVER = fileURLToPath(new URL('./driver.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PREFIX = 'yc-soak:';
const HALL = 'demo';

const rng = { gen: xoroshiro128plus(seed) };
const random = () => uniformFloat64(rng.gen);
const between = (a: number, b: number) => a + random() * (b - a);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${msg}`);

type Node = { index: number; port: number; dir: string; proc: ChildProcess | null; killing: boolean };
type Fault = { kind: string; at: number; end: number; detail: string };

const secret = randomBytes(24).toString('base64');
const faults: Fault[] = [];
const nodeProblems: string[] = [];
let unexpectedExits = 0;
let stopping = false;

function startNode(node: Node, redisUrl: string): Promise<void> {
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(node.port),
      HOST: '127.0.0.1',
      REDIS_URL: redisUrl,
      REDIS_PREFIX: PREFIX,
      TOKEN_SECRET: secret,
      PRIVACY_KEY: secret,
      DATA_DIR: node.dir,
      LOG_LEVEL: 'info',
      // The driver is a whole hall of phones and kiosks behind one address.
      PUBLIC_ISSUE_LIMIT: '100000000',
      PUBLIC_READ_LIMIT: '100000000',
      PUBLIC_SOCKETS_PER_ADDRESS: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  node.proc = proc;
  node.killing = false;
  proc.stderr.on('data', (d: Buffer) =>
    nodeProblems.push(`node ${node.index} stderr: ${d.toString().slice(0, 300)}`),
  );
  return new Promise((resolve, reject) => {
    createInterface({ input: proc.stdout }).on('line', (line) => {
      if (line.includes('listening on')) resolve();
      // Faults that escaped to the process, or a stop: the soak fails on any.
      if (/"kind":"(unhandledRejection|uncaughtException)"|"level":60/.test(line))
        nodeProblems.push(`node ${node.index}: ${line.slice(0, 4000)}`);
    });
    proc.once('exit', (code, signal) => {
      if (node.proc === proc) node.proc = null;
      if (!node.killing && !stopping) {
        unexpectedExits++;
        nodeProblems.push(`node ${node.index} exited on its own (code ${code}, signal ${signal})`);
        void startNode(node, redisUrl).catch(() => undefined);
      }
      reject(new Error(`node ${node.index} exited before listening`));
    });
  });
}

async function killNode(node: Node): Promise<void> {
  const p = node.proc;
  if (!p) return;
  node.killing = true;
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await gone;
}

async function ready(port: number, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > end) throw new Error(`node on ${port} not ready after ${ms} ms`);
    await sleep(200);
  }
}

/** A node's hall version. Retried: after a long pause (the audit) a pooled keep-alive socket may be stale. */
async function publicVersion(port: number): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/halls/${HALL}/public`, {
        signal: AbortSignal.timeout(5000),
      });
      return ((await r.json()) as { version: number }).version;
    } catch (err) {
      if (attempt >= 5) throw err;
      await sleep(500);
    }
  }
}

async function readLog(redisUrl: string): Promise<VersionedEvent[]> {
  const r = new Redis(redisUrl);
  const out: VersionedEvent[] = [];
  let from = '-';
  for (;;) {
    const page = (await r.xrange(`${PREFIX}hall:{${HALL}}:events`, from, '+', 'COUNT', 5000)) as Array<
      [string, string[]]
    >;
    out.push(...page.map(([, f]) => JSON.parse(f[1]!) as VersionedEvent));
    if (page.length < 5000) break;
    from = `(${page[page.length - 1]![0]}`;
  }
  r.disconnect();
  return out;
}

async function main() {
  const config = (await loadInstallation(DEMO_CONFIG_PATH)).halls.find((h) => h.id === HALL)!;
  const dir = await mkdtemp(join(tmpdir(), 'yc-soak-'));
  const redis = new OwnRedis(await freePort(), dir);
  const nodes: Node[] = [];
  let balancer: Balancer | null = null;
  let driver: ChildProcess | null = null;
  const cleanup = async () => {
    stopping = true;
    driver?.kill('SIGKILL');
    for (const n of nodes) n.proc?.kill('SIGKILL');
    await balancer?.close();
    await redis.kill();
    await rm(dir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

  try {
    log(
      `seed ${seed}; ${faultSeconds} s of faults; ${cpus().length} cores; Redis on ${redis.port} (AOF always)`,
    );
    await redis.start();
    for (let i = 0; i < 2; i++)
      nodes.push({
        index: i + 1,
        port: await freePort(),
        dir: join(dir, `node-${i + 1}`),
        proc: null,
        killing: false,
      });
    await Promise.all(nodes.map((n) => startNode(n, redis.url)));
    let next = 0;
    balancer = await startBalancer(
      await freePort(),
      nodes.map((n) => n.port),
      () => next++,
    );
    const url = `http://127.0.0.1:${balancer.port}`;
    log(`nodes on ${nodes.map((n) => n.port).join(', ')}, balancer ${url}`);

    // Plan the day's volume so no service runs out of its 999 numbers before the end.
    const capacity = config.services.length * 999 * 0.6;
    const issuePerSecond = Math.min(8, capacity / (faultSeconds + 60));
    // The soak runs for hours with sockets that reconnect after every fault: tokens that outlive it.
    const tokens = new TokenService(Buffer.from(secret), {
      accessMs: 48 * 3600_000,
      refreshMs: 48 * 3600_000,
    });
    const clerks = config.counters.map((c, i) => ({
      counterId: c.id,
      token: tokens.sign({ sub: `s${String(i + 1).padStart(2, '0')}`, hall: HALL }, Date.now()).token,
    }));
    driver = fork(DRIVER, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ask = <T>(m: ToDriver, reply: string) =>
      new Promise<T>((resolve) => {
        const on = (x: { kind: string }) => {
          if (x.kind !== reply) return;
          driver!.off('message', on);
          resolve(x as T);
        };
        driver!.on('message', on);
        driver!.send(m);
      });
    await ask(
      {
        kind: 'start',
        url,
        hallId: HALL,
        seed,
        screens: Number(args.screens),
        clerks,
        // The services a phone takes without an ID number (#12: exit-entry asks for one).
        serviceIds: config.services.filter((s) => s.identification === 'none').map((s) => s.id),
        issuePerSecond,
        thinkMs: [50, 400],
      },
      'started',
    );
    log(
      `driver: ${args.screens} screens, ${clerks.length} clerks, kiosks at ${issuePerSecond.toFixed(1)} tickets/s`,
    );

    // Warm up without faults, then the faults on the seed, one after another.
    await sleep(5000);
    const started = Date.now();
    const kinds = ['kill-node', 'restart-redis', 'pause-redis', 'drop-clients'] as const;
    let round = 0;
    while (Date.now() - started < faultSeconds * 1000) {
      await sleep(between(gapSeconds[0], gapSeconds[1]) * 1000);
      // The first four rounds take each kind once, so even a short run meets them all.
      const kind = round < kinds.length ? kinds[round]! : kinds[Math.floor(random() * kinds.length)]!;
      round++;
      const at = Date.now();
      let detail = '';
      if (kind === 'kill-node') {
        const node = nodes[Math.floor(random() * nodes.length)]!;
        await killNode(node);
        await sleep(between(1, 4) * 1000);
        await startNode(node, redis.url);
        detail = `node ${node.index}`;
      } else if (kind === 'restart-redis') {
        await redis.kill();
        await sleep(between(0.5, 3) * 1000);
        await redis.start();
        await Promise.all(nodes.map((n) => ready(n.port)));
      } else if (kind === 'pause-redis') {
        const seconds = Math.round(between(1, 4));
        const r = new Redis(redis.url);
        await r.call('DEBUG', 'SLEEP', String(seconds)).catch(() => undefined);
        r.disconnect();
        detail = `${seconds} s`;
      } else {
        const share = between(0.3, 1);
        detail = `${balancer.dropConnections(share, random)} connections`;
      }
      faults.push({ kind, at, end: Date.now(), detail });
      log(`fault ${faults.length}: ${kind} ${detail} (${Date.now() - at} ms)`);
    }

    // Settle: the hall goes quiet, every node is ready, one more ticket tells every screen the end.
    await ask({ kind: 'quiesce' }, 'quiet');
    await Promise.all(nodes.map((n) => ready(n.port)));
    await sleep(3000);
    await ask({ kind: 'issue-one', serviceId: config.services[0]!.id }, 'issued');
    let report = await ask<DriverReport>({ kind: 'report' }, 'report');
    let finalVersion = 0;
    const settleEnd = Date.now() + 30_000;
    for (;;) {
      const versions = await Promise.all(nodes.map((n) => publicVersion(n.port)));
      finalVersion = Math.max(...versions);
      report = await ask<DriverReport>({ kind: 'report' }, 'report');
      const behind = report.screenVersions.filter((v) => v !== finalVersion).length;
      if ((behind === 0 && versions.every((v) => v === finalVersion)) || Date.now() > settleEnd) break;
      await sleep(500);
    }

    const events = await readLog(redis.url);
    const found = audit(config, events, report);
    const nodeVersions = await Promise.all(nodes.map((n) => publicVersion(n.port)));
    const duringFault = (t: number) => faults.some((f) => t >= f.at && t <= f.end + 5000);
    const outcomes = Object.entries(report.outcomes);
    const total = outcomes.reduce((a, [, n]) => a + n, 0);
    const unavailable = outcomes
      .filter(([k]) => / (unavailable|unreachable)$/.test(k))
      .reduce((a, [, n]) => a + n, 0);
    const summary = {
      seed,
      faultSeconds,
      durationSeconds: Math.round((Date.now() - started) / 1000),
      faults: Object.fromEntries(kinds.map((k) => [k, faults.filter((f) => f.kind === k).length])),
      commands: total,
      acknowledged: outcomes.filter(([k]) => k.endsWith(' ok')).reduce((a, [, n]) => a + n, 0),
      ticketsAcknowledged: report.tickets.length,
      callsAcknowledged: report.calls.length,
      unavailable,
      unavailableDuringFaults: report.unavailableAt.filter(duringFault).length,
      unavailableOutsideFaults: report.unavailableAt.filter((t) => !duringFault(t)).length,
      events: found.events,
      issued: found.issued,
      lostTickets: found.lostTickets.length,
      lostCalls: found.lostCalls.length,
      duplicateNumbers: found.duplicateNumbers.length,
      doubleCalls: found.doubleCalls.length,
      gapless: found.gapless,
      finalVersion,
      nodeVersions,
      screens: report.screenVersions.length,
      screensOnFinalVersion: report.screenVersions.filter((v) => v === finalVersion).length,
      unexpectedExits,
      nodeProblems: nodeProblems.length,
      outcomes: report.outcomes,
    };
    const failures = [
      ...found.lostTickets.map((t) => `lost ticket ${t}`),
      ...found.lostCalls.map((c) => `lost call ${c}`),
      ...found.duplicateNumbers.map((n) => `number issued twice: ${n}`),
      ...found.doubleCalls.map((d) => `called to two counters: ${d}`),
      ...(found.gapless ? [] : ['the log has a gap in its versions']),
      ...(nodeVersions.every((v) => v === found.events)
        ? []
        : [`node versions ${nodeVersions.join(', ')} ≠ log ${found.events}`]),
      ...(summary.screensOnFinalVersion === summary.screens
        ? []
        : [`${summary.screens - summary.screensOnFinalVersion} screens not on version ${finalVersion}`]),
      ...(faults.length >= kinds.length ? [] : ['not every kind of fault was injected']),
      ...nodeProblems,
    ];
    console.log(JSON.stringify({ summary, failures: failures.slice(0, 50) }, null, 2));
    if (args.json) await writeFile(args.json, JSON.stringify({ summary, failures }, null, 2));
    log(failures.length === 0 ? 'PASSED' : `FAILED: ${failures.length} problems`);
    driver.send({ kind: 'stop' } satisfies ToDriver);
    await cleanup();
    process.exit(failures.length === 0 ? 0 : 1);
  } catch (err) {
    console.error(err);
    await cleanup();
    process.exit(2);
  }
}

void main();
