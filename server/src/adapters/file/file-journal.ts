import { open, mkdir, readFile, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { HallStateUnknownError } from '../../process-guard.js';
import type { Id, VersionedEvent } from '@yichuang/protocol';
import type { AppendResult, EventLog } from '../../ports/index.js';

/** Something found wrong in a journal at start-up. */
export type JournalProblem = {
  hallId: Id;
  kind: 'truncated-tail' | 'corrupt-tail';
  /** 1-based line number of the bad line. */
  line: number;
  /** Where the bad bytes were moved so nobody loses them. */
  quarantinedTo: string;
  message: string;
};

/** A journal damaged before its last line: starting would silently lose acknowledged tickets. */
export class JournalCorruptError extends Error {
  override name = 'JournalCorruptError';
  constructor(
    readonly hallId: Id,
    readonly line: number,
    reason: string,
  ) {
    super(
      `Journal of hall ${hallId} is corrupt at line ${line} (${reason}); refusing to start. Restore it from a backup.`,
    );
  }
}

type Line = { v: number; e: VersionedEvent[]; crc: number };
type HallFile = {
  handle: FileHandle;
  version: number;
  size: number;
  tail: Promise<unknown>;
  broken: Error | null;
  /** The events read at open, handed to the first `read` so start-up parses the file once. */
  loaded: VersionedEvent[] | null;
};

const checksum = (events: unknown) => crc32(JSON.stringify(events));

/**
 * The embedded event log: one append-only JSON-lines file per hall, fsynced before an append
 * resolves, so an acknowledged command survives a crash or power loss of this machine.
 * A bad last line (a crash in mid-write) is moved aside and reported; damage earlier refuses to start.
 */
export class FileJournal implements EventLog {
  readonly problems: JournalProblem[] = [];
  private readonly files = new Map<Id, Promise<HallFile>>();

  constructor(
    private readonly dir: string,
    private readonly onProblem: (p: JournalProblem) => void = () => {},
  ) {}

  private path(hallId: Id) {
    return join(this.dir, `${hallId}.jsonl`);
  }

  /** Reads and checks a hall's journal, quarantining a bad tail. */
  private async scan(hallId: Id): Promise<{ events: VersionedEvent[]; goodBytes: number }> {
    let buf: Buffer;
    try {
      buf = await readFile(this.path(hallId));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], goodBytes: 0 };
      throw e;
    }
    const events: VersionedEvent[] = [];
    let offset = 0;
    let lineNo = 0;
    while (offset < buf.length) {
      lineNo++;
      const nl = buf.indexOf(0x0a, offset);
      const end = nl === -1 ? buf.length : nl;
      const text = buf.subarray(offset, end).toString('utf8');
      const isLast = nl === -1 || nl === buf.length - 1;
      let reason: string | null = nl === -1 ? 'line has no end (write cut short)' : null;
      let parsed: Line | null = null;
      if (!reason) {
        try {
          parsed = JSON.parse(text) as Line;
          if (!Array.isArray(parsed.e) || checksum(parsed.e) !== parsed.crc) reason = 'checksum mismatch';
          else if (parsed.v !== events.length + 1)
            reason = `expected version ${events.length + 1}, found ${parsed.v}`;
        } catch {
          reason = 'not valid JSON';
        }
      }
      if (reason) {
        if (!isLast) throw new JournalCorruptError(hallId, lineNo, reason);
        const quarantinedTo = `${this.path(hallId)}.corrupt-${Date.now()}`;
        await writeFile(quarantinedTo, buf.subarray(offset));
        const problem: JournalProblem = {
          hallId,
          kind: nl === -1 ? 'truncated-tail' : 'corrupt-tail',
          line: lineNo,
          quarantinedTo,
          message: `Last line ${lineNo} of the journal of hall ${hallId}: ${reason}. It was never acknowledged; moved to ${quarantinedTo}.`,
        };
        this.problems.push(problem);
        this.onProblem(problem);
        return { events, goodBytes: offset };
      }
      events.push(...parsed!.e);
      offset = end + 1;
    }
    return { events, goodBytes: offset };
  }

  private file(hallId: Id): Promise<HallFile> {
    let f = this.files.get(hallId);
    if (!f) {
      f = (async () => {
        await mkdir(this.dir, { recursive: true });
        const { events, goodBytes } = await this.scan(hallId);
        const handle = await open(this.path(hallId), 'a+');
        // Cut a quarantined tail off, so the next line starts on a clean boundary.
        await handle.truncate(goodBytes);
        return {
          handle,
          version: events.length,
          size: goodBytes,
          tail: Promise.resolve(),
          broken: null,
          loaded: events,
        };
      })();
      this.files.set(hallId, f);
      f.catch(() => this.files.delete(hallId));
    }
    return f;
  }

  async append(
    hallId: Id,
    expectedVersion: number,
    events: readonly VersionedEvent[],
  ): Promise<AppendResult> {
    const f = await this.file(hallId);
    const run = f.tail.then(async (): Promise<AppendResult> => {
      if (f.broken) throw f.broken;
      if (f.version !== expectedVersion) return { ok: false, conflict: true, currentVersion: f.version };
      f.loaded = null;
      const line: Line = { v: expectedVersion + 1, e: [...events], crc: checksum(events) };
      const bytes = Buffer.from(JSON.stringify(line) + '\n');
      try {
        await f.handle.write(bytes, 0, bytes.length, f.size);
        await f.handle.datasync();
      } catch (err) {
        // A half-written line would corrupt every later one: cut it off, or stop writing.
        await f.handle
          .truncate(f.size)
          .catch(
            (e: Error) =>
              (f.broken = new HallStateUnknownError(
                `The journal of hall ${hallId} could not cut off a failed write (${e.message}); what it holds is unknown.`,
              )),
          );
        throw f.broken ?? err;
      }
      f.size += bytes.length;
      f.version += events.length;
      return { ok: true, version: f.version };
    });
    f.tail = run.catch(() => undefined);
    return run;
  }

  async read(hallId: Id, afterVersion: number): Promise<VersionedEvent[]> {
    const f = await this.file(hallId);
    await f.tail;
    const events = f.loaded ?? (await this.scan(hallId)).events;
    f.loaded = null;
    return events.slice(afterVersion);
  }

  async close(): Promise<void> {
    for (const f of this.files.values()) {
      const file = await f.catch(() => null);
      if (file) {
        await file.tail;
        await file.handle.close();
      }
    }
    this.files.clear();
  }
}
