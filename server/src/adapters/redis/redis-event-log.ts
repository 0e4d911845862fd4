import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
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

/**
 * #14: records a node's position in a hall's log, with Redis's own clock (nodes' clocks may differ).
 * KEYS[1] the hall's nodes hash; ARGV[1] the node's id; ARGV[2] the version it has applied.
 */
const MARK = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. redis.call('TIME')[1])
return 1
`;

/**
 * #14: trims a hall's stream up to `upTo`, but never past the stored snapshot (a node starting
 * now loads it and reads what follows) nor past any live node's position (a node behind reads on
 * from where it is). Positions older than ARGV[2] seconds are of nodes gone; they are forgotten
 * after a day. KEYS[1] the stream, KEYS[2] the nodes hash, KEYS[3] the snapshot;
 * ARGV[1] up to which version; ARGV[2] how old a position may be and still count.
 * Returns {version trimmed up to (0: none), entries removed}.
 */
const TRIM = `
local upTo = tonumber(ARGV[1])
local snapshot = redis.call('GET', KEYS[3])
if not snapshot then return {0, 0} end
local saved = tonumber(string.match(snapshot, '^{"version":(%d+)'))
if not saved then return {0, 0} end
if saved < upTo then upTo = saved end
local now = tonumber(redis.call('TIME')[1])
local nodes = redis.call('HGETALL', KEYS[2])
for i = 1, #nodes, 2 do
  local v, at = string.match(nodes[i + 1], '^(%d+):(%d+)$')
  if v then
    local age = now - tonumber(at)
    if age <= tonumber(ARGV[2]) then
      if tonumber(v) < upTo then upTo = tonumber(v) end
    elseif age > 86400 then
      redis.call('HDEL', KEYS[2], nodes[i])
    end
  end
end
if upTo <= 0 then return {0, 0} end
local removed = redis.call('XTRIM', KEYS[1], 'MINID', (upTo + 1) .. '-0')
return {upTo, removed}
`;

/** How long a node's position counts without being renewed (nodes renew it every second). */
const POSITION_TTL_S = 30;

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

  /** This node's name among the hub nodes sharing the log (its positions are kept under it). */
  readonly nodeId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger?: Logger,
  ) {
    redis.defineCommand('ycAppend', { numberOfKeys: 2, lua: APPEND });
    redis.defineCommand('ycMark', { numberOfKeys: 1, lua: MARK });
    redis.defineCommand('ycTrim', { numberOfKeys: 3, lua: TRIM });
  }

  private command(name: string): (...a: unknown[]) => Promise<unknown> {
    return (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!.bind(
      this.redis,
    );
  }

  /**
   * #14: tells the other nodes how far this node has applied each hall's log (0: loading), so that
   * no trim removes what it still has to read. Renewed every second while the node runs.
   */
  async mark(positions: ReadonlyMap<Id, number>): Promise<void> {
    await Promise.all(
      [...positions].map(([hallId, v]) =>
        this.command('ycMark')(hallKeys(this.prefix, hallId).nodes, this.nodeId, v),
      ),
    );
  }

  /** This node stops: its positions no longer hold trimming back. */
  async forget(hallIds: readonly Id[]): Promise<void> {
    await Promise.all(hallIds.map((h) => this.redis.hdel(hallKeys(this.prefix, h).nodes, this.nodeId)));
  }

  /**
   * #14: trims a hall's stream behind version `upTo` (a day's end already in the history store, its
   * snapshot saved), or less: never past the stored snapshot or a live node's position. Returns
   * the version the stream now starts after.
   */
  async compact(hallId: Id, upTo: number): Promise<number> {
    const k = hallKeys(this.prefix, hallId);
    const [trimmedTo] = (await this.command('ycTrim')(
      k.events,
      k.nodes,
      k.snapshot,
      upTo,
      POSITION_TTL_S,
    )) as [number, number];
    return trimmedTo;
  }

  async append(
    hallId: Id,
    expectedVersion: number,
    events: readonly VersionedEvent[],
  ): Promise<AppendResult> {
    const k = hallKeys(this.prefix, hallId);
    const [ok, version] = (await this.command('ycAppend')(
      k.version,
      k.events,
      expectedVersion,
      ...events.map((e) => JSON.stringify(e)),
    )) as [number, number];
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
