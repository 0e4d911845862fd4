// `npm run bench:balancing`: the hall simulator (the real engine, its routing policies and its wait
// predictions on a simulated clock) against queueing theory and against its peers' policies on the
// same arrival streams (common random numbers: every policy of a case runs with the same seed).
// 1. correctness: fully-skilled counters, Poisson arrivals, exponential service: simulated mean wait
//    against Erlang C for c ∈ {4, 12, 20}, ρ ∈ {0.7, 0.85, 0.95};
// 2. routing: a two-skill chain of counters at ρ = 0.85, balanced against FIFO and dedicated
//    counters, against the fully pooled Erlang C bound, with ±30 % demand imbalance and special care;
// 3. prediction: the expected wait shown at issue against the naive and the last-served estimates;
// 4. speed: simulated hall days per second of a 12-counter, 1,000-ticket day on one core.
// Writes its section of docs/benchmarks.md (`--no-write`: don't); `--short` for CI: a few days.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  erlangCWait,
  Scenario,
  simulate,
  type SimulatedPolicy,
  type SimulationResult,
} from '@yichuang/server';
import { writeSection } from './processes.js';

const { values } = parseArgs({
  options: {
    json: { type: 'string' },
    short: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
const short = values.short;
const MEAN = 10; // minutes of service in the theory cases
const SEED = 20261128;

/** A hall of `services` services and `counters` counters; `skills(i)` are counter i's services. */
function theoryHall(opts: {
  name: string;
  lambdaPerMinute: number;
  services: number;
  counters: number;
  skills: (i: number) => number[];
  weights?: number[];
  specialCareShare?: number;
  target?: number;
}) {
  const weights = opts.weights ?? Array.from({ length: opts.services }, () => 1);
  const total = weights.reduce((a, b) => a + b, 0);
  return Scenario.parse({
    name: opts.name,
    open: '00:00',
    close: '23:00',
    services: weights.map((w, i) => ({
      id: `s${i}`,
      name: `service ${i}`,
      prefix: String.fromCharCode(65 + i),
      arrivals: (opts.lambdaPerMinute * 60 * w) / total,
      handling: { kind: 'exponential', meanMinutes: MEAN },
      targetWaitMinutes: opts.target ?? 30,
      specialCareShare: opts.specialCareShare ?? 0,
    })),
    counters: Array.from({ length: opts.counters }, (_, i) => ({
      id: `c${i + 1}`,
      number: i + 1,
      services: opts.skills(i).map((k) => `s${k}`),
    })),
  });
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const min = (x: number) => x.toFixed(2);
const meanWait = (r: SimulationResult) => r.overall.mean;

// 4. Speed, measured first (on a fresh heap, after a warm-up): a 12-counter, 1,000-ticket day
// (8 hours, five services, every counter two skills).
const speedScenario = Scenario.parse({
  name: '12 counters, 1,000 tickets',
  open: '09:00',
  close: '17:00',
  services: Array.from({ length: 5 }, (_, i) => ({
    id: `s${i}`,
    name: `service ${i}`,
    prefix: String.fromCharCode(65 + i),
    arrivals: 1000 / 8 / 5,
    handling: { kind: 'lognormal', meanMinutes: 5, cv: 0.6 },
  })),
  counters: Array.from({ length: 12 }, (_, i) => ({
    id: `c${i + 1}`,
    number: i + 1,
    services: [`s${i % 5}`, `s${(i + 1) % 5}`],
  })),
});
const speedDays = short ? 3 : 60;
simulate(speedScenario, { days: 2, seed: SEED + 1, policy: 'balanced' }); // warm-up: the JIT
const speed = simulate(speedScenario, { days: speedDays, seed: SEED, policy: 'balanced' });
const daysPerSecond = speedDays / (speed.elapsedMs / 1000);
console.log(
  `speed: ${daysPerSecond.toFixed(1)} hall-days/s (${Math.round(speed.tickets / speedDays)} tickets a day)`,
);

// 1. Erlang C.
type Check = {
  c: number;
  rho: number;
  days: number;
  tickets: number;
  simulated: number;
  erlangC: number;
  error: number;
};
const checks: Check[] = [];
for (const c of [4, 12, 20])
  for (const rho of [0.7, 0.85, 0.95]) {
    const lambda = (rho * c) / MEAN;
    // Numbers run to 999 a service a day: enough services that none runs out.
    const services = Math.ceil((lambda * 24 * 60) / 900);
    const scenario = theoryHall({
      name: `M/M/${c}`,
      lambdaPerMinute: lambda,
      services,
      counters: c,
      skills: () => Array.from({ length: services }, (_, k) => k),
    });
    // One continuous run (the queue carries over midnight: at ρ = 0.95 the queue takes days to
    // settle, longer than any hall day), the first day left out. Heavier traffic needs more
    // applicants for the same precision: its waits are correlated over longer stretches.
    const target = short ? 4_000 : Math.round(100_000 / (1 - rho));
    const days = Math.max(2, Math.ceil(target / (lambda * 24 * 60)) + 1);
    const r = simulate(scenario, {
      days,
      seed: SEED,
      policy: 'fifo',
      continuous: true,
      warmupMinutes: short ? 180 : 24 * 60,
    });
    const expected = erlangCWait(c, lambda, MEAN);
    checks.push({
      c,
      rho,
      days,
      tickets: r.overall.count,
      simulated: meanWait(r),
      erlangC: expected,
      error: (meanWait(r) - expected) / expected,
    });
    console.log(
      `Erlang C c=${c} ρ=${rho}: ${min(meanWait(r))} vs ${min(expected)} (${pct((meanWait(r) - expected) / expected)})`,
    );
  }

// 2. Routing on two-skill chains: each counter serves its team's service first and the next
// service as back-up. One counter a service is the sparsest chain; two a service is a hall's usual.
const CHAIN = 8;
const chainRho = 0.85;
const chainLambda = (chainRho * CHAIN) / MEAN;
const pooled = erlangCWait(CHAIN, chainLambda, MEAN);
const chainDays = short ? 2 : 40;
type RoutingRow = {
  chain: string;
  demand: string;
  policy: SimulatedPolicy;
  mean: number;
  p90: number;
  max: number;
  ratio: number;
  withinTarget: number;
  specialCareWithinTarget: number;
  normalWithinTarget: number;
};
/** A chain of `counters` counters in teams of `team`: team k serves service k and backs up k + 1. */
const runChain = (counters: number, team: number, weights: number[] | undefined, policy: SimulatedPolicy) => {
  const services = counters / team;
  const scenario = theoryHall({
    name: `chain of ${counters} in teams of ${team}`,
    lambdaPerMinute: (chainRho * counters) / MEAN,
    services,
    counters,
    skills: (i) => [Math.floor(i / team), (Math.floor(i / team) + 1) % services],
    weights,
    specialCareShare: 0.1,
    target: 30,
  });
  return simulate(scenario, { days: chainDays, seed: SEED, policy, warmupMinutes: 180 });
};
const routing: RoutingRow[] = [];
for (const team of [1, 2]) {
  const services = CHAIN / team;
  const chain = team === 1 ? 'one counter a service' : 'two counters a service';
  const imbalances: Array<[string, number[]]> = [
    ['even', Array.from({ length: services }, () => 1)],
    ['±30 % (alternate services)', Array.from({ length: services }, (_, i) => (i % 2 === 0 ? 1.3 : 0.7))],
    ['+30 % on half the hall', Array.from({ length: services }, (_, i) => (i < services / 2 ? 1.3 : 0.7))],
  ];
  for (const [demand, weights] of imbalances)
    for (const policy of ['balanced', 'fifo', 'dedicated'] as const) {
      const r = runChain(CHAIN, team, weights, policy);
      const cls = (p: string) => {
        let n = 0;
        let within = 0;
        for (const w of Object.values(r.waits)) {
          const x = w[p];
          if (!x) continue;
          n += x.count;
          within += x.withinTarget * x.count;
        }
        return n > 0 ? within / n : 1;
      };
      routing.push({
        chain,
        demand,
        policy,
        mean: meanWait(r),
        p90: r.overall.p90,
        max: r.overall.max,
        ratio: meanWait(r) / pooled,
        withinTarget: r.overall.withinTarget,
        specialCareWithinTarget: cls('special-care'),
        normalWithinTarget: cls('normal'),
      });
      console.log(
        `chain (${chain}) ${demand} ${policy}: mean ${min(meanWait(r))} (${(meanWait(r) / pooled).toFixed(2)} × pooled)`,
      );
    }
}
// How a chain's size matters: with one counter a service, every service has two counters whatever
// the hall's size, so its wait stays put while the pooled bound falls as counters are added.
type SizeRow = { counters: number; team: number; mean: number; pooled: number; ratio: number };
const sizes: SizeRow[] = [];
const sizeCases: Array<[counters: number, team: number]> = short
  ? [[4, 1]]
  : [
      [4, 1],
      [8, 1],
      [12, 1],
      [20, 1],
      [8, 2],
      [12, 2],
      [20, 2],
      [20, 4],
    ];
for (const [counters, team] of sizeCases) {
  const r = runChain(counters, team, undefined, 'balanced');
  const bound = erlangCWait(counters, (chainRho * counters) / MEAN, MEAN);
  sizes.push({ counters, team, mean: meanWait(r), pooled: bound, ratio: meanWait(r) / bound });
  console.log(
    `chain of ${counters} in teams of ${team}: ${min(meanWait(r))} (${(meanWait(r) / bound).toFixed(2)} × pooled)`,
  );
}

// 3. Predictions on the shipped realistic days, balanced routing.
type PredictionRow = {
  scenario: string;
  tickets: number;
  engine: number;
  naive: number;
  lastServed: number;
  withinBand: number;
};
const predictions: PredictionRow[] = [];
for (const file of ['city-centre', 'township', 'city-centre-power-cut']) {
  const scenario = Scenario.parse(JSON.parse(readFileSync(`scenarios/${file}.json`, 'utf8')));
  const r = simulate(scenario, { days: short ? 2 : 30, seed: SEED, policy: 'balanced' });
  const p = r.predictions;
  predictions.push({
    scenario: r.scenario,
    tickets: p.engine.count,
    engine: p.engine.rmse,
    naive: p.naive.rmse,
    lastServed: p.lastServed.rmse,
    withinBand: p.engine.withinBand,
  });
  console.log(
    `prediction ${file}: engine ${min(p.engine.rmse)}, naive ${min(p.naive.rmse)}, last served ${min(p.lastServed.rmse)}, band ${pct(p.engine.withinBand)}`,
  );
}

const result = {
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  short,
  erlangC: checks,
  routing: { counters: CHAIN, rho: chainRho, pooledErlangC: pooled, days: chainDays, rows: routing, sizes },
  predictions,
  speed: {
    days: speedDays,
    ticketsPerDay: speed.tickets / speedDays,
    transitionsPerDay: speed.transitions / speedDays,
    hallDaysPerSecond: daysPerSecond,
  },
};
if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));

if (!values['no-write'] && !short) {
  const n = (x: number) => x.toLocaleString('en-US');
  const text = `## Balancing, predictions and the simulator

Run on ${result.date}: ${result.machine}. Reproduce with \`npm run bench:balancing\` (the CI runs
\`--short\`). Every number comes from the hall simulator driving the real engine, its routing policy
and its predictions on a simulated clock; within a case every policy sees the same arrivals and
service times (same seed, common random numbers).

**Correctness against Erlang C** — fully skilled counters, Poisson arrivals, exponential service
of 10 minutes, one continuous run per case (the queue carries over midnight) with its first day left
out (warm-up):

| counters | ρ | days | applicants | simulated mean wait (min) | Erlang C (min) | error |
| --- | --- | --- | --- | --- | --- | --- |
${checks.map((x) => `| ${x.c} | ${x.rho} | ${x.days} | ${n(x.tickets)} | ${min(x.simulated)} | ${min(x.erlangC)} | ${pct(x.error)} |`).join('\n')}

**Routing on two-skill chains** — ${CHAIN} counters in teams; each team serves its service and, as
back-up, the next team's (the last backs up the first): one counter a service (8 services) and two
counters a service (4 services); ρ = ${chainRho}; 10 % special care; target wait 30 minutes; ${chainDays} days
of 23 hours from an empty hall. The fully pooled bound (Erlang C with every counter serving
everything) is ${min(pooled)} min. Dedicated: each counter serves only its team's service.

| chain | demand | policy | mean wait (min) | × pooled bound | p90 | max | within target | special care within target | normal within target |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${routing.map((x) => `| ${x.chain} | ${x.demand} | ${x.policy} | ${min(x.mean)} | ${x.ratio.toFixed(2)} | ${x.p90.toFixed(1)} | ${x.max.toFixed(1)} | ${pct(x.withinTarget)} | ${pct(x.specialCareWithinTarget)} | ${pct(x.normalWithinTarget)} |`).join('\n')}

How the chain's size and teams matter (balanced routing, even demand, ρ = ${chainRho}, same days):

| counters | counters a service | mean wait (min) | pooled bound (min) | × pooled bound |
| --- | --- | --- | --- | --- |
${sizes.map((x) => `| ${x.counters} | ${x.team} | ${min(x.mean)} | ${min(x.pooled)} | ${x.ratio.toFixed(2)} |`).join('\n')}

**Predictions** — the expected wait shown to each applicant at issue against the wait that
followed (balanced routing, 30 days of each shipped scenario): root-mean-square error of the engine's
prediction, of the naive estimate (people ahead × mean handling time ÷ open counters) and of the
last-served delay (the wait of the service's latest called ticket), and the share called inside the
band shown.

| scenario | applicants | engine RMSE (min) | naive RMSE | last-served RMSE | called inside the band |
| --- | --- | --- | --- | --- | --- |
${predictions.map((x) => `| ${x.scenario} | ${n(x.tickets)} | ${min(x.engine)} | ${min(x.naive)} | ${min(x.lastServed)} | ${pct(x.withinBand)} |`).join('\n')}

**Speed** — a 12-counter day of about ${n(Math.round(result.speed.ticketsPerDay))} tickets
(${n(Math.round(result.speed.transitionsPerDay))} engine transitions, a prediction per ticket), ${speedDays} days on one core:
${daysPerSecond.toFixed(1)} hall days per second.`;
  await writeSection('balancing', text);
}
