import { z } from 'zod';
import { DateTime } from 'luxon';
import { Id, Timestamp } from './common.js';
import { workingDeadline, type WorkingCalendar } from './calendar.js';
import { periodsOfDate } from './opening-hours.js';
import { ApplicantInput, MaskedApplicant } from './privacy.js';

/**
 * #13: the hall's follow-up cases, each with its deadlines in working days.
 * - `bad-review` (R36): opened by the hall when an applicant rates 不满意 or 非常不满意;
 * - `complaint` (R33, R36): a complaint from another channel (phone, mail, the opinion box),
 *   recorded by staff; it goes through the same loop: assign → investigate → rectify → call back;
 * - `cannot-do` (R14): a problem reported at the “办不成事” window;
 * - `deficiency` (R27): a service accepted with materials owed (容缺): the clerk who accepted it follows
 *   them up until they come in, or the deadline passes and the acceptance no longer stands.
 */
export const CaseKind = z.enum(['bad-review', 'complaint', 'cannot-do', 'deficiency']);
export type CaseKind = z.infer<typeof CaseKind>;

/** What a handler records on a case, in the order the standard names them. */
export const CaseStep = z.enum([
  'investigated',
  'rectified',
  'called-back',
  'handed-over',
  'answered',
  'supplemented',
]);
export type CaseStep = z.infer<typeof CaseStep>;

/** The steps each kind goes through (R36: investigate, rectify, call back; R14: hand over, answer). */
export const CASE_STEPS: Record<CaseKind, readonly CaseStep[]> = {
  'bad-review': ['investigated', 'rectified', 'called-back'],
  complaint: ['investigated', 'rectified', 'called-back'],
  'cannot-do': ['investigated', 'handed-over', 'answered'],
  deficiency: ['supplemented'],
};

/** The deadlines a case can have, and the step (or the close) that meets each. */
export const DeadlineName = z.enum(['call-back', 'rectify', 'hand-over', 'close', 'supplement']);
export type DeadlineName = z.infer<typeof DeadlineName>;
export const MET_BY: Record<DeadlineName, CaseStep | 'closed'> = {
  'call-back': 'called-back',
  rectify: 'rectified',
  'hand-over': 'handed-over',
  close: 'closed',
  supplement: 'supplemented',
};

/** R14: a simple problem is answered the same day, a complex one within 5 working days. */
export const Complexity = z.enum(['simple', 'complex']);
/** R14: within this hall level's remit (handed to the competent department) or outside it (told where to go). */
export const Remit = z.enum(['inside', 'outside']);

/** The standard's limits, in working days (R36: call back within 1, rectify within 15; R14: complex within 5). */
export const CASE_LIMITS = { callBack: 1, rectify: 15, complex: 5 } as const;

export const Deadline = z.object({
  name: DeadlineName,
  due: Timestamp,
  /** When the step that meets it was recorded (null: not yet). */
  metAt: Timestamp.nullable(),
  /** The handler was reminded (before `due`). */
  remindedAt: Timestamp.nullable(),
  /** It passed unmet: the managers were alerted then. */
  missedAt: Timestamp.nullable(),
  /** The case closed without it (a rectification found unnecessary): it is no longer due. */
  waived: z.boolean(),
});
export type Deadline = z.infer<typeof Deadline>;

export const CaseEntry = z.object({
  step: z.union([CaseStep, z.literal('assigned'), z.literal('closed')]),
  at: Timestamp,
  by: Id.nullable(),
  note: z.string(),
});
export type CaseEntry = z.infer<typeof CaseEntry>;

const text = (max: number) => z.string().trim().max(max);

/** One case as staff see it (the applicant masked, R9). */
export const Case = z.object({
  id: Id,
  kind: CaseKind,
  /** Numbered per hall and year: `2026-0007`. */
  number: z.string(),
  openedAt: Timestamp,
  openedBy: Id.nullable(),
  ticketId: Id.nullable(),
  ticketNumber: z.string().nullable(),
  serviceIds: z.array(Id),
  /** The window and staff member the case is about (a bad review's: who served the ticket). */
  counterId: Id.nullable(),
  staffId: Id.nullable(),
  /** A bad review's level (1 非常不满意, 2 不满意). */
  level: z.number().int().min(1).max(5).nullable(),
  description: z.string(),
  /** R14: the departments involved; the one it was handed to is on the `handed-over` entry. */
  departments: z.array(z.string()),
  complexity: Complexity.nullable(),
  remit: Remit.nullable(),
  /** R36: a named case (the applicant left a name or a number) is called back. */
  named: z.boolean(),
  applicant: MaskedApplicant.nullable(),
  assignedTo: Id.nullable(),
  /** R14: the department handling it now, as told to the applicant. */
  handledBy: z.string().nullable(),
  deadlines: z.array(Deadline),
  entries: z.array(CaseEntry),
  closedAt: Timestamp.nullable(),
});
export type Case = z.infer<typeof Case>;

/** The payload of `case:open`: a complaint or a “办不成事” problem recorded by staff. */
export const CaseOpening = z
  .object({
    kind: z.enum(['complaint', 'cannot-do']),
    description: text(1000).min(2),
    ticketId: Id.optional(),
    serviceIds: z.array(Id).max(10).default([]),
    departments: z.array(text(60).min(1)).max(10).default([]),
    /** A complaint: the window or staff member it is about. */
    counterId: Id.optional(),
    staffId: Id.optional(),
    complexity: Complexity.optional(),
    remit: Remit.optional(),
    /** Who to call back (name and mobile; never an ID number here). */
    applicant: ApplicantInput.omit({ idNumber: true }).optional(),
  })
  .strict();

/** The departments a person typed in one field (any of the separators a Chinese or English keyboard gives). */
export const departmentList = (text: string): string[] =>
  text
    .split(/[,，、;；\n]/)
    .map((d) => d.trim())
    .filter(Boolean);

/** The contact to call back from a form's name and mobile fields (null: none given). */
export function callBackContact(name: string, phone: string): { name?: string; phone?: string } | null {
  const c = {
    ...(name.trim() ? { name: name.trim() } : {}),
    ...(phone.trim() ? { phone: phone.trim() } : {}),
  };
  return Object.keys(c).length ? c : null;
}

/** A deadline `n` working days after `at` (0: the end of the day of `at`, in the hall's zone). */
function dueIn(at: number, n: number, timeZone: string, cal: WorkingCalendar): number {
  if (n === 0) return DateTime.fromMillis(at, { zone: timeZone }).endOf('day').toMillis();
  return workingDeadline(at, n, timeZone, cal);
}

/** The deadlines of a new case, counted in working days from when it was opened. */
export function caseDeadlines(
  c: { kind: CaseKind; complexity: 'simple' | 'complex' | null; remit: 'inside' | 'outside' | null },
  openedAt: number,
  timeZone: string,
  cal: WorkingCalendar,
  /** A deficiency case's: the working days the materials may be owed. */
  owedDays = 5,
): Array<{ name: DeadlineName; due: number }> {
  if (c.kind === 'deficiency') return [{ name: 'supplement', due: dueIn(openedAt, owedDays, timeZone, cal) }];
  if (c.kind !== 'cannot-do')
    return [
      { name: 'call-back', due: dueIn(openedAt, CASE_LIMITS.callBack, timeZone, cal) },
      { name: 'rectify', due: dueIn(openedAt, CASE_LIMITS.rectify, timeZone, cal) },
    ];
  const close = c.complexity === 'complex' ? CASE_LIMITS.complex : 0;
  return [
    // R14: inside the remit, the competent department has it the same day.
    ...(c.remit === 'inside' ? [{ name: 'hand-over' as const, due: dueIn(openedAt, 0, timeZone, cal) }] : []),
    { name: 'close', due: dueIn(openedAt, close, timeZone, cal) },
  ];
}

/**
 * When the handler is reminded of a deadline: `leadMinutes` before the hall closes on the day it is
 * due (17:00 on a day without opening hours), so the reminder comes while someone can still act.
 * Null when that is not after `from` (a same-day case opened late needs no reminder of itself).
 */
export function reminderAt(
  due: number,
  from: number,
  hours: Parameters<typeof periodsOfDate>[0],
  timeZone: string,
  leadMinutes: number,
): number | null {
  const at = Math.min(closingOnDayOf(due, hours, timeZone), due) - leadMinutes * 60_000;
  return at > from ? at : null;
}

/** When the hall closes on the local day of `due` (17:00 on a closed day); remembered, it is asked often. */
function closingOnDayOf(due: number, hours: Parameters<typeof periodsOfDate>[0], timeZone: string): number {
  let known = closings.get(hours);
  if (!known) closings.set(hours, (known = new Map<string, number>()));
  const key = `${timeZone}|${due}`;
  let closes = known.get(key);
  if (closes === undefined) {
    if (known.size > 10_000) known.clear();
    const day = DateTime.fromMillis(due, { zone: timeZone }).toISODate()!;
    const periods = periodsOfDate(hours, timeZone, day);
    closes =
      periods.length > 0
        ? Math.max(...periods.map((p) => p.closesAt))
        : DateTime.fromISO(day, { zone: timeZone }).set({ hour: 17 }).toMillis();
    known.set(key, closes);
  }
  return closes;
}

const closings = new WeakMap<object, Map<string, number>>();

/** The deadline still running (not met, not waived), if any, of this name. */
export const pendingDeadline = (c: Pick<Case, 'deadlines' | 'closedAt'>, name: DeadlineName) =>
  c.closedAt === null ? c.deadlines.find((d) => d.name === name && d.metAt === null && !d.waived) : undefined;

/** Whether a step was recorded on the case. */
export const hasStep = (c: Pick<Case, 'entries'>, step: CaseEntry['step']) =>
  c.entries.some((e) => e.step === step);

/**
 * R36: the follow-up figures of a set of cases (bad reviews and complaints; the standard wants 100 %
 * of the named ones called back and rectified), and R14's: “办不成事” cases closed in time.
 */
export type CaseFigures = {
  /** Bad reviews and complaints. */
  reviews: number;
  named: number;
  calledBack: number;
  rectified: number;
  /** Called back / named (null: none named). */
  followUpRate: number | null;
  rectificationRate: number | null;
  cannotDo: number;
  /** “办不成事” cases closed by their deadline / those closed or past it. */
  closedInTime: number;
  cannotDoRate: number | null;
  /** Deadlines passed unmet, over every case. */
  missed: number;
  open: number;
};

export function caseFigures(cases: Iterable<Case>): CaseFigures {
  const f = {
    reviews: 0,
    named: 0,
    calledBack: 0,
    rectified: 0,
    cannotDo: 0,
    closedInTime: 0,
    missed: 0,
    open: 0,
  };
  let cannotDoDue = 0;
  for (const c of cases) {
    if (c.closedAt === null) f.open++;
    f.missed += c.deadlines.filter((d) => d.missedAt !== null).length;
    if (c.kind === 'cannot-do') {
      f.cannotDo++;
      const close = c.deadlines.find((d) => d.name === 'close');
      if (close && (c.closedAt !== null || close.missedAt !== null)) {
        cannotDoDue++;
        if (close.metAt !== null && close.metAt <= close.due) f.closedInTime++;
      }
      continue;
    }
    if (c.kind === 'deficiency') continue;
    f.reviews++;
    if (!c.named) continue;
    f.named++;
    if (hasStep(c, 'called-back')) f.calledBack++;
    if (hasStep(c, 'rectified')) f.rectified++;
  }
  const rate = (n: number, of: number) => (of === 0 ? null : n / of);
  return {
    ...f,
    followUpRate: rate(f.calledBack, f.named),
    rectificationRate: rate(f.rectified, f.named),
    cannotDoRate: rate(f.closedInTime, cannotDoDue),
  };
}

/** Open cases first, the soonest deadline first; then the closed ones, newest first. */
export function caseOrder(a: Case, b: Case): number {
  const open = Number(a.closedAt !== null) - Number(b.closedAt !== null);
  if (open !== 0) return open;
  if (a.closedAt === null) return nextDue(a) - nextDue(b);
  return b.closedAt! - a.closedAt;
}

/** The case's next running deadline (Infinity: none). */
export function nextDue(c: Pick<Case, 'deadlines' | 'closedAt'>): number {
  let due = Infinity;
  if (c.closedAt === null)
    for (const d of c.deadlines) if (d.metAt === null && !d.waived) due = Math.min(due, d.due);
  return due;
}
