import { open, mkdir, readdir, readFile, rename, writeFile, type FileHandle } from 'node:fs/promises';
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
  /** #14: the version before the file's first line (the events up to it are in segments). */
  base: number;
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
  private async scan(hallId: Id): Promise<{ events: VersionedEvent[]; goodBytes: number; base: number }> {
    let buf: Buffer;
    try {
      buf = await readFile(this.path(hallId));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        return { events: [], goodBytes: 0, base: await this.segmentsEnd(hallId) };
      throw e;
    }
    // #14: after compaction the file starts where the segments end; a crash in the middle of one may
    // leave a segment that overlaps the file, which then still holds those lines and counts.
    let base: number = await this.segmentsEnd(hallId);
    const first = buf.subarray(0, Math.max(0, buf.indexOf(0x0a))).toString('utf8');
    try {
      if (first) base = Math.min(base, (JSON.parse(first) as Line).v - 1);
    } catch {
      // A bad first line is reported below like any other.
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
          else if (parsed.v !== base + events.length + 1)
            reason = `expected version ${base + events.length + 1}, found ${parsed.v}`;
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
        return { events, goodBytes: offset, base };
      }
      events.push(...parsed!.e);
      offset = end + 1;
    }
    return { events, goodBytes: offset, base };
  }

  /** #14: a hall's segments (the journal rolled behind the archive), oldest first. */
  private async segments(hallId: Id): Promise<Array<{ file: string; from: number; to: number }>> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out: Array<{ file: string; from: number; to: number }> = [];
    for (const n of names) {
      const m = /^(.+)\.seg-(\d+)-(\d+)\.jsonl$/.exec(n);
      if (m && m[1] === hallId) out.push({ file: join(this.dir, n), from: Number(m[2]), to: Number(m[3]) });
    }
    return out.sort((a, b) => a.from - b.from);
  }

  /** The last version the segments hold (0: none). */
  private async segmentsEnd(hallId: Id): Promise<number> {
    const all = await this.segments(hallId);
    return all.length === 0 ? 0 : all[all.length - 1]!.to;
  }

  /**
   * The events of the segments after `afterVersion` and up to `upTo` (where the journal file takes
   * over): cold history, which attendance over past days reads. Overlaps are read once.
   */
  private async readSegments(hallId: Id, afterVersion: number, upTo: number): Promise<VersionedEvent[]> {
    const out: VersionedEvent[] = [];
    let last = afterVersion;
    for (const seg of await this.segments(hallId)) {
      if (seg.to <= last) continue;
      for (const text of (await readFile(seg.file, 'utf8')).split('\n')) {
        if (!text) continue;
        const line = JSON.parse(text) as Line;
        for (const e of line.e)
          if (e.version > last && e.version <= upTo) {
            out.push(e);
            last = e.version;
          }
      }
    }
    return out;
  }

  /**
   * #14: rolls the journal's lines up to `upTo` (the end of an archived day, whose snapshot is saved)
   * into a segment file, so a start reads only what came after. The segment is fsynced before the
   * journal is replaced by its remainder (written aside, fsynced, renamed over it): a crash leaves
   * either the whole journal or the segment and the remainder. Returns the journal's new base.
   */
  async compact(hallId: Id, upTo: number): Promise<number> {
    const f = await this.file(hallId);
    const run = f.tail.then(async () => {
      if (f.broken) throw f.broken;
      if (upTo <= f.base) return f.base;
      const buf = await readFile(this.path(hallId));
      const lines = buf.subarray(0, f.size).toString('utf8').split('\n').filter(Boolean);
      // Whole lines only (a group commit is never split): up to the last one ending at or before upTo.
      let cut = 0;
      let end = f.base;
      for (const text of lines) {
        const line = JSON.parse(text) as Line;
        const last = line.v + line.e.length - 1;
        if (last > upTo) break;
        cut++;
        end = last;
      }
      if (cut === 0) return f.base;
      const pad = (n: number) => String(n).padStart(12, '0');
      const segment = join(this.dir, `${hallId}.seg-${pad(f.base + 1)}-${pad(end)}.jsonl`);
      await writeDurably(segment, lines.slice(0, cut).join('\n') + '\n');
      const rest = lines
        .slice(cut)
        .map((l) => l + '\n')
        .join('');
      await writeDurably(`${this.path(hallId)}.tmp`, rest);
      await f.handle.close();
      await rename(`${this.path(hallId)}.tmp`, this.path(hallId));
      await syncDir(this.dir);
      f.handle = await open(this.path(hallId), 'a+');
      f.base = end;
      f.size = Buffer.byteLength(rest);
      f.loaded = null;
      return end;
    });
    f.tail = run.catch(() => undefined);
    return run;
  }

  private file(hallId: Id): Promise<HallFile> {
    let f = this.files.get(hallId);
    if (!f) {
      f = (async () => {
        await mkdir(this.dir, { recursive: true });
        const { events, goodBytes, base } = await this.scan(hallId);
        const handle = await open(this.path(hallId), 'a+');
        // Cut a quarantined tail off, so the next line starts on a clean boundary.
        await handle.truncate(goodBytes);
        return {
          handle,
          base,
          version: base + events.length,
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
    if (afterVersion >= f.base) return events.slice(afterVersion - f.base);
    // Older than the journal's start: from the segments (what attendance over past days reads).
    return [...(await this.readSegments(hallId, afterVersion, f.base)), ...events];
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

/** Writes a whole file and fsyncs it before resolving. */
async function writeDurably(path: string, text: string): Promise<void> {
  const f = await open(path, 'w');
  try {
    await f.writeFile(text);
    await f.datasync();
  } finally {
    await f.close();
  }
}

/** Makes a rename in `dir` durable. */
async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
