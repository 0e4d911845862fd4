import type { Logger } from 'pino';
import type { Actor, AuditEntry, ErrorCode, Id } from '@yichuang/protocol';
import type { AuditLog } from './ports/index.js';

/** Who an actor is, as the audit log names them. */
export const auditWho = (actor: Actor | null): string =>
  actor === null
    ? 'unknown-credential'
    : actor.kind === 'staff'
      ? `staff:${actor.staffId}`
      : actor.kind === 'device'
        ? `device:${actor.deviceId}`
        : actor.kind;

/**
 * #12: records to the audit log without holding up the answer; a log that cannot be written is
 * reported in the hub's own log (it does not refuse the hall's work), and counted for /healthz.
 */
export class AuditTrail {
  failures = 0;

  constructor(
    private readonly log: AuditLog,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  record(e: {
    hallId: Id;
    who: string;
    action: string;
    target?: string | null;
    detail?: string;
    outcome: 'done' | 'refused';
    code?: ErrorCode | null;
    address?: string;
    via: AuditEntry['via'];
  }): void {
    const entry: AuditEntry = {
      at: this.now(),
      hallId: e.hallId,
      who: e.who.slice(0, 80),
      action: e.action.slice(0, 80),
      target: e.target?.slice(0, 80) ?? null,
      ...(e.detail === undefined ? {} : { detail: e.detail.slice(0, 200) }),
      outcome: e.outcome,
      code: e.code ?? null,
      address: e.address ?? '',
      via: e.via,
    };
    const write = this.log
      .append(entry)
      .catch((err: unknown) => {
        this.failures++;
        this.logger.error({ err, entry }, 'audit log not written');
      })
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  private readonly pending = new Set<Promise<void>>();

  /** Waits for every entry recorded so far to be written (the hub does before it stops). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  read(hallId: Id, from: number, to: number): Promise<AuditEntry[]> {
    return this.log.read(hallId, from, to);
  }
}
