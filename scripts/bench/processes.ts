// The hub and the stock server as child processes, and REST issuing measured against both:
// shared by `npm run bench:hub` and `npm run bench:engine`.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const SECRET = 'bench-secret';
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const now = () => performance.timeOrigin + performance.now();
/** Every child started, to kill on the way out. */
export const procs: ChildProcess[] = [];

export type Proc = { child: ChildProcess; port: number };

function startProc(script: string, env: Record<string, string>, ready: RegExp): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      TOKEN_SECRET: SECRET,
      PRIVACY_KEY: SECRET,
      // The load generator is thousands of phones and kiosks behind one address.
      PUBLIC_ISSUE_LIMIT: '100000000',
      PUBLIC_READ_LIMIT: '100000000',
      PUBLIC_SOCKETS_PER_ADDRESS: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  procs.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = ready.exec(line);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}`)));
  });
}
/** The real hub (embedded unless `REDIS_URL` is in `env`) on a free port. */
export const hub = (env: Record<string, string>) =>
  startProc(here('../../server/src/main.ts'), { PORT: '0', ...env }, /localhost:(\d+)/);
/** Stock socket.io/HTTP doing the same work without an engine or a journal. */
export const stock = (env: Record<string, string>) =>
  startProc(here('./stock-server.ts'), { PORT: '0', ...env }, /stock listening on (\d+)/);

export async function post(url: string, body?: unknown, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The demo hall's services that issue without an ID number (exit-entry asks for one, #12). */
const SERVICES = [
  'social-insurance',
  'medical-insurance',
  'housing-fund',
  'real-estate',
  'household',
  'business-startup',
  'tax',
  'vehicles',
  'consultation',
];

/**
 * Issues `count` tickets over REST with 32 requests in flight, on the hub (`ours`, audited
 * afterwards: gapless per service, every acknowledged ticket present) or on the stock server.
 */
export async function measureIssuing(
  label: string,
  ours: boolean,
  node: Proc,
  count: number,
  token: string,
): Promise<Record<string, string | number>> {
  const base = `http://127.0.0.1:${node.port}`;
  const acked: Array<{ id: string; number: string }> = [];
  let next = 0;
  const serverCpu0 = cpuOf(node.child.pid);
  const loadCpu0 = process.cpuUsage();
  const t0 = now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < count) {
        const i = next++;
        const r = ours
          ? await post(`${base}/api/v1/halls/demo/tickets`, { serviceId: SERVICES[i % SERVICES.length] })
          : await post(`${base}/issue`);
        if (r.status === 201) acked.push({ id: String(r.body.id), number: String(r.body.number) });
      }
    }),
  );
  const seconds = (now() - t0) / 1000;
  const serverCpuMs = cpuOf(node.child.pid) - serverCpu0;
  const load = process.cpuUsage(loadCpu0);
  let audit = 'not audited (nothing durable to audit)';
  if (ours) {
    const snap = (await (
      await fetch(`${base}/api/v1/halls/demo/snapshot`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      tickets: Array<{ id: string; number: string; serviceId: string }>;
    };
    const byService = new Map<string, number[]>();
    for (const t of snap.tickets)
      byService.set(t.serviceId, [...(byService.get(t.serviceId) ?? []), Number(t.number.slice(1))]);
    const gapless = [...byService.values()].every((nums) =>
      nums.sort((a, b) => a - b).every((n, i) => n === i + 1),
    );
    const ids = new Set(snap.tickets.map((t) => t.id));
    const allAcked = acked.every((a) => ids.has(a.id));
    audit =
      gapless && allAcked
        ? `gapless per service, all ${acked.length} acknowledged present`
        : `FAILED (gapless ${gapless}, all acked ${allAcked})`;
  }
  return {
    scenario: label,
    issued: acked.length,
    'per second': Math.round(acked.length / seconds),
    'numbering audit': audit,
    // Where the time went: the server's own CPU per ticket, and how busy the load generator was
    // (on two cores, a server faster than the generator is measured at the generator's pace).
    'server CPU per ticket (µs)': Math.round((serverCpuMs * 1000) / Math.max(1, acked.length)),
    'load generator CPU': `${Math.round(((load.user + load.system) / 1000 / (seconds * 1000)) * 100)} %`,
  };
}

/** CPU milliseconds a child process has used (user + system, all its threads), from Linux's /proc. */
function cpuOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  // Fields 14 and 15 of /proc/PID/stat (after the command's name in parentheses) are clock ticks.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}
/** Linux's USER_HZ: clock ticks per second in /proc (100 on every architecture Node.js runs on). */
const TICKS_PER_SECOND = 100;

/**
 * Replaces one section of docs/benchmarks.md (between `<!-- name:start -->` and `<!-- name:end -->`),
 * or appends it: each benchmark writes its own part and leaves the others' results alone.
 */
export async function writeSection(name: string, text: string): Promise<void> {
  const { readFile, writeFile } = await import('node:fs/promises');
  const file = new URL('../../docs/benchmarks.md', import.meta.url);
  const doc = await readFile(file, 'utf8').catch(() => '# Benchmarks\n');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${text.trim()}\n${end}`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  const next =
    i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  await writeFile(file, next);
}
