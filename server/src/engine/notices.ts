import type { Command, HallEvent, Id, Service, ServiceCatalogue, WrittenNotice } from '@yichuang/protocol';
import { calendarOf, NOTICE_MARK, workingDeadline } from '@yichuang/protocol';
import { DateTime } from 'luxon';
import { CLOSED_CASE_DAYS, deficiencyCase } from './cases.js';
import type { HallState } from './state.js';

/**
 * #13: the service catalogue as the hall runs it (the configuration's, with an admin's changes) and
 * the written notices a counter gives from it (R18, R24, R27).
 */

const services = new WeakMap<ReadonlyMap<Id, ServiceCatalogue>, WeakMap<readonly Service[], Service[]>>();
/** The hall's services with the catalogue entries in force (made once per change). */
export function servicesOf(state: Pick<HallState, 'config' | 'catalogues'>): readonly Service[] {
  if (state.catalogues.size === 0) return state.config.services;
  let byConfig = services.get(state.catalogues);
  if (!byConfig) services.set(state.catalogues, (byConfig = new WeakMap()));
  let list = byConfig.get(state.config.services);
  if (!list)
    byConfig.set(
      state.config.services,
      (list = state.config.services.map((s) => {
        const catalogue = state.catalogues.get(s.id);
        return catalogue ? { ...s, catalogue } : s;
      })),
    );
  return list;
}

type NoticeCommand = Extract<Command, { type: 'ticket:issue-notice' }>;

/** The next number of a kind of notice in the hall's local year of `now`: (2026)告字第000012号. */
function nextNumber(state: HallState, kind: WrittenNotice['kind'], now: number): string {
  const year = DateTime.fromMillis(now, { zone: state.config.timeZone }).year;
  const key = `${year}:${kind}`;
  const seq = (state.noticeNumbering.get(key) ?? 0) + 1;
  return `(${year})${NOTICE_MARK[kind]}字第${String(seq).padStart(6, '0')}号`;
}

/**
 * The events of a notice the rules accepted: the notice, and for an acceptance with materials owed
 * (R27) a deficiency case its clerk follows up until they come in.
 */
export function noticeEffects(
  state: HallState,
  cmd: NoticeCommand,
  id: Id,
  staffId: Id,
  now: number,
): HallEvent[] {
  const t = state.tickets.get(cmd.ticketId)!;
  const catalogue = servicesOf(state).find((s) => s.id === t.serviceId)!.catalogue!;
  const cal = calendarOf(state.config);
  const zone = state.config.timeZone;
  const materials = [...new Set(cmd.materialIds)].map((mid) => {
    const { id: materialId, name, form, copies, note } = catalogue.materials.find((m) => m.id === mid)!;
    return { id: materialId, name, form, copies, note };
  });
  const accepted = cmd.kind === 'acceptance';
  // R27: what is owed and by when, followed up by the clerk who accepted it, with a reminder.
  const owed =
    accepted && materials.length > 0
      ? deficiencyCase(
          state,
          `${id}-owed`,
          t,
          {
            materials: materials.map((m) => m.name).join('、'),
            department: catalogue.department,
            owedDays: catalogue.deficiencyDays,
            staffId,
          },
          now,
        )
      : [];
  const notice: HallEvent = {
    type: 'ticket:notice-issued',
    at: now,
    noticeId: id,
    kind: cmd.kind,
    number: nextNumber(state, cmd.kind, now),
    ticketId: t.id,
    ticketNumber: t.number,
    serviceId: t.serviceId,
    counterId: t.counterId,
    staffId,
    materials,
    reason: cmd.kind === 'non-acceptance' ? cmd.reason : '',
    owedUntil: owed[0]?.deadlines[0]?.due ?? null,
    promisedDays: accepted ? catalogue.promisedDays : null,
    dueBy: accepted
      ? catalogue.promisedDays === 0
        ? DateTime.fromMillis(now, { zone }).endOf('day').toMillis()
        : workingDeadline(now, catalogue.promisedDays, zone, cal)
      : null,
  };
  return [notice, ...owed];
}

/** What a notice event does: the hall keeps the notice (for reprints) and the ticket names it. */
export function applyNotice(
  state: HallState,
  e: Extract<HallEvent, { type: 'ticket:notice-issued' }>,
): HallState {
  const { type: _type, noticeId, at, ...rest } = e;
  const notice: WrittenNotice = { id: noticeId, at, ...rest };
  const key = `${e.number.slice(1, 5)}:${e.kind}`;
  return {
    ...state,
    writtenNotices: new Map(state.writtenNotices).set(noticeId, notice),
    noticeNumbering: new Map(state.noticeNumbering).set(key, Number(e.number.slice(-7, -1))),
  };
}

/** At the rollover to `day`: notices are kept as long as closed cases are (reprints; the history keeps them after, #14). */
export function keptNotices(state: HallState, day: string): ReadonlyMap<Id, WrittenNotice> {
  const since = DateTime.fromISO(day, { zone: state.config.timeZone })
    .minus({ days: CLOSED_CASE_DAYS })
    .toMillis();
  if (![...state.writtenNotices.values()].some((n) => n.at < since)) return state.writtenNotices;
  return new Map([...state.writtenNotices].filter(([, n]) => n.at >= since));
}
