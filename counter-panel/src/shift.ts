import type { StaffSnapshot } from '@yichuang/protocol';

/** What a clerk did today, as shown before the counter closes. */
export function shiftSummary(hall: StaffSnapshot, staffId: string) {
  let completed = 0;
  let transfers = 0;
  for (const t of hall.tickets) {
    if (t.status === 'completed' && t.servedByStaffId === staffId) completed++;
    transfers += t.transfers.filter((x) => x.staffId === staffId).length;
  }
  return { completed, transfers };
}
