import type { StaffEventAfter, StaffSnapshot, VersionedEvent } from '@yichuang/protocol';
import { ACCOUNT_EVENTS, DEVICE_ACCESS_EVENTS } from '@yichuang/protocol';

/**
 * What the counter panels and the gateway see of accounts and devices: whether they are active, not
 * why a manager switched them off (the reason is the managers' and the audit log's).
 */
const noteless = <T extends { note: string }>(records: readonly T[]): T[] =>
  records.map((r) => ({ ...r, note: '' }));
export function withoutNotes(s: StaffSnapshot): StaffSnapshot {
  return { ...s, accounts: noteless(s.accounts), deviceBlocks: noteless(s.deviceBlocks) };
}
export function eventWithoutNotes<E extends VersionedEvent & { after?: StaffEventAfter }>(e: E): E {
  if (!ACCOUNT_EVENTS.has(e.type) && !DEVICE_ACCESS_EVENTS.has(e.type)) return e;
  const after = e.after && {
    ...e.after,
    ...(e.after.accounts ? { accounts: noteless(e.after.accounts) } : {}),
    ...(e.after.deviceBlocks ? { deviceBlocks: noteless(e.after.deviceBlocks) } : {}),
  };
  return { ...e, ...('note' in e ? { note: '' } : {}), ...(after ? { after } : {}) };
}

/**
 * #12, R9: nobody hears an applicant's details on file: staff see them masked on the ticket in
 * `after`, and in full only through a reveal, which answers the one who asked.
 */
export function withoutApplicant(e: VersionedEvent): VersionedEvent {
  if ((e.type !== 'ticket:issued' && e.type !== 'case:opened') || e.applicant === undefined) return e;
  const { applicant: _onFile, ...heard } = e;
  return heard;
}
