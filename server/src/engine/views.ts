import type {
  Account,
  DeviceView,
  Emergency,
  PublicEmergency,
  HallInfo,
  Id,
  PublicSnapshot,
  StaffSnapshot,
  Ticket,
  TicketView,
} from '@yichuang/protocol';
import {
  accountOf,
  alertOrder,
  caseOrder,
  estimateKey,
  periodAt,
  priorEstimate,
  PROTOCOL_VERSION,
  staffingRatio,
  ticketWait,
} from '@yichuang/protocol';
import { factsOf } from './facts.js';
import { servicesOf } from './notices.js';
import { aheadOf, waitingByService } from './policies/ordering.js';
import { estimateList, type HallState } from './state.js';

function hallInfo(state: HallState): HallInfo {
  const { id, name, nameEn, level, timeZone, openingHours, rules } = state.config;
  return {
    id,
    name,
    nameEn,
    level,
    timeZone,
    openingHours,
    issuing: rules.issuing,
    lastTicketMinutes: rules.lastTicketMinutes,
  };
}

/** What a public screen shows: numbers, windows and staff on duty, never an applicant (R9, R29). */
export function publicSnapshot(state: HallState): PublicSnapshot {
  const waiting = waitingByService(state);
  return {
    protocolVersion: PROTOCOL_VERSION,
    version: state.version,
    hall: hallInfo(state),
    services: state.config.services.map((s) => ({
      id: s.id,
      code: s.code,
      name: s.name,
      nameEn: s.nameEn,
      prefix: s.prefix,
      category: s.category,
      categoryEn: s.categoryEn,
      expectedMinutes: s.expectedMinutes,
      identification: s.identification,
      waiting: waiting.get(s.id) ?? 0,
      issuing: !state.issuingPaused.includes(s.id),
      handling: state.estimates.get(estimateKey(s.id, null)) ?? priorEstimate(s.expectedMinutes),
    })),
    counters: state.config.counters.map((c) => {
      const live = state.counters.get(c.id);
      const staff = state.config.staff.find((s) => s.id === live?.staffId);
      const ticket = live?.ticketId ? state.tickets.get(live.ticketId) : undefined;
      return {
        id: c.id,
        number: c.number,
        type: c.type,
        serviceIds: live?.serviceIds ?? c.serviceIds,
        floor: c.floor,
        zone: c.zone,
        state: live?.state ?? 'closed',
        staff: staff ? { name: staff.name, badge: staff.badge } : null,
        current: ticket ? { number: ticket.number, serviceId: ticket.serviceId } : null,
      };
    }),
    recentCalls: [...state.recentCalls],
    notices: [...state.notices],
    emergency: state.emergency && publicEmergency(state.emergency),
  };
}

/** What the public sees of an emergency: what it is and what to do, not who declared it or where it showed. */
function publicEmergency(e: Emergency): PublicEmergency {
  const { id, kind, text, stopsIssuing, evacuate, declaredAt } = e;
  return { id, kind, text, stopsIssuing, evacuate, declaredAt };
}

/** What staff and managers see: the whole hall, without account secrets. */
export function staffSnapshot(state: HallState): StaffSnapshot {
  return {
    protocolVersion: PROTOCOL_VERSION,
    version: state.version,
    hall: hallInfo(state),
    services: [...servicesOf(state)],
    counters: state.config.counters,
    staff: state.config.staff.map(({ id, name, badge }) => ({ id, name, badge })),
    counterStatus: [...state.counters.values()],
    devices: state.config.devices.map((d) => deviceView(state, d.id)!),
    numberBlocks: [...state.numberBlocks],
    tickets: [...state.tickets.values()],
    recentCalls: [...state.recentCalls],
    notices: [...state.notices],
    issuingPaused: [...state.issuingPaused],
    estimates: estimateList(state),
    routing: state.routing,
    rules: state.config.rules,
    alerts: [...state.alerts.values()].sort(alertOrder),
    emergency: state.emergency,
    carryOvers: [...state.carryOvers.values()],
    leave: [...state.leave.values()],
    accounts: accountList(state),
    deviceBlocks: [...state.deviceBlocks.values()],
    cases: [...state.cases.values()].sort(caseOrder),
    writtenNotices: [...state.writtenNotices.values()],
    staffing: staffingRatio(state.config.staff, state.config.counters.length),
  };
}

/** R8: every staff account of the hall as it is now (configured, changed by managers and admins). */
export function accountList(state: HallState): Account[] {
  return state.config.staff.map((s) => accountOf(state.config, state.accounts, s.id)!);
}

/** A configured device with its health, as staff see it. */
export function deviceView(state: HallState, id: Id): DeviceView | null {
  const d = state.config.devices.find((x) => x.id === id);
  if (!d) return null;
  return {
    id: d.id,
    kind: d.kind,
    counterId: d.counterId ?? null,
    pairedWith: d.pairedWith ?? null,
    health: state.deviceHealth.get(d.id) ?? null,
  };
}

/** A ticket as its holder sees it on the kiosk slip or the phone, at instant `now`. */
export function ticketView(state: HallState, t: Ticket, now: number): TicketView {
  const counter = state.config.counters.find((c) => c.id === t.counterId);
  const wait = ticketWait(factsOf(state), t);
  const closesAt = periodAt(state.config.openingHours, state.config.timeZone, now)?.closesAt ?? null;
  const carried = t.carryOver ? state.carryOvers.get(t.carryOver) : undefined;
  const servedBy = state.config.staff.find((s) => s.id === t.servedByStaffId);
  return {
    id: t.id,
    hallId: state.config.id,
    number: t.number,
    serviceId: t.serviceId,
    priority: t.priority,
    status: t.status,
    issuedAt: t.issuedAt,
    ahead: aheadOf(state, t),
    wait,
    counterId: t.counterId,
    counterNumber: counter?.number ?? null,
    recalls: t.recalls,
    closesAt,
    // R26: told when they take the ticket and while they wait.
    pastClosing:
      t.status === 'waiting' &&
      closesAt !== null &&
      (wait === null || now + wait.minutes * 60_000 > closesAt),
    carryOver: carried ? { code: carried.code, validUntil: carried.validUntil } : null,
    servedBy: servedBy ? { name: servedBy.name, badge: servedBy.badge } : null,
    rating: t.rating ? { level: t.rating.level } : null,
    ratingOpenUntil:
      t.status === 'completed' && !t.rating && !t.ratingNotGiven && t.endedAt !== null
        ? t.endedAt + state.config.rules.ratingWindowMinutes * 60_000
        : null,
  };
}
