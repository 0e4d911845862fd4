import type { AuditEntry, Id } from '@yichuang/protocol';

/** #12: where the audit log is kept, append-only (a file per hall embedded; a Redis stream scaled out). */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** The hall's entries from `from` to `to` (instants, inclusive), oldest first. */
  read(hallId: Id, from: number, to: number): Promise<AuditEntry[]>;
}
