import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { HallConfig } from '@yichuang/protocol';
import { mosquittoFiles } from '@yichuang/edge-gateway';
import { freePort } from '../../scripts/lib/own-redis.js';

/** Where Debian's mosquitto package puts the dynamic-security plugin. */
const DEBIAN_DYNSEC = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';

/**
 * A Mosquitto of a test's own on a free port, with the dynamic-security file `npm run mqtt:files`
 * generates for the hall and persistence on, so a test may restart it or check its refusals
 * without touching the machine's shared broker on 1883 (which lets anonymous clients in).
 */
export class OwnMosquitto {
  private proc: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  static async start(hall: HallConfig, root: string): Promise<OwnMosquitto> {
    const dir = await mkdtemp(join(tmpdir(), 'yc-mosquitto-'));
    const files = mosquittoFiles([hall], () => 'demo', root, DEBIAN_DYNSEC);
    await writeFile(join(dir, 'dynamic-security.json'), files.dynsec, { mode: 0o600 });
    const port = await freePort();
    // The generated conf, with this instance's port and folders.
    const conf = files.conf
      .replace('listener 1883', `listener ${port} 127.0.0.1`)
      .replace('/mosquitto/config/dynamic-security.json', join(dir, 'dynamic-security.json'))
      .replace('/mosquitto/data/', `${dir}/`)
      // Started as root, Mosquitto would switch to user "mosquitto", who cannot read this folder.
      .concat(`user ${userInfo().username}\n`);
    await writeFile(join(dir, 'mosquitto.conf'), conf);
    const m = new OwnMosquitto(port, dir);
    await m.up();
    return m;
  }

  /** Starts (again) on the same port with the same persistence. */
  async up(): Promise<void> {
    this.proc = spawn('mosquitto', ['-c', join(this.dir, 'mosquitto.conf')], { stdio: 'ignore' });
    const end = Date.now() + 10_000;
    while (!(await reachable(this.port))) {
      if (Date.now() > end) throw new Error(`mosquitto did not start on ${this.port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops it as an operator would (SIGTERM: it saves its persistence on the way out). */
  async down(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((r) => {
      p.once('exit', () => r());
      p.kill('SIGTERM');
    });
  }

  async close(): Promise<void> {
    await this.down();
    await rm(this.dir, { recursive: true, force: true });
  }
}

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.end();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
