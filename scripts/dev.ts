// `npm run dev`: the hub restarting on change (port 3000) and each app's Vite dev server with hot
// reload (5173 display wall, 5174 counter panel, 5175 console), proxying the API and socket.io to the hub.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (args: string[]) => spawn('npm', args, { cwd: root, stdio: 'inherit' });
const children = [
  run(['run', 'dev', '-w', '@yichuang/server']),
  run(['run', 'dev', '-w', '@yichuang/display-wall']),
  run(['run', 'dev', '-w', '@yichuang/counter-panel']),
  run(['run', 'dev', '-w', '@yichuang/supervisor-console']),
];
const stop = () => children.forEach((c) => c.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
