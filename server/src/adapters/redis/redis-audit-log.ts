import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AuditEntry, Id } from '@yichuang/protocol';
import type { AuditLog } from '../../ports/index.js';

/**
 * The scaled-out audit log: one sorted set per hall (`<prefix>audit:{hallId}`) scored by the entry's
 * instant, so a range is read by time whichever node wrote it and however late. Entries are only
 * ever added (each with its own id, so two alike at one instant are both kept), never removed.
 */
export class RedisAuditLog implements AuditLog {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(hallId: Id) {
    return `${this.prefix}audit:{${hallId}}`;
  }

  async append(entry: AuditEntry): Promise<void> {
    await this.redis.zadd(this.key(entry.hallId), entry.at, `${randomUUID()} ${JSON.stringify(entry)}`);
  }

  async read(hallId: Id, from: number, to: number): Promise<AuditEntry[]> {
    const rows = await this.redis.zrangebyscore(this.key(hallId), from, to);
    return rows
      .map((row) => JSON.parse(row.slice(row.indexOf(' ') + 1)) as AuditEntry)
      .sort((a, b) => a.at - b.at);
  }
}
