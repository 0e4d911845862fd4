import type { ApplicantOnFile, Case, Command, HallEvent, Id, Ticket } from '@yichuang/protocol';
import {
  calendarOf,
  caseDeadlines,
  isBadReview,
  maskApplicant,
  MET_BY,
  onFile,
  pendingDeadline,
  reminderAt,
} from '@yichuang/protocol';
import { DateTime } from 'luxon';
import { raised } from './alerts.js';
import type { HallState } from './state.js';

/**
 * #13: the follow-up cases' life in one place (R14, R33, R36): how one is opened (by staff, or by
 * the hall for a bad review), what its steps and deadlines do, and the timers that remind its
 * handler and alert the managers when a deadline passes. Deadlines count working days with the
 * hall's calendar (`calendarOf`), from when the case was opened.
 */

/** How long a closed case stays in the live state (the history store keeps it after, #14). */
export const CLOSED_CASE_DAYS = 92;

type CaseCommand = Extract<Command, { type: `case:${string}` }>;

/** What the hall keeps to call an applicant back: a name and a mobile number, never an ID hash. */
function callBackDetails(a: ApplicantOnFile | undefined, phone?: string): ApplicantOnFile | undefined {
  const kept = onFile({
    ...(a?.name ? { name: a.name } : {}),
    ...((phone ?? a?.phone) ? { phone: phone ?? a?.phone } : {}),
  });
  return kept.name || kept.phone ? kept : undefined;
}

/** The next case number of the hall's local year of `now`: `2026-0007`. */
function nextNumber(state: HallState, now: number): string {
  const year = DateTime.fromMillis(now, { zone: state.config.timeZone }).year;
  const seq = state.caseNumbering.year === year ? state.caseNumbering.last + 1 : 1;
  return `${year}-${String(seq).padStart(4, '0')}`;
}

type Opening = Omit<
  Extract<HallEvent, { type: 'case:opened' }>,
  'type' | 'at' | 'number' | 'deadlines' | 'caseId'
>;

/** The event that opens case `caseId` at `now`, with its number and its deadlines. */
function opened(
  state: HallState,
  caseId: Id,
  o: Opening,
  now: number,
  owedDays?: number,
): Extract<HallEvent, { type: 'case:opened' }> {
  const cal = calendarOf(state.config);
  return {
    type: 'case:opened',
    at: now,
    caseId,
    number: nextNumber(state, now),
    ...o,
    deadlines: caseDeadlines(o, now, state.config.timeZone, cal, owedDays),
  };
}

/**
 * R27: materials owed under an acceptance (容缺) are followed up by the clerk who accepted them, for
 * `owedDays` working days: the case, already theirs.
 */
export function deficiencyCase(
  state: HallState,
  caseId: Id,
  t: Ticket,
  owed: { materials: string; department: string; owedDays: number; staffId: Id },
  now: number,
): [Extract<HallEvent, { type: 'case:opened' }>, HallEvent] {
  const open = opened(
    state,
    caseId,
    {
      kind: 'deficiency',
      by: owed.staffId,
      ticketId: t.id,
      ticketNumber: t.number,
      serviceIds: [t.serviceId],
      counterId: t.counterId,
      staffId: owed.staffId,
      level: null,
      description: owed.materials,
      departments: [owed.department],
      complexity: null,
      remit: null,
    },
    now,
    owed.owedDays,
  );
  return [open, { type: 'case:assigned', at: now, caseId, staffId: owed.staffId, by: owed.staffId }];
}

/** R36: a bad review opens a case about the ticket, its window and who served it. */
export function badReviewCase(
  state: HallState,
  caseId: Id,
  t: Ticket,
  rating: { level: number; comment: string; phone?: string | undefined },
  now: number,
): HallEvent[] {
  if (!isBadReview(rating.level)) return [];
  const applicant = callBackDetails(state.applicants.get(t.id), rating.phone);
  return [
    opened(
      state,
      caseId,
      {
        kind: 'bad-review',
        by: null,
        ticketId: t.id,
        ticketNumber: t.number,
        serviceIds: [t.serviceId],
        counterId: t.counterId,
        staffId: t.servedByStaffId,
        level: rating.level,
        description: rating.comment,
        departments: [],
        complexity: null,
        remit: null,
        ...(applicant ? { applicant } : {}),
      },
      now,
    ),
  ];
}

/** The events of a case command the rules accepted; `id` is the command's fresh id. */
export function caseEffects(
  state: HallState,
  cmd: CaseCommand,
  id: Id,
  by: Id | null,
  now: number,
): HallEvent[] {
  if (cmd.type === 'case:open') {
    const t = cmd.ticketId === undefined ? undefined : state.tickets.get(cmd.ticketId);
    const applicant = callBackDetails(cmd.applicant ?? (t && state.applicants.get(t.id)));
    // R14: the “办不成事” window's clerk leads the problem they recorded (a manager may reassign it).
    const leads: HallEvent[] =
      cmd.kind === 'cannot-do' && by !== null
        ? [{ type: 'case:assigned', at: now, caseId: id, staffId: by, by }]
        : [];
    return [
      opened(
        state,
        id,
        {
          kind: cmd.kind,
          by,
          ticketId: t?.id ?? null,
          ticketNumber: t?.number ?? null,
          serviceIds: cmd.serviceIds.length > 0 ? cmd.serviceIds : t ? [t.serviceId] : [],
          counterId: cmd.counterId ?? t?.counterId ?? null,
          staffId: cmd.staffId ?? (cmd.kind === 'complaint' ? (t?.servedByStaffId ?? null) : null),
          level: null,
          description: cmd.description,
          departments: cmd.departments,
          complexity: cmd.kind === 'cannot-do' ? cmd.complexity! : null,
          remit: cmd.kind === 'cannot-do' ? cmd.remit! : null,
          ...(applicant ? { applicant } : {}),
        },
        now,
      ),
      ...leads,
    ];
  }
  const c = state.cases.get(cmd.caseId)!;
  switch (cmd.type) {
    case 'case:assign':
      return [{ type: 'case:assigned', at: now, caseId: c.id, staffId: cmd.staffId, by }];
    case 'case:record':
      return [
        {
          type: 'case:step-recorded',
          at: now,
          caseId: c.id,
          step: cmd.step,
          note: cmd.note,
          ...(cmd.department === undefined ? {} : { department: cmd.department }),
          by,
        },
      ];
    case 'case:close':
      return [{ type: 'case:closed', at: now, caseId: c.id, note: cmd.note, by }];
    case 'case:reveal-applicant':
      return [{ type: 'case:applicant-revealed', at: now, caseId: c.id, staffId: by!, reason: cmd.reason }];
    case 'case:check-deadline': {
      // A timer for a deadline met, already acted on, or delivered early: nothing to do.
      const d = pendingDeadline(c, cmd.deadline);
      if (!d) return [];
      if (cmd.phase === 'remind') {
        const at = remindAt(state, c, d.due);
        return d.remindedAt === null && at !== null && now >= at
          ? [{ type: 'case:reminded', at: now, caseId: c.id, deadline: d.name, due: d.due }]
          : [];
      }
      if (d.missedAt !== null || now < d.due) return [];
      return [
        { type: 'case:deadline-missed', at: now, caseId: c.id, deadline: d.name, due: d.due },
        raised(
          id,
          {
            kind: 'case-overdue',
            severity: 'warning',
            rule: c.kind === 'cannot-do' ? 'R14' : 'R36',
            caseId: c.id,
            counterId: c.counterId,
            staffId: c.assignedTo,
            detail: d.name,
            note: c.number,
          },
          now,
        ),
      ];
    }
  }
}

/** When the handler of `c` is reminded of a deadline due at `due` (null: not at all). */
const remindAt = (state: HallState, c: Case, due: number) =>
  reminderAt(
    due,
    c.openedAt,
    state.config.openingHours,
    state.config.timeZone,
    state.config.rules.caseReminderMinutes,
  );

/** The timers of the open cases: a reminder before each running deadline, and its passing (see `Timer`). */
export function caseTimers(state: HallState): Array<{ key: string; at: number; command: Command }> {
  const timers: Array<{ key: string; at: number; command: Command }> = [];
  for (const c of state.cases.values()) {
    if (c.closedAt !== null) continue;
    for (const d of c.deadlines) {
      if (d.metAt !== null || d.waived) continue;
      const remind = d.remindedAt === null ? remindAt(state, c, d.due) : null;
      if (remind !== null)
        timers.push({
          key: `case-remind:${c.id}:${d.name}`,
          at: remind,
          command: { type: 'case:check-deadline', caseId: c.id, deadline: d.name, phase: 'remind' },
        });
      if (d.missedAt === null)
        timers.push({
          key: `case-missed:${c.id}:${d.name}`,
          at: d.due,
          command: { type: 'case:check-deadline', caseId: c.id, deadline: d.name, phase: 'missed' },
        });
    }
  }
  return timers;
}

type CaseEvent = Extract<HallEvent, { type: `case:${string}` }>;

/** What a case event does to the hall's cases. */
export function applyCaseEvent(state: HallState, e: CaseEvent): HallState {
  const put = (c: Case, change: Partial<HallState> = {}): HallState => ({
    ...state,
    ...change,
    cases: new Map(state.cases).set(c.id, c),
  });
  if (e.type === 'case:opened') {
    const named = e.applicant !== undefined;
    const year = Number(e.number.slice(0, 4));
    const c: Case = {
      id: e.caseId,
      kind: e.kind,
      number: e.number,
      openedAt: e.at,
      openedBy: e.by,
      ticketId: e.ticketId,
      ticketNumber: e.ticketNumber,
      serviceIds: e.serviceIds,
      counterId: e.counterId,
      staffId: e.staffId,
      level: e.level,
      description: e.description,
      departments: e.departments,
      complexity: e.complexity,
      remit: e.remit,
      named,
      applicant: maskApplicant(e.applicant),
      assignedTo: null,
      handledBy: null,
      deadlines: e.deadlines.map((d) => ({
        ...d,
        metAt: null,
        remindedAt: null,
        missedAt: null,
        waived: false,
      })),
      entries: [],
      closedAt: null,
    };
    return put(c, {
      caseNumbering: { year, last: Number(e.number.slice(5)) },
      caseApplicants: e.applicant
        ? new Map(state.caseApplicants).set(c.id, e.applicant)
        : state.caseApplicants,
    });
  }
  const c = state.cases.get(e.caseId);
  if (!c) return state;
  const deadline = (name: string, change: (d: Case['deadlines'][number]) => Case['deadlines'][number]) =>
    c.deadlines.map((d) => (d.name === name ? change(d) : d));
  switch (e.type) {
    case 'case:assigned': {
      const name = state.config.staff.find((s) => s.id === e.staffId)?.name ?? e.staffId;
      return put({
        ...c,
        assignedTo: e.staffId,
        entries: [...c.entries, { step: 'assigned', at: e.at, by: e.by, note: name }],
      });
    }
    case 'case:step-recorded':
      return put({
        ...c,
        handledBy: e.department ?? c.handledBy,
        deadlines: c.deadlines.map((d) =>
          MET_BY[d.name] === e.step && d.metAt === null ? { ...d, metAt: e.at } : d,
        ),
        entries: [...c.entries, { step: e.step, at: e.at, by: e.by, note: e.note }],
      });
    case 'case:closed': {
      // The applicant's details were kept to call them back: a closed case lets go of them (R9).
      const caseApplicants = new Map(state.caseApplicants);
      caseApplicants.delete(c.id);
      return put(
        {
          ...c,
          closedAt: e.at,
          deadlines: c.deadlines.map((d) =>
            d.metAt !== null ? d : d.name === 'close' ? { ...d, metAt: e.at } : { ...d, waived: true },
          ),
          entries: [...c.entries, { step: 'closed', at: e.at, by: e.by, note: e.note }],
        },
        { caseApplicants },
      );
    }
    case 'case:reminded':
      return put({ ...c, deadlines: deadline(e.deadline, (d) => ({ ...d, remindedAt: e.at })) });
    case 'case:deadline-missed':
      return put({ ...c, deadlines: deadline(e.deadline, (d) => ({ ...d, missedAt: e.at })) });
    // The reveal is a record of who saw what and why; it changes nothing in the hall.
    case 'case:applicant-revealed':
      return state;
  }
}

/** At the rollover to `day`: open cases stay, closed ones for `CLOSED_CASE_DAYS` after the day they closed. */
export function keptCases(state: HallState, day: string): ReadonlyMap<Id, Case> {
  const since = DateTime.fromISO(day, { zone: state.config.timeZone })
    .minus({ days: CLOSED_CASE_DAYS })
    .toMillis();
  if (![...state.cases.values()].some((c) => c.closedAt !== null && c.closedAt < since)) return state.cases;
  return new Map([...state.cases].filter(([, c]) => c.closedAt === null || c.closedAt >= since));
}
