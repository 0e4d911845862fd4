// `npm start`: the whole hall on one machine with no external service. The hub (embedded journal,
// in-process scheduler) and the edge gateway with its embedded MQTT broker, each its own process
// as in a real hall; Ctrl-C stops both. With REDIS_URL / MQTT_URL set they use those instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = process.env.PORT ?? '3000';
const children: ChildProcess[] = [];
let stopping = false;

function run(name: string, main: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  children.push(child);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${name} stopped (${signal ?? code}): stopping the rest`);
    stop(typeof code === 'number' && code !== 0 ? code : 1);
  });
  return child;
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  const exits = children.map((c) =>
    c.exitCode === null ? new Promise<void>((r) => c.once('exit', () => r())) : Promise.resolve(),
  );
  Promise.all(exits).then(
    () => process.exit(code),
    () => process.exit(code),
  );
  setTimeout(() => process.exit(code), 20_000).unref();
}

async function hubReady(): Promise<void> {
  const end = Date.now() + 60_000;
  while (Date.now() < end && !stopping) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

run('hub', 'server/src/main.ts', {});
await hubReady();
if (process.env.GATEWAY !== 'off')
  run('edge gateway', 'edge-gateway/src/main.ts', {
    HUB_URL: process.env.HUB_URL ?? `http://127.0.0.1:${port}`,
  });
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
