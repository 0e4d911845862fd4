import type { Redis } from 'ioredis';
import type { Id } from '@yichuang/protocol';
import type { HallSnapshot, HallStore } from '../../ports/index.js';
import { hallKeys } from './keys.js';

/**
 * Saves a snapshot only if it is newer than the one stored.
 * KEYS[1] the snapshot key (JSON `{ version, state }`); ARGV[1] the version; ARGV[2] the JSON.
 */
const SAVE = `
local old = redis.call('GET', KEYS[1])
if old then
  local v = cjson.decode(old).version
  if v and v >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;

/** Hall snapshots in Redis, beside the hall's stream. */
export class RedisHallStore implements HallStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async load(hallId: Id): Promise<HallSnapshot | null> {
    const raw = await this.redis.get(hallKeys(this.prefix, hallId).snapshot);
    return raw ? (JSON.parse(raw) as HallSnapshot) : null;
  }

  async save(hallId: Id, snapshot: HallSnapshot): Promise<void> {
    await this.redis.eval(
      SAVE,
      1,
      hallKeys(this.prefix, hallId).snapshot,
      snapshot.version,
      JSON.stringify(snapshot),
    );
  }
}
