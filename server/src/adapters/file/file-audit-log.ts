import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry, Id } from '@yichuang/protocol';
import type { AuditLog } from '../../ports/index.js';

const DAY = 86_400_000;
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * The embedded audit log: a JSON line per entry, appended (O_APPEND) to one file per hall and UTC
 * day under `<dataDir>/audit/<hallId>/`. Nothing here rewrites a file; a day is read whole.
 */
export class FileAuditLog implements AuditLog {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly dir: string) {}

  append(entry: AuditEntry): Promise<void> {
    const folder = join(this.dir, 'audit', entry.hallId);
    const write = this.tail.then(async () => {
      await mkdir(folder, { recursive: true });
      await appendFile(join(folder, `${dayOf(entry.at)}.jsonl`), `${JSON.stringify(entry)}\n`, { flag: 'a' });
    });
    this.tail = write.catch(() => undefined);
    return write;
  }

  async read(hallId: Id, from: number, to: number): Promise<AuditEntry[]> {
    await this.tail;
    const out: AuditEntry[] = [];
    for (let t = Date.parse(dayOf(from)); t <= to; t += DAY) {
      const text = await readFile(join(this.dir, 'audit', hallId, `${dayOf(t)}.jsonl`), 'utf8').catch(
        () => '',
      );
      for (const line of text.split('\n')) {
        if (!line) continue;
        const e = JSON.parse(line) as AuditEntry;
        if (e.at >= from && e.at <= to) out.push(e);
      }
    }
    return out;
  }
}
