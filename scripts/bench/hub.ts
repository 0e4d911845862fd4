// `npm run bench:hub`: the hub against stock socket.io doing the same fan-out, on this machine.
// Writes docs/benchmarks.md. BENCH_CLIENTS (default 10000) screens, BENCH_CALLS (default 20) calls.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { TokenService } from '../../server/src/auth.js';
import { hub, measureIssuing, post, procs, SECRET, stock, writeSection, type Proc } from './processes.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 20);
const ISSUES = Number(process.env.BENCH_ISSUES ?? 5000);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Fleet = { child: ChildProcess; ask: <T>(m: { kind: string }, reply: string) => Promise<T> };

async function fleets(
  urls: string[],
  perFleet: number,
  auth: Record<string, unknown>,
  event: string,
): Promise<Fleet[]> {
  const out: Fleet[] = [];
  await Promise.all(
    urls.map(async (url) => {
      const child = fork(here('./fleet.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
      procs.push(child);
      const ask = <T>(m: { kind: string }, reply: string) =>
        new Promise<T>((resolve) => {
          const h = (r: { kind: string }) => {
            if (r.kind !== reply) return;
            child.off('message', h);
            resolve(r as T);
          };
          child.on('message', h);
          child.send(m);
        });
      await ask({ kind: 'start', url, count: perFleet, auth, event } as { kind: string }, 'ready');
      out.push({ child, ask });
    }),
  );
  return out;
}
const stopFleets = (fs: Fleet[]) => fs.forEach((f) => f.child.send({ kind: 'stop' }));

function pct(values: number[], p: number) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** Latency of every screen for every call: arrival minus the time the call was sent. */
async function latencies(
  fs: Fleet[],
  sent: Map<string, number>,
): Promise<{ values: number[]; missing: number }> {
  const values: number[] = [];
  let missing = 0;
  for (const f of fs) {
    const { arrivals } = await f.ask<{ arrivals: Record<string, number[]> }>({ kind: 'report' }, 'report');
    for (const [number, t0] of sent) {
      const got = arrivals[number] ?? [];
      values.push(...got.map((t) => t - t0));
      missing += CLIENTS / fs.length - got.length;
    }
  }
  return { values, missing };
}

async function memoryOfHub(port: number) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
  return { rss: read('yc_process_resident_memory_bytes'), heap: read('yc_nodejs_heap_size_used_bytes') };
}
async function memoryOfStock(port: number) {
  const m = (await (await fetch(`http://127.0.0.1:${port}/memory`)).json()) as {
    rss: number;
    heapUsed: number;
  };
  return { rss: m.rss, heap: m.heapUsed };
}

const token = new TokenService(Buffer.from(SECRET)).sign({ sub: 'mgr01', hall: 'demo' }, Date.now()).token;
const results: Record<string, string | number>[] = [];
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function fanOut(label: string, ours: boolean, nodes: Proc[]) {
  const event = 'ticket:called';
  const urls = nodes.map((n) => `http://127.0.0.1:${n.port}/display`);
  const base = `http://127.0.0.1:${nodes[0]!.port}`;
  if (ours) {
    // Tickets are issued before the screens connect, so each measured call is the only broadcast in flight.
    await post(`${base}/api/v1/halls/demo/counters/c05/open`, { staffId: 's05' }, token);
    for (let i = 0; i < CALLS; i++)
      await post(`${base}/api/v1/halls/demo/tickets`, { serviceId: 'housing-fund' });
  }
  const memBefore = ours ? await memoryOfHub(nodes[0]!.port) : await memoryOfStock(nodes[0]!.port);
  const t = now();
  const fs = await fleets(urls, CLIENTS / urls.length, { hallId: 'demo' }, event);
  const connectSeconds = (now() - t) / 1000;
  await sleep(2000);
  const memAfter = ours ? await memoryOfHub(nodes[0]!.port) : await memoryOfStock(nodes[0]!.port);
  const sent = new Map<string, number>();
  for (let i = 0; i < CALLS; i++) {
    if (ours) {
      const t0 = now();
      const called = await post(`${base}/api/v1/halls/demo/counters/c05/call-next`, undefined, token);
      sent.set(called.body.number as string, t0);
      await sleep(800);
      // Completing broadcasts too: let it pass before the next measured call.
      await post(`${base}/api/v1/halls/demo/counters/c05/complete`, { outcome: 'accepted' }, token);
    } else {
      const number = `S${String(i).padStart(3, '0')}`;
      const t0 = now();
      await post(`${base}/emit`, { number });
      sent.set(number, t0);
    }
    await sleep(800);
  }
  const { values, missing } = await latencies(fs, sent);
  const perNode = CLIENTS / nodes.length;
  results.push({
    scenario: label,
    screens: CLIENTS,
    'connect all': `${connectSeconds.toFixed(1)} s`,
    'p50 call→screen': fmt(pct(values, 50)),
    'p99 call→screen': fmt(pct(values, 99)),
    max: fmt(values.reduce((a, b) => Math.max(a, b), 0)),
    'missed deliveries': missing,
    'RSS / screen (node 1)': `${((memAfter.rss - memBefore.rss) / perNode / 1024).toFixed(1)} KB`,
    'heap / screen (node 1)': `${((memAfter.heap - memBefore.heap) / perNode / 1024).toFixed(1)} KB`,
  });
  console.log(results[results.length - 1]);
  return fs;
}

async function issuing(label: string, ours: boolean, node: Proc) {
  results.push(await measureIssuing(label, ours, node, ISSUES, token));
  console.log(results[results.length - 1]);
}

async function restart(label: string, ours: boolean, dataDir: string) {
  const port = await hubPortFree();
  const env: Record<string, string> = ours
    ? { PORT: String(port), DATA_DIR: dataDir }
    : { PORT: String(port) };
  let node = ours ? await hub(env) : await stock(env);
  const fs = await fleets(
    [`http://127.0.0.1:${port}/display`, `http://127.0.0.1:${port}/display`],
    CLIENTS / 2,
    { hallId: 'demo' },
    'ticket:called',
  );
  if (ours) await post(`http://127.0.0.1:${port}/api/v1/halls/demo/tickets`, { serviceId: 'tax' });
  await sleep(1000);
  const t0 = now();
  node.child.kill('SIGKILL');
  node = ours ? await hub(env) : await stock(env);
  const target = ours
    ? (
        (await (await fetch(`http://127.0.0.1:${port}/api/v1/halls/demo/public`)).json()) as {
          version: number;
        }
      ).version
    : 0;
  let back = 0;
  while (now() - t0 < 120_000) {
    back = 0;
    for (const f of fs) {
      const s = await f.ask<{ versions: number[]; reconnectedAt: number[] }>({ kind: 'states' }, 'states');
      back += s.reconnectedAt.filter((t, i) => t > t0 && s.versions[i] === target).length;
    }
    if (back >= CLIENTS) break;
    await sleep(250);
  }
  results.push({
    scenario: label,
    screens: CLIENTS,
    'all back with the right state':
      back >= CLIENTS ? `${((now() - t0) / 1000).toFixed(1)} s` : `only ${back} in 120 s`,
  });
  console.log(results[results.length - 1]);
  stopFleets(fs);
  node.child.kill('SIGKILL');
}

async function hubPortFree() {
  const { createServer } = await import('node:net');
  return new Promise<number>((r) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => r(p));
    });
  });
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'yc-bench-'));
  const prefix = `yc-bench:${process.pid}:`;
  try {
    // 1. One node.
    let node = await hub({ DATA_DIR: join(dir, 'one') });
    stopFleets(await fanOut('Yichuang hub, one node', true, [node]));
    node.child.kill('SIGKILL');
    node = await stock({});
    stopFleets(await fanOut('stock socket.io, one node', false, [node]));
    node.child.kill('SIGKILL');
    await sleep(1000);

    // 2. Two nodes on Redis.
    const ours = await Promise.all(
      [1, 2].map((i) => hub({ DATA_DIR: join(dir, `two-${i}`), REDIS_URL, REDIS_PREFIX: prefix })),
    );
    stopFleets(await fanOut('Yichuang hub, two nodes on Redis (call on node 1)', true, ours));
    ours.forEach((n) => n.child.kill('SIGKILL'));
    const theirs = await Promise.all([1, 2].map(() => stock({ REDIS_URL, REDIS_PREFIX: `${prefix}stock:` })));
    stopFleets(await fanOut('stock socket.io + Redis Streams adapter, two nodes', false, theirs));
    theirs.forEach((n) => n.child.kill('SIGKILL'));
    await sleep(1000);

    // 3. Issuing throughput, 32 requests in flight.
    node = await hub({ DATA_DIR: join(dir, 'issue') });
    await issuing('Yichuang hub: issue tickets (fsynced journal, 32 in flight)', true, node);
    node.child.kill('SIGKILL');
    node = await stock({});
    await issuing('stock HTTP+socket.io: hand out numbers in memory (no durability)', false, node);
    node.child.kill('SIGKILL');

    // 4. Restart of a node under all screens.
    await restart(
      'Yichuang hub: SIGKILL and restart, screens back with the current version',
      true,
      join(dir, 'restart'),
    );
    await restart('stock socket.io: SIGKILL and restart, screens reconnected', false, dir);
  } finally {
    for (const p of procs) p.kill('SIGKILL');
    const r = new Redis(REDIS_URL);
    const keys = await r.keys(`${prefix}*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
    await rm(dir, { recursive: true, force: true });
  }
  await writeReport();
}

async function writeReport() {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# Benchmarks',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, loopback.`,
    `Reproduce with \`npm run bench:hub\` (BENCH_CLIENTS=${CLIENTS}, BENCH_CALLS=${CALLS}, BENCH_ISSUES=${ISSUES}); Redis at ${REDIS_URL}.`,
    'The hub, the stock server and the client fleets (two processes) share the same two cores, so the',
    'numbers are of this whole machine under load, not of the hub alone. Single runs: read them as',
    'orders of magnitude. "call→screen" is from sending the REST call-next (the hub fsyncs the journal',
    "before it broadcasts) or the stock server's emit request, to each screen receiving the event.",
    '',
  ];
  const groups = new Map<string, Record<string, string | number>[]>();
  for (const r of results) {
    const key = Object.keys(r).join('|');
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const rows of groups.values()) {
    const cols = Object.keys(rows[0]!);
    lines.push(`| ${cols.join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`);
    for (const r of rows) lines.push(`| ${cols.map((c) => String(r[c])).join(' | ')} |`);
    lines.push('');
  }
  // The title stays the file's; this writes its own section only.
  await writeSection('hub', lines.filter((l) => l !== '# Benchmarks').join('\n'));
  console.log(lines.join('\n'));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    for (const p of procs) p.kill('SIGKILL');
    process.exit(1);
  },
);
