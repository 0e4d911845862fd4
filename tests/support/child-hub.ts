import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { DEMO_CONFIG_PATH, TokenService } from '@yichuang/server';
import { dropPrefix, redisClient, REDIS_URL, runPrefix } from './redis.js';

const MAIN = fileURLToPath(new URL('../../server/src/main.ts', import.meta.url));
export const CHILD_SECRET = 'child-hub-test-secret';

export type ChildHub = { url: string; child: ChildProcess; logs: string[]; exited: Promise<number | null> };

/** Runs the real `main.ts` in its own process (one process: tsx is loaded in-process, so SIGKILL hits the hub). */
export function startChildHub(dataDir: string, env: Record<string, string> = {}): Promise<ChildHub> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      TOKEN_SECRET: CHILD_SECRET,
      PRIVACY_KEY: CHILD_SECRET,
      LOG_LEVEL: 'info',
      // Every test and screenshot comes from 127.0.0.1: room for a whole simulated morning.
      PUBLIC_ISSUE_LIMIT: '100000',
      PUBLIC_READ_LIMIT: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hub did not start:\n${logs.join('\n')}`));
    }, 20_000);
    child.stderr.on('data', (d: Buffer) => logs.push(d.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      logs.push(line);
      const m = /listening on (http:\/\/localhost:\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!.replace('localhost', '127.0.0.1'), child, logs, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code}:\n${logs.join('\n')}`));
    });
  });
}

/** A token the child hub accepts (same secret). */
export const childToken = (staffId: string) =>
  new TokenService(Buffer.from(CHILD_SECRET)).sign({ sub: staffId, hall: 'demo' }, Date.now()).token;

/** The demo hall with some of its fields replaced, written as a halls file in `dir` (for `HALL_CONFIG`). */
export async function demoHallFile(dir: string, patch: Record<string, unknown>): Promise<string> {
  const demo = JSON.parse(await readFile(DEMO_CONFIG_PATH, 'utf8')) as {
    halls: Array<Record<string, unknown>>;
  };
  Object.assign(demo.halls[0]!, patch);
  const file = join(dir, 'halls.json');
  await writeFile(file, JSON.stringify(demo));
  return file;
}

/** Opening hours with the same period on every day of the week. */
export const everyDay = (open: string, close: string) =>
  Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open, close }]]));

/**
 * A closing time `minutes` after the first whole minute at least `leadSeconds` from now, for tests
 * that wait for a mark before it (the lead: what they must do before the mark): in the demo hall's
 * zone, unless it would fall past midnight there (then UTC, 8 hours apart).
 */
export function soonClosing(minutes: number, leadSeconds = 0): { zone: string; closes: DateTime } {
  const next = (zone: string) =>
    DateTime.now().setZone(zone).plus({ seconds: leadSeconds, minutes: 1 }).startOf('minute');
  const zone = next('Asia/Shanghai').plus({ minutes: minutes + 1 }).hour === 0 ? 'UTC' : 'Asia/Shanghai';
  return { zone, closes: next(zone).plus({ minutes }) };
}

/**
 * Hub nodes on the machine's Redis under a key prefix of their own for this run: `start` starts one
 * (with a data folder of its own, extra settings in `env`), `tempDir` makes a folder removed with
 * them, `stop` kills every node and removes their keys and folders.
 */
export function redisNodes(what: string) {
  const prefix = runPrefix(what);
  const nodes: ChildHub[] = [];
  const dirs: string[] = [];
  const tempDir = async (label = 'node') => {
    const dir = await mkdtemp(join(tmpdir(), `yc-${label}-`));
    dirs.push(dir);
    return dir;
  };
  return {
    prefix,
    tempDir,
    start: async (env: Record<string, string> = {}) => {
      const n = await startChildHub(await tempDir(), { REDIS_URL, REDIS_PREFIX: prefix, ...env });
      nodes.push(n);
      return n;
    },
    stop: async () => {
      for (const n of nodes) n.child.kill('SIGKILL');
      const r = redisClient();
      await dropPrefix(r, prefix);
      r.disconnect();
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    },
  };
}
