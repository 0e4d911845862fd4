// `npm run bench:chain`: how close ANY routing rule brings a two-skill chain to the pooled bound.
//
// Not the engine: an independent, minimal queueing model (a continuous M/M chain in steady state,
// no hall days, no priorities) that asks what the routing policy could win at all. Counters come in
// teams; team k serves service k and backs up service k + 1 (the last team backs up the first). A
// counter that frees picks one of its two queues by the rule; an arrival finding an idle counter that
// may serve it is served at once. Rules:
// - oldest: the older head ticket (FIFO, what the engine's policies do when targets are equal);
// - longest: the longer queue (ties: the older head);
// - look-ahead: the queue whose side of the chain is fuller (queue lengths along the chain,
//   halving with each step, three steps), the kind of rule that needs the whole hall's state.
// Writes its section of docs/benchmarks.md (`--no-write`: don't); `--short` for CI.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { erlangCWait } from '@yichuang/server';
import { writeSection } from './processes.js';

const { values } = parseArgs({
  options: {
    json: { type: 'string' },
    short: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
const MEAN = 10;
const RHO = 0.85;
const APPLICANTS = values.short ? 50_000 : 2_000_000;

/** A waiting applicant: when they queued, and their place among all arrivals (the warm-up is the first tenth). */
type Waiting = { at: number; index: number };
type Rule = (mine: number, backup: number, queues: Waiting[][], services: number) => number;

const older: Rule = (a, b, q) => (q[a]![0]!.at <= q[b]![0]!.at ? a : b);
const RULES: Record<string, Rule> = {
  oldest: older,
  longest: (a, b, q, n) =>
    q[a]!.length === q[b]!.length ? older(a, b, q, n) : q[a]!.length > q[b]!.length ? a : b,
  'look-ahead': (a, b, q, n) => {
    let up = 0;
    let down = 0;
    for (let j = 0, w = 1; j < 3; j++, w /= 2) {
      up += w * q[(((a - j) % n) + n) % n]!.length;
      down += w * q[(b + j) % n]!.length;
    }
    return up === down ? older(a, b, q, n) : up > down ? a : b;
  },
};

/** A small, fast, seeded generator (mulberry32). */
function generator(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mean wait (minutes) of a chain of `counters` in teams of `team` under `rule`, in steady state. */
function meanWait(counters: number, team: number, rule: Rule, seed: number): number {
  const services = counters / team;
  const random = generator(seed);
  const exponential = (mean: number) => -Math.log(1 - random()) * mean;
  const lambda = (RHO * counters) / MEAN;
  const skills = Array.from({ length: counters }, (_, i) => {
    const k = Math.floor(i / team);
    return [k, (k + 1) % services] as const;
  });
  const queues: Waiting[][] = Array.from({ length: services }, () => []);
  const busy = new Array<boolean>(counters).fill(false);
  // Pending completions, kept sorted by time (few: at most one per counter).
  const done: Array<{ at: number; counter: number }> = [];
  const complete = (at: number, counter: number) => {
    let i = done.length;
    while (i > 0 && done[i - 1]!.at > at) i--;
    done.splice(i, 0, { at, counter });
  };
  const warmup = APPLICANTS / 10;
  let arrived = 0;
  let counted = 0;
  let total = 0;
  const serve = (counter: number, now: number, queuedAt: number, index: number) => {
    if (index >= warmup) {
      total += now - queuedAt;
      counted++;
    }
    busy[counter] = true;
    complete(now + exponential(MEAN), counter);
  };
  let nextArrival = exponential(1 / lambda);
  while (counted < APPLICANTS - warmup) {
    if (done.length > 0 && done[0]!.at <= nextArrival) {
      const { at: now, counter } = done.shift()!;
      busy[counter] = false;
      const [a, b] = skills[counter]!;
      const qa = queues[a]!;
      const qb = queues[b]!;
      if (qa.length === 0 && qb.length === 0) continue;
      const pick = qa.length === 0 ? b : qb.length === 0 ? a : rule(a, b, queues, services);
      const t = queues[pick]!.shift()!;
      serve(counter, now, t.at, t.index);
      continue;
    }
    const now = nextArrival;
    nextArrival = now + exponential(1 / lambda);
    const s = Math.floor(random() * services);
    const index = arrived++;
    const free: number[] = [];
    for (let c = 0; c < counters; c++) if (!busy[c] && skills[c]!.includes(s)) free.push(c);
    if (free.length > 0) serve(free[Math.floor(random() * free.length)]!, now, now, index);
    else queues[s]!.push({ at: now, index });
  }
  return total / counted;
}

const HALLS: Array<[number, number]> = values.short
  ? [
      [8, 1],
      [8, 2],
    ]
  : [
      [4, 1],
      [8, 1],
      [12, 1],
      [8, 2],
      [12, 2],
      [20, 4],
    ];
type Row = { counters: number; team: number; pooled: number; waits: Record<string, number> };
const rows: Row[] = [];
for (const [counters, team] of HALLS) {
  const pooled = erlangCWait(counters, (RHO * counters) / MEAN, MEAN);
  const waits: Record<string, number> = {};
  for (const [name, rule] of Object.entries(RULES)) waits[name] = meanWait(counters, team, rule, 20261129);
  rows.push({ counters, team, pooled, waits });
  console.log(
    `${counters} counters, ${team} a service: pooled ${pooled.toFixed(2)};`,
    Object.entries(waits)
      .map(([n, w]) => `${n} ${w.toFixed(2)} (${(w / pooled).toFixed(2)}×)`)
      .join(', '),
  );
}
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const date = new Date().toISOString().slice(0, 10);
if (values.json) writeFileSync(values.json, JSON.stringify({ date, machine, rho: RHO, rows }, null, 2));
if (!values['no-write'] && !values.short) {
  const names = Object.keys(RULES);
  const best = (r: Row) => Math.min(...names.map((n) => r.waits[n]!));
  await writeSection(
    'chain',
    [
      '## What routing can do on a chain',
      '',
      `Run on ${date}: ${machine}. Reproduce with \`npm run bench:chain\`. An independent model,`,
      'not the engine: a continuous M/M chain in steady state (ρ = 0.85, service 10 min, no priorities,',
      `${(APPLICANTS / 1e6).toFixed(0)} million applicants a case, the first tenth left out), counters in teams, team k serving`,
      'service k and backing up k + 1, round the hall. Rules: the older head ticket (FIFO), the longer',
      "queue, and a look-ahead along the chain (each side's queue lengths for three steps, halving).",
      '',
      `| counters | counters a service | pooled bound (min) | ${names.join(' (min) | ')} (min) | best × pooled bound |`,
      `| --- | --- | --- | ${names.map(() => '---').join(' | ')} | --- |`,
      ...rows.map(
        (r) =>
          `| ${r.counters} | ${r.team} | ${r.pooled.toFixed(2)} | ${names.map((n) => r.waits[n]!.toFixed(2)).join(' | ')} | ${(best(r) / r.pooled).toFixed(2)} |`,
      ),
    ].join('\n'),
  );
}
process.exit(0);
