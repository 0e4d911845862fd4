import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Id, VersionedEvent } from '@yichuang/protocol';
import type { AppendResult, EventLog, EventFeed } from '../../ports/index.js';
import { hallKeys } from './keys.js';

/**
 * Appends a batch of events if the hall is still at the expected version.
 * KEYS[1] the hall's version counter (string, absent = 0)
 * KEYS[2] the hall's event stream; entry id `<version>-1`, field `e` = the event's JSON
 * ARGV[1] the version the events were decided on
 * ARGV[2…] the events' JSON, in version order
 * Returns {1, newVersion} or {0, currentVersion} on a conflict (nothing written).
 */
const APPEND = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current ~= tonumber(ARGV[1]) then return {0, current} end
for i = 2, #ARGV do
  redis.call('XADD', KEYS[2], (current + i - 1) .. '-1', 'e', ARGV[i])
end
local version = current + #ARGV - 1
redis.call('SET', KEYS[1], version)
return {1, version}
`;

type StreamEntry = [id: string, fields: string[]];

const decode = (entries: StreamEntry[]): VersionedEvent[] =>
  entries.map(([, fields]) => JSON.parse(fields[1]!) as VersionedEvent);

/**
 * The scaled-out event log: a Redis stream per hall, appended by one Lua script that checks
 * the version atomically (optimistic concurrency between hub nodes). `follow` tails every
 * hall's stream on its own connection so each node's projection catches up with the others.
 */
export class RedisEventLog implements EventLog, EventFeed {
  private followers: Redis[] = [];
  private stopped = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger?: Logger,
  ) {
    redis.defineCommand('ycAppend', { numberOfKeys: 2, lua: APPEND });
  }

  async append(
    hallId: Id,
    expectedVersion: number,
    events: readonly VersionedEvent[],
  ): Promise<AppendResult> {
    const k = hallKeys(this.prefix, hallId);
    const [ok, version] = await (
      this.redis as unknown as Record<string, (...a: unknown[]) => Promise<[number, number]>>
    ).ycAppend!(k.version, k.events, expectedVersion, ...events.map((e) => JSON.stringify(e)));
    return ok === 1 ? { ok: true, version } : { ok: false, conflict: true, currentVersion: version };
  }

  async read(hallId: Id, afterVersion: number): Promise<VersionedEvent[]> {
    const k = hallKeys(this.prefix, hallId);
    const out: VersionedEvent[] = [];
    let from = `${afterVersion + 1}-0`;
    for (;;) {
      const page = (await this.redis.xrange(k.events, from, '+', 'COUNT', 1000)) as StreamEntry[];
      out.push(...decode(page));
      if (page.length < 1000) return out;
      from = `${Number(page[page.length - 1]![0].split('-')[0]) + 1}-0`;
    }
  }

  /** The hall's version in Redis: what a node compares its projection with to know it is caught up. */
  async version(hallId: Id): Promise<number> {
    return Number((await this.redis.get(hallKeys(this.prefix, hallId).version)) ?? 0);
  }

  follow(halls: ReadonlyMap<Id, number>, onEvents: (hallId: Id, events: VersionedEvent[]) => void): void {
    // Its own connection, which waits while Redis is away (the log's own fails fast). XREAD is
    // queued until the connection is ready, so it never races the handshake (connections.ts).
    const conn = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    conn.on('error', (err: Error) =>
      this.logger?.warn(
        { component: 'redis:follower', err: err.message },
        'Redis connection error: reconnecting',
      ),
    );
    this.followers.push(conn);
    const last = new Map([...halls].map(([h, v]) => [h, `${v}-1`]));
    const streamOf = new Map([...halls.keys()].map((h) => [hallKeys(this.prefix, h).events, h]));
    const loop = async () => {
      while (!this.stopped) {
        try {
          const keys = [...streamOf.keys()];
          const ids = keys.map((k) => last.get(streamOf.get(k)!)!);
          const res = await conn.xread('COUNT', 500, 'BLOCK', 1000, 'STREAMS', ...keys, ...ids);
          for (const [key, entries] of res ?? []) {
            const hallId = streamOf.get(key)!;
            last.set(hallId, entries[entries.length - 1]![0]);
            onEvents(hallId, decode(entries));
          }
        } catch {
          if (this.stopped) return;
          // Redis away: ioredis reconnects; try again shortly from the same position.
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    void loop();
  }

  async close(): Promise<void> {
    this.stopped = true;
    for (const f of this.followers) f.disconnect();
    this.followers = [];
    return Promise.resolve();
  }
}
