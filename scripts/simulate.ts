// `npm run simulate -- --scenario FILE [--policy fifo|balanced|dedicated] [--days N] [--seed K] [--json OUT]`: hall days of a scenario
// through the real engine on a simulated clock (docs/simulation.md). `--schema` writes the scenario
// format as JSON Schema to docs/scenario.schema.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { describeIssues } from '@yichuang/protocol';
import { Scenario, simulate, SimulatedPolicy } from '@yichuang/server';

export const scenarioJsonSchema = () => z.toJSONSchema(Scenario, { io: 'input' });

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'scenarios/city-centre.json' },
      days: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      policy: { type: 'string', default: 'balanced' },
      json: { type: 'string' },
      schema: { type: 'boolean', default: false },
    },
  });
  const cwd = process.env.INIT_CWD ?? process.cwd();
  if (values.schema) {
    const out = fileURLToPath(new URL('../docs/scenario.schema.json', import.meta.url));
    writeFileSync(out, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    console.log(`${out} written`);
    process.exit(0);
  }
  const parsed = Scenario.safeParse(JSON.parse(readFileSync(resolve(cwd, values.scenario), 'utf8')));
  if (!parsed.success) {
    console.error(`${values.scenario}: ${describeIssues(parsed.error)}`);
    process.exit(1);
  }
  const policy = values.policy as SimulatedPolicy;
  if (!SimulatedPolicy.includes(policy)) {
    console.error(`--policy must be one of ${SimulatedPolicy.join(', ')}`);
    process.exit(1);
  }
  const r = simulate(parsed.data, { days: Number(values.days), seed: Number(values.seed), policy });
  const f = (n: number) => n.toFixed(1);
  console.log(
    `${r.scenario}: policy ${r.policy}, ${r.days} days, seed ${r.seed}, ${r.tickets} tickets, ${r.transitions} transitions, ${Math.round(r.elapsedMs)} ms`,
  );
  console.log('service              class          count   mean    p90    max   within target (min)');
  for (const [service, classes] of Object.entries(r.waits))
    for (const [cls, w] of Object.entries(classes))
      console.log(
        `${service.padEnd(20)} ${cls.padEnd(13)} ${String(w.count).padStart(6)} ${f(w.mean).padStart(6)} ${f(w.p90).padStart(6)} ${f(w.max).padStart(6)}   ${(w.withinTarget * 100).toFixed(0)} %`,
      );
  console.log(
    `utilisation: ${Object.entries(r.utilisation)
      .map(([c, u]) => `${c} ${(u * 100).toFixed(0)} %`)
      .join(', ')}`,
  );
  const p = r.predictions;
  console.log(
    `all applicants: mean wait ${f(r.overall.mean)} min, p90 ${f(r.overall.p90)}, max ${f(r.overall.max)}, ${(r.overall.withinTarget * 100).toFixed(0)} % within target`,
  );
  console.log(
    `expected wait shown at issue, RMSE (min): engine ${f(p.engine.rmse)} (${(p.engine.withinBand * 100).toFixed(0)} % called inside its band), naive ${f(p.naive.rmse)}, last-served delay ${f(p.lastServed.rmse)}; ${p.engine.count} tickets`,
  );
  if (values.json) writeFileSync(resolve(cwd, values.json), JSON.stringify(r, null, 2));
}
