// `npm run devices -- --hall demo [--mqtt mqtt://127.0.0.1:1883] [--config halls.json]`: the hall's
// hardware, simulated, driven from the terminal. Type `help` for the commands.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { InstallationConfig } from '@yichuang/protocol';
import { DEMO_CONFIG_PATH, HallSimulator, readSlip, type Received } from '@yichuang/edge-gateway';

const { values } = parseArgs({
  options: {
    hall: { type: 'string', default: 'demo' },
    mqtt: { type: 'string' },
    config: { type: 'string' },
    password: { type: 'string' },
    root: { type: 'string' },
  },
});
const cwd = process.env.INIT_CWD ?? process.cwd();
const config = InstallationConfig.parse(
  JSON.parse(await readFile(values.config ? resolve(cwd, values.config) : DEMO_CONFIG_PATH, 'utf8')),
);
const hall = config.halls.find((h) => h.id === values.hall);
if (!hall) {
  console.error(`No hall ${values.hall}.`);
  process.exit(1);
}
const url = values.mqtt ?? process.env.MQTT_URL ?? `mqtt://127.0.0.1:${process.env.MQTT_PORT ?? 1883}`;
const sim = new HallSimulator(hall, {
  url,
  ...(values.password ? { password: values.password } : {}),
  ...(values.root ? { root: values.root } : {}),
});

function show(r: Received) {
  const p = r.payload;
  switch (`${r.kind}/${r.channel}`) {
    case 'printer/print': {
      const slip = readSlip(Buffer.from(String(p.escpos), 'base64'));
      console.log(
        `\n🖨  ${r.deviceId}${p.offline ? ' (offline)' : ''}\n   ${slip.lines.join('\n   ')}\n   [QR] ${slip.qr}`,
      );
      break;
    }
    case 'window-display/show':
      console.log(`▭ ${r.deviceId}: ${String(p.text)}`);
      break;
    case 'speaker/say':
      console.log(`🔊 ${String(p.text)}${Number(p.repeat) > 1 ? ` ×${String(p.repeat)}` : ''}`);
      break;
    case 'evaluator/prompt':
      console.log(
        `☆ ${r.deviceId}: please rate ${String(p.number)} served by ${String(p.staffName)} (${String(p.staffBadge)})`,
      );
      break;
    default:
      console.log(`${r.deviceId} ${r.channel}: ${JSON.stringify(p)}`);
  }
}
sim.onReceive(show);

const HELP = `commands:
  press <serviceId> [normal|special-care|appointment]   a dispenser button (services: ${hall.services.map((s) => s.id).join(', ')})
  key <counter> <call-next|recall|no-show|pause|resume|complete> [outcome]
                                                        a counter's keypad (complete needs accepted, not-accepted, one-time-notice, consultation-only or assisted)
  rate <counter> <1-5> [comment]                        the evaluator at the counter rates its last ticket
  fault <deviceId> [fault…]                             report faults (e.g. paper-out); none clears them
  crash <deviceId>                                      drop a device off the network (its last will says offline)
  devices                                               list the simulated devices
  quit`;

console.log(`connecting ${sim.devices.size} devices of ${hall.name} to ${url}…`);
try {
  await sim.start();
} catch (err) {
  console.error(
    `cannot connect to ${url}: ${(err as Error).message}. Is the gateway's broker on another port? Use --mqtt.`,
  );
  process.exit(1);
}
console.log(`${sim.devices.size} devices online.\n${HELP}`);

const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' });
rl.prompt();
rl.on('line', (line) => {
  const [cmd, ...args] = line.trim().split(/\s+/);
  const done = (p: Promise<unknown>) =>
    p.then(
      () => rl.prompt(),
      (err: unknown) => {
        console.log(`! ${(err as Error).message}`);
        rl.prompt();
      },
    );
  try {
    switch (cmd) {
      case 'press':
        return void done(sim.press(args[0] ?? '', (args[1] as 'normal') ?? 'normal'));
      case 'key':
        return void done(sim.key(Number(args[0]), args[1] ?? '', args[2]));
      case 'rate':
        return void done(sim.rate(Number(args[0]), Number(args[1]), args.slice(2).join(' ') || undefined));
      case 'fault': {
        const d = sim.device(args[0] ?? '');
        d.faults = args.slice(1);
        return void done(d.status(true));
      }
      case 'crash':
        sim.device(args[0] ?? '').crash();
        break;
      case 'devices':
        console.log([...sim.devices.keys()].join(' '));
        break;
      case 'quit':
      case 'exit':
        return void sim.stop().then(() => process.exit(0));
      case '':
        break;
      default:
        console.log(HELP);
    }
  } catch (err) {
    console.log(`! ${(err as Error).message}`);
  }
  rl.prompt();
});
rl.on('close', () => void sim.stop().then(() => process.exit(0)));
