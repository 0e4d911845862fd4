import { catalogueProblem, type ServiceCatalogue } from './catalogue.js';
import type { Actor, Command } from './commands.js';
import type { ErrorBody } from './common.js';
import { adminOf, isStaffOfHall, no, type HallFacts } from './hall-facts.js';

/**
 * #13: the rules of the service catalogue and the written notices (R18, R24, R27, R39): an admin
 * keeps the catalogue; the clerk who has or served a ticket gives its notices from it.
 */

type CatalogueCommand = Extract<Command, { type: 'service:set-catalogue' }>;
type NoticeCommand = Extract<Command, { type: 'ticket:issue-notice' }>;

/** Admins keep the catalogue, and what they put in must hold together. */
export function catalogueRefusal(h: HallFacts, actor: Actor, cmd: CatalogueCommand): ErrorBody | null {
  const refused = adminOf(actor);
  if (refused) return no('not-allowed', 'The service catalogue is kept by the admins.');
  if (!h.services.some((s) => s.id === cmd.serviceId))
    return no('unknown-service', `No service ${cmd.serviceId} in this hall.`);
  const problem = catalogueProblem(cmd.catalogue, new Set(h.staff.map((s) => s.id)));
  return problem ? no('invalid-payload', problem) : null;
}

/** The ticket is at this clerk's counter now, or they served it (or the actor is the hall's manager). */
function theirs(h: HallFacts, actor: Actor, ticketId: string): ErrorBody | null {
  if (actor.kind !== 'staff' || !isStaffOfHall(h, actor))
    return no('not-allowed', 'Notices are given by the hall’s window staff.');
  const t = h.ticket(ticketId);
  if (!t) return no('unknown-ticket', `No ticket ${ticketId}.`);
  const atTheirCounter =
    (t.status === 'called' || t.status === 'serving') &&
    t.counterId !== null &&
    h.counterStatus(t.counterId)?.staffId === actor.staffId;
  if (atTheirCounter || t.servedByStaffId === actor.staffId || actor.roles.includes('manager')) return null;
  return no('not-allowed', `Ticket ${t.number} is not one you are serving or served.`);
}

/** The materials named are the service's, and fit the notice (R24: at least one missing; R27: only what may be owed). */
function materialsFit(c: ServiceCatalogue, cmd: NoticeCommand): ErrorBody | null {
  const unknown = cmd.materialIds.find((id) => !c.materials.some((m) => m.id === id));
  if (unknown) return no('invalid-payload', `Material ${unknown} is not in the service's list.`);
  if (cmd.kind === 'one-time' && cmd.materialIds.length === 0)
    return no(
      'invalid-payload',
      'A one-time notice lists the materials that are missing: tick at least one.',
    );
  if (cmd.kind === 'acceptance') {
    const notOwed = cmd.materialIds.find((id) => !c.materials.find((m) => m.id === id)!.deficiencyAllowed);
    if (notOwed)
      return no(
        'invalid-payload',
        `Material ${notOwed} may not be owed (容缺): give a one-time notice instead.`,
      );
  }
  if (cmd.kind === 'non-acceptance' && cmd.reason.length < 2)
    return no('invalid-payload', 'A non-acceptance notice says why.');
  return null;
}

/** Why the hall would refuse a notice now (null: it would give it). */
export function noticeRefusal(h: HallFacts, actor: Actor, cmd: NoticeCommand): ErrorBody | null {
  const refused = theirs(h, actor, cmd.ticketId);
  if (refused) return refused;
  const t = h.ticket(cmd.ticketId)!;
  const service = h.services.find((s) => s.id === t.serviceId)!;
  if (!service.catalogue)
    return no(
      'not-in-catalogue',
      `${service.name} has no catalogue entry: an admin adds its materials first.`,
    );
  // R39: a service is accepted only by the staff its department authorised (when it names any).
  const authorised = service.catalogue.authorisedStaff;
  if (
    cmd.kind === 'acceptance' &&
    authorised.length > 0 &&
    actor.kind === 'staff' &&
    !authorised.includes(actor.staffId)
  )
    return no('not-allowed', `You are not authorised to accept ${service.name} (R39).`);
  return materialsFit(service.catalogue, cmd);
}
