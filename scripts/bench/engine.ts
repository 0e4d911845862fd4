// `npm run bench:engine`: how fast the pure engine decides and applies, by how many tickets the day
// already holds (a busy moment: issue, call-next, start, complete, 40 people waiting, on a day of N
// tickets), and REST issuing on the real hub (fsynced journal, audited gapless) against the stock
// in-memory server in the same run. Writes its section of docs/benchmarks.md (`--no-write`: don't);
// `--short` for CI: small sizes, fewer tickets.
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { TokenService } from '../../server/src/auth.js';
import { hub, measureIssuing, procs, SECRET, stock, writeSection } from './processes.js';
import { parseArgs } from 'node:util';
import type { Actor, Command, HallConfig } from '@yichuang/protocol';
import {
  DEMO_CONFIG_PATH,
  initialState,
  loadInstallation,
  transition,
  type HallState,
} from '@yichuang/server';

const { values } = parseArgs({
  options: {
    json: { type: 'string' },
    sizes: { type: 'string' },
    short: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
const SIZES = (values.sizes ?? (values.short ? '100,1000' : '100,1000,10000')).split(',').map(Number);
const ISSUES = values.short ? 1000 : 5000;
const SECONDS = values.short ? 0.5 : 2;
const T0 = Date.UTC(2026, 10, 27, 1, 0);
const hall: HallConfig = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
const manager: Actor = { kind: 'staff', staffId: 'mgr01', roles: ['manager', 'staff'] };

/** #12: a ticket of a service that requires identification carries an ID hash (one per applicant). */
const needsId = new Set(hall.services.filter((x) => x.identification === 'required').map((x) => x.id));
const issue = (serviceId: string, applicant: number): Command => ({
  type: 'ticket:issue',
  serviceId,
  priority: 'normal',
  channel: 'kiosk',
  ...(needsId.has(serviceId) ? { applicant: { idHash: applicant.toString(16).padStart(64, '0') } } : {}),
});

let seq = 0;
function step(s: HallState, command: Command, now: number): HallState {
  const r = transition(s, { command, actor: manager, id: `b${seq++}` }, now);
  if (!r.ok) throw new Error(`${command.type}: ${r.error.message}`);
  return r.state;
}

/** A day with `n` tickets: all counters open, n − 40 of them served, 40 waiting. */
function dayOf(n: number): { state: HallState; now: number } {
  let s = initialState(hall);
  let now = T0;
  for (const c of hall.counters)
    s = step(s, { type: 'counter:open', counterId: c.id, staffId: hall.staff[c.number]!.id }, now);
  // Numbers are per service (999 a day): spread the day over every service the hall has.
  const all = hall.services
    .map((x) => x.id)
    .filter((id) => hall.counters.some((k) => k.serviceIds.includes(id)));
  for (let i = 0; i < n - 40; i++) {
    now += 10;
    const serviceId = all[i % all.length]!;
    s = step(s, issue(serviceId, i), now);
    const at = hall.counters.find((k) => k.serviceIds.includes(serviceId))!;
    s = step(s, { type: 'counter:call-next', counterId: at.id }, now);
    s = step(s, { type: 'counter:complete', counterId: at.id, outcome: 'accepted' }, now);
  }
  for (let i = 0; i < 40; i++) s = step(s, issue(all[i % all.length]!, n + i), (now += 10));
  return { state: s, now };
}

const rows: Array<{ tickets: number; transitionsPerSecond: number }> = [];
const pairs = hall.services
  .map((x) => ({ serviceId: x.id, counterId: hall.counters.find((k) => k.serviceIds.includes(x.id))?.id }))
  .filter((p): p is { serviceId: string; counterId: string } => p.counterId !== undefined);
/** 400 applicants through the counters: issue, call, start, complete, over every service. */
const cycle: Command[] = Array.from({ length: 400 }, (_, i) => pairs[i % pairs.length]!).flatMap(
  ({ serviceId, counterId }, i): Command[] => [
    issue(serviceId, 1_000_000 + i),
    { type: 'counter:call-next', counterId },
    { type: 'counter:start', counterId },
    { type: 'counter:complete', counterId, outcome: 'accepted' },
  ],
);
for (const n of SIZES) {
  const { state, now: start } = dayOf(n);
  // The engine is pure: the same 1,600 steps run again and again from the same day.
  const run = () => {
    let s = state;
    let now = start;
    for (const c of cycle) s = step(s, c, (now += 10));
  };
  run();
  let count = 0;
  const began = performance.now();
  while (performance.now() - began < SECONDS * 1000) {
    run();
    count += cycle.length;
  }
  const perSecond = Math.round(count / ((performance.now() - began) / 1000));
  rows.push({ tickets: n, transitionsPerSecond: perSecond });
  console.log(`${String(n).padStart(6)} tickets in the day: ${perSecond.toLocaleString('en')} transitions/s`);
}
// REST issuing: the real hub (embedded: journal fsynced before each answer) and the stock server.
const dir = await mkdtemp(join(tmpdir(), 'yc-bench-engine-'));
const token = new TokenService(Buffer.from(SECRET)).sign({ sub: 'mgr01', hall: 'demo' }, Date.now()).token;
const issuing: Array<Record<string, string | number>> = [];
try {
  let node = await hub({ DATA_DIR: dir });
  issuing.push(
    await measureIssuing(
      'Yichuang hub: issue over REST (fsynced journal, 32 in flight)',
      true,
      node,
      ISSUES,
      token,
    ),
  );
  node.child.kill('SIGKILL');
  node = await stock({});
  issuing.push(
    await measureIssuing(
      'stock HTTP server: hand out numbers in memory (no durability)',
      false,
      node,
      ISSUES,
      token,
    ),
  );
  node.child.kill('SIGKILL');
} finally {
  for (const p of procs) p.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
}
for (const r of issuing) console.log(r);
const ratio = Number(issuing[1]!['per second']) / Number(issuing[0]!['per second']);
console.log(`stock / hub issuing: ${ratio.toFixed(2)}×`);
const cpuRatio =
  Number(issuing[0]!['server CPU per ticket (µs)']) /
  Math.max(1, Number(issuing[1]!['server CPU per ticket (µs)']));

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const date = new Date().toISOString().slice(0, 10);
if (!values['no-write'] && !values.short)
  await writeSection(
    'engine',
    [
      '## Engine speed',
      '',
      `Run on ${date}: ${machine}. Reproduce with \`npm run bench:engine\`.`,
      'Transitions: the pure engine deciding and applying issue → call-next → start → complete for 400',
      'applicants over every service, repeated from a day that already holds N tickets (40 waiting).',
      'Issuing: 5,000 tickets over REST with 32 requests in flight, on the embedded hub (each answer',
      'after the journal is fsynced; audited gapless afterwards) and on a stock in-memory HTTP server.',
      '',
      '| tickets in the day | transitions / s |',
      '| --- | --- |',
      ...rows.map(
        (r) => `| ${r.tickets.toLocaleString('en')} | ${r.transitionsPerSecond.toLocaleString('en')} |`,
      ),
      '',
      '| scenario | issued | per second | numbering audit | server CPU per ticket (µs) | load generator CPU |',
      '| --- | --- | --- | --- | --- | --- |',
      ...issuing.map(
        (r) =>
          `| ${r.scenario} | ${r.issued} | ${r['per second']} | ${r['numbering audit']} | ${r['server CPU per ticket (µs)']} | ${r['load generator CPU']} |`,
      ),
      '',
      `Stock / hub issuing: ${ratio.toFixed(2)}×. Server CPU per ticket, hub / stock: ${cpuRatio.toFixed(1)}×.`,
    ].join('\n'),
  );
if (values.json)
  writeFileSync(values.json, JSON.stringify({ machine, date, rows, issuing, ratio, cpuRatio }, null, 2));
process.exit(0);
