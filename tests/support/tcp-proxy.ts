import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from '../../scripts/lib/own-redis.js';

/**
 * A TCP proxy a test can cut: the network between the gateway and the hub. `cut()` drops every
 * connection and refuses new ones; `restore()` lets them through again on the same port.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(targetUrl: string): Promise<TcpProxy> {
    const u = new URL(targetUrl);
    const p = new TcpProxy(await freePort(), { host: u.hostname, port: Number(u.port) });
    await p.restore();
    return p;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async restore(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server = server;
    await new Promise<void>((r) => server.listen(this.port, '127.0.0.1', r));
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((r) => server.close(r));
  }
}
