import { CASE_STEPS, hasStep, type Case, type CaseStep } from './cases.js';
import type { Actor, Command } from './commands.js';
import type { ErrorBody, Id } from './common.js';
import { isStaffOfHall, managerOf, no, type HallFacts } from './hall-facts.js';

/**
 * #13: the rules of the hall's follow-up cases (R14, R33, R36): who opens, handles and closes one,
 * and in what order its steps come. `refusal` hands every `case:` command here.
 */

type CaseCommand = Extract<Command, { type: `case:${string}` }>;

/** The case exists and is still open. */
export function openCase(h: HallFacts, caseId: Id): ErrorBody | null {
  const c = h.case(caseId);
  if (!c) return no('unknown-case', `No case ${caseId}.`);
  if (c.closedAt !== null) return no('case-closed', `Case ${c.number} is closed.`);
  return null;
}

/** A case is handled by the staff member it is assigned to, or by a manager (of this hall, or the city's). */
export function mayHandleCase(h: HallFacts, a: Actor, c: Case): ErrorBody | null {
  if (a.kind === 'staff' && isStaffOfHall(h, a) && c.assignedTo === a.staffId) return null;
  return managerOf(h, a) && no('not-allowed', `Case ${c.number} is handled by its assignee or a manager.`);
}

/**
 * R9: who sees the name and number to call back in full: the case's handler or a manager of this
 * hall (not a city manager or an admin: they do not call applicants back).
 */
export function mayRevealCaseApplicant(h: HallFacts, a: Actor, c: Case): ErrorBody | null {
  if (a.kind !== 'staff' || !isStaffOfHall(h, a))
    return no('not-allowed', 'Only staff of this hall see an applicant’s details.');
  if (c.assignedTo !== a.staffId && !a.roles.includes('manager'))
    return no('not-allowed', `Case ${c.number} is not assigned to you.`);
  if (!c.named) return no('no-applicant-data', `Case ${c.number} has no name or number on file.`);
  return null;
}

/** A step the case's kind goes through, in a state where it makes sense. */
export function stepFits(
  c: Case,
  step: Extract<CaseCommand, { type: 'case:record' }>['step'],
): ErrorBody | null {
  if (!CASE_STEPS[c.kind].includes(step))
    return no('case-step-not-allowed', `A ${c.kind} case is not ${step}.`);
  if (step === 'called-back' && !c.named)
    return no('case-step-not-allowed', `Case ${c.number} left no name or number to call back.`);
  if (step === 'handed-over' && c.remit !== 'inside')
    return no(
      'case-step-not-allowed',
      `Case ${c.number} is outside this hall's remit: tell the applicant where to go.`,
    );
  return null;
}

/** The steps still to take on a case, as the screens offer them: those its kind takes that fit now, not yet recorded. */
export const stepsLeft = (c: Case): CaseStep[] =>
  CASE_STEPS[c.kind].filter((s) => stepFits(c, s) === null && !hasStep(c, s));

/**
 * R36: a named bad review or complaint closes once the applicant was called back; R14: a problem
 * inside the remit closes once a department has it.
 */
export function mayClose(c: Case): ErrorBody | null {
  if ((c.kind === 'bad-review' || c.kind === 'complaint') && c.named && !hasStep(c, 'called-back'))
    return no('case-not-called-back', `Call the applicant of case ${c.number} back before closing it.`);
  if (c.kind === 'cannot-do' && c.remit === 'inside' && !hasStep(c, 'handed-over'))
    return no(
      'case-step-not-allowed',
      `Hand case ${c.number} over to the competent department before closing it.`,
    );
  return null;
}

/** What a new case names exists in this hall. */
function knownRecords(h: HallFacts, cmd: Extract<CaseCommand, { type: 'case:open' }>): ErrorBody | null {
  if (cmd.ticketId !== undefined && !h.ticket(cmd.ticketId))
    return no('unknown-ticket', `No ticket ${cmd.ticketId} today.`);
  const service = cmd.serviceIds.find((id) => !h.services.some((s) => s.id === id));
  if (service) return no('unknown-service', `No service ${service} in this hall.`);
  if (cmd.counterId !== undefined && !h.counters.some((c) => c.id === cmd.counterId))
    return no('unknown-counter', `No counter ${cmd.counterId} in this hall.`);
  if (cmd.staffId !== undefined && !h.account(cmd.staffId))
    return no('unknown-staff', `No staff member ${cmd.staffId} in this hall.`);
  return null;
}

/** Why the hall would refuse a case command from `actor` now (null: it would accept it). */
export function caseRefusal(h: HallFacts, actor: Actor, cmd: CaseCommand): ErrorBody | null {
  if (cmd.type === 'case:open') {
    if (!isStaffOfHall(h, actor) && managerOf(h, actor))
      return no('not-allowed', 'Staff of the hall record problems and complaints.');
    if (cmd.kind === 'cannot-do' && (cmd.complexity === undefined || cmd.remit === undefined))
      return no(
        'invalid-payload',
        'A “办不成事” case says whether it is simple or complex, and inside or outside the remit.',
      );
    return knownRecords(h, cmd);
  }
  const c = h.case(cmd.caseId);
  if (!c) return no('unknown-case', `No case ${cmd.caseId}.`);
  switch (cmd.type) {
    case 'case:assign': {
      const refused = managerOf(h, actor) ?? openCase(h, c.id);
      if (refused) return refused;
      const account = h.account(cmd.staffId);
      if (!account) return no('unknown-staff', `No staff member ${cmd.staffId} in this hall.`);
      if (!account.active) return no('not-allowed', `The account of ${cmd.staffId} is deactivated.`);
      return c.assignedTo === cmd.staffId ? no('no-change', `Case ${c.number} is already theirs.`) : null;
    }
    case 'case:record':
      if ((cmd.step === 'handed-over') !== (cmd.department !== undefined))
        return no('invalid-payload', 'A hand-over names the department, and only a hand-over does.');
      return openCase(h, c.id) ?? mayHandleCase(h, actor, c) ?? stepFits(c, cmd.step);
    case 'case:close':
      return openCase(h, c.id) ?? mayHandleCase(h, actor, c) ?? mayClose(c);
    case 'case:reveal-applicant':
      return mayRevealCaseApplicant(h, actor, c);
    case 'case:check-deadline':
      return null;
  }
}
