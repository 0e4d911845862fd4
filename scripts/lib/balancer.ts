import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP balancer in front of hub nodes, as nginx is in docker-compose.yml. */
export type Balancer = {
  port: number;
  /** Cuts a share of the client connections open now (a flaky hall network); answers how many. */
  dropConnections: (share: number, random: () => number) => number;
  close: () => Promise<void>;
};

/**
 * Listens on `port` and hands each client connection to an upstream node: the one `first` names,
 * or the next that accepts if that one is down (nginx's `proxy_next_upstream error`). Bytes the
 * client sends before an upstream accepts wait, so a request is never half sent to a dead node.
 */
export function startBalancer(
  port: number,
  upstreams: readonly number[],
  first: (client: Socket) => number,
): Promise<Balancer> {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.pause();
    const start = first(client);
    const tryUpstream = (attempt: number) => {
      if (attempt >= upstreams.length || client.destroyed) return client.destroy();
      const upstream = connect(upstreams[(start + attempt) % upstreams.length]!, '127.0.0.1');
      upstream.once('error', () => tryUpstream(attempt + 1));
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        const close = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', close);
        upstream.on('error', close);
        client.on('close', close);
        upstream.on('close', close);
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    };
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    tryUpstream(0);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        dropConnections: (share, random) => {
          let n = 0;
          for (const c of open)
            if (random() < share) {
              c.destroy();
              n++;
            }
          return n;
        },
        close: () =>
          new Promise<void>((r) => {
            for (const c of open) c.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

/** nginx's ip_hash: a client address always goes to the same node while it is up. */
export function ipHash(client: Socket): number {
  let h = 0;
  for (const ch of client.remoteAddress ?? '') h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}
