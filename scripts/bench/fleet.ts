// A fleet of socket.io clients in its own process, driven by the benchmark over IPC.
// Each client records when every `ticket:called` (or stock `called`) arrived, by ticket number.
import { io, type Socket } from 'socket.io-client';

type Start = { kind: 'start'; url: string; count: number; auth: Record<string, unknown>; event: string };
type Msg = Start | { kind: 'report' } | { kind: 'states' } | { kind: 'stop' };

const now = () => performance.timeOrigin + performance.now();
const sockets: Socket[] = [];
const arrivals = new Map<string, number[]>();
const versions: number[] = [];
const reconnectedAt: number[] = [];

function send(m: unknown) {
  process.send!(m);
}

async function start(m: Start) {
  let connected = 0;
  for (let i = 0; i < m.count; i++) {
    const s = io(m.url, {
      auth: m.auth,
      transports: ['websocket'],
      reconnectionDelay: 200,
      reconnectionDelayMax: 2000,
      timeout: 60_000,
    });
    const idx = i;
    versions[idx] = -1;
    s.on(m.event, (e: { number: string; version?: number }) => {
      const list = arrivals.get(e.number) ?? [];
      list.push(now());
      arrivals.set(e.number, list);
      if (typeof e.version === 'number') versions[idx] = e.version;
    });
    s.on('hall:snapshot', (snap: { version: number }) => {
      versions[idx] = snap.version;
      reconnectedAt[idx] = now();
    });
    s.once('connect', () => {
      connected++;
      if (connected === m.count) send({ kind: 'ready' });
    });
    sockets.push(s);
    // Open in small bursts so the server's accept queue is not flooded.
    if (i % 200 === 199) await new Promise((r) => setTimeout(r, 20));
  }
}

process.on('message', (m: Msg) => {
  if (m.kind === 'start') void start(m);
  if (m.kind === 'report') send({ kind: 'report', arrivals: Object.fromEntries(arrivals) });
  if (m.kind === 'states')
    send({ kind: 'states', versions, reconnectedAt, connected: sockets.filter((s) => s.connected).length });
  if (m.kind === 'stop') {
    for (const s of sockets) s.disconnect();
    setTimeout(() => process.exit(0), 200);
  }
});
