// Stock socket.io doing the same fan-out as the hub, for comparison: no engine, no journal.
// POST /emit → emits `ticket:called` to every /display client; POST /issue hands out a number
// (in memory, not durable); GET /memory reports the process memory.
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';

const port = Number(process.env.PORT ?? 0);
const redisUrl = process.env.REDIS_URL;
let issued = 0;
let version = 0;

const http = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/emit') {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const { number } = JSON.parse(body) as { number: string };
      version++;
      io.of('/display').to('hall').emit('ticket:called', {
        type: 'ticket:called',
        number,
        serviceId: 'tax',
        counterId: 'c05',
        counterNumber: 5,
        recalls: 0,
        at: Date.now(),
        version,
      });
      res.end('{}');
    });
    return;
  }
  if (req.method === 'POST' && req.url === '/issue') {
    issued++;
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ number: `G${issued}` }));
    return;
  }
  if (req.url === '/memory') {
    res.end(JSON.stringify(process.memoryUsage()));
    return;
  }
  res.writeHead(404).end();
});

const io = new Server(http, {
  connectionStateRecovery: { maxDisconnectionDuration: 120_000 },
  ...(redisUrl
    ? {
        adapter: createAdapter(new Redis(redisUrl), {
          streamName: `${process.env.REDIS_PREFIX ?? 'stock:'}socket.io`,
        }),
      }
    : {}),
});
io.of('/display').on('connection', (s) => {
  void s.join('hall');
  s.emit('hall:snapshot', { version });
});
http.listen(port, '127.0.0.1', () => {
  const a = http.address();
  console.log(`stock listening on ${typeof a === 'object' && a ? a.port : port}`);
});
