import { closeSync, fdatasyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** One entry waiting for the hub: what to send, and why (kept for the log and the reply). */
export type OutboxItem<T> = { seq: number; item: T };

/**
 * A durable first-in, first-out queue on disk: what the devices asked for, kept until the hub has
 * answered it. Each add and each done is one fsynced line of an append-only file, so a gateway that
 * crashes or loses power delivers, when it is back, exactly what it had not delivered yet, in order.
 * (Exactly once on the hub's side comes from the idempotency key each item carries.)
 */
export class Outbox<T> {
  private fd: number;
  private pending: Array<OutboxItem<T>> = [];
  private nextSeq = 1;
  private lines = 0;

  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const byId = new Map<number, T>();
    for (const line of text.split('\n')) {
      if (!line) continue;
      let entry: { add?: number; done?: number; item?: T };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        // A torn last line from a crash mid-write: that add was never acknowledged to the device.
        continue;
      }
      if (entry.add !== undefined) {
        byId.set(entry.add, entry.item as T);
        this.nextSeq = Math.max(this.nextSeq, entry.add + 1);
      } else if (entry.done !== undefined) byId.delete(entry.done);
    }
    this.pending = [...byId].map(([seq, item]) => ({ seq, item }));
    this.fd = this.rewrite();
  }

  /** Items not yet delivered, oldest first. */
  items(): ReadonlyArray<OutboxItem<T>> {
    return this.pending;
  }

  get size(): number {
    return this.pending.length;
  }

  /** Appends an item; it is on disk when this returns. */
  add(item: T): OutboxItem<T> {
    const entry = { seq: this.nextSeq++, item };
    this.append({ add: entry.seq, item });
    this.pending.push(entry);
    return entry;
  }

  /** Marks an item delivered. */
  done(seq: number): void {
    this.pending = this.pending.filter((e) => e.seq !== seq);
    this.append({ done: seq });
    // The file only grows while items wait; once drained (or long), it starts over with what is left.
    if (this.pending.length === 0 || this.lines > 10_000) {
      closeSync(this.fd);
      this.fd = this.rewrite();
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  private append(entry: unknown) {
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    fdatasyncSync(this.fd);
    this.lines++;
  }

  /** Writes the pending items to a fresh file and swaps it in atomically; returns its descriptor. */
  private rewrite(): number {
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    for (const e of this.pending) writeSync(fd, `${JSON.stringify({ add: e.seq, item: e.item })}\n`);
    fdatasyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.path);
    this.lines = this.pending.length;
    return openSync(this.path, 'a');
  }
}
