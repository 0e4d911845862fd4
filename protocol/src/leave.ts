import { DateTime } from 'luxon';
import { z } from 'zod';
import { Id } from './common.js';

/** R7: kinds of leave (请销假). */
export const LeaveKind = z.enum(['annual', 'sick', 'personal', 'official', 'other']);
export type LeaveKind = z.infer<typeof LeaveKind>;

/** A calendar date, YYYY-MM-DD. */
export const IsoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d).isValid, 'a real date, YYYY-MM-DD');

/** R7: a staff member's leave, from and to (inclusive): not expected at a counter then. */
export const Leave = z.object({
  id: Id,
  staffId: Id,
  from: IsoDay,
  to: IsoDay,
  kind: LeaveKind,
  note: z.string(),
});
export type Leave = z.infer<typeof Leave>;

/** The leave a `staff:leave-recorded` event records (the engine's state and the attendance fold alike). */
export function leaveOf(e: Omit<Leave, 'id'> & { leaveId: Id }): Leave {
  const { leaveId: id, staffId, from, to, kind, note } = e;
  return { id, staffId, from, to, kind, note };
}
