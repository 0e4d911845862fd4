import { callRecord, issuingAt, periodAt, publicEmergencyOf, withCall } from '@yichuang/protocol';
import type { PublicEvent, PublicSnapshot, WaitBand } from '@yichuang/protocol';
import { t } from './i18n.js';

type Counter = PublicSnapshot['counters'][number];

/** How many calls the wall lists. */
export const WALL_CALLS = 8;

function counter(s: PublicSnapshot, id: string, patch: Partial<Counter>): PublicSnapshot {
  return { ...s, counters: s.counters.map((c) => (c.id === id ? { ...c, ...patch } : c)) };
}

function waiting(s: PublicSnapshot, serviceId: string, delta: number): PublicSnapshot {
  return {
    ...s,
    services: s.services.map((x) =>
      x.id === serviceId ? { ...x, waiting: Math.max(0, x.waiting + delta) } : x,
    ),
  };
}

/** Applies a public event to the wall's copy of the hall (pure, so it is tested without a screen). */
export function applyPublicEvent(snapshot: PublicSnapshot, e: PublicEvent): PublicSnapshot {
  let s: PublicSnapshot = { ...snapshot, version: e.version };
  switch (e.type) {
    case 'ticket:issued':
      return waiting(s, e.serviceId, +1);
    case 'ticket:called': {
      if (e.recalls === 0) s = waiting(s, e.serviceId, -1);
      s = counter(s, e.counterId, {
        state: 'calling',
        current: { number: e.number, serviceId: e.serviceId },
      });
      return { ...s, recentCalls: withCall(s.recentCalls, callRecord(e), WALL_CALLS) };
    }
    case 'ticket:started':
      return counter(s, e.counterId, { state: 'serving' });
    case 'ticket:completed': {
      // The hall learnt how long this service takes: the wall's expected waits follow.
      const { handling } = e;
      if (handling)
        s = { ...s, services: s.services.map((x) => (x.id === e.serviceId ? { ...x, handling } : x)) };
      return counter(s, e.counterId, { state: 'open', current: null });
    }
    case 'ticket:no-show':
      return counter(s, e.counterId, { state: 'open', current: null });
    case 'ticket:transferred':
      return counter(waiting(s, e.toServiceId, +1), e.counterId, { state: 'open', current: null });
    case 'ticket:requeued':
      return counter(waiting(s, e.serviceId, +1), e.counterId, { state: 'open', current: null });
    case 'ticket:cancelled':
    case 'ticket:carried-over':
      return waiting(s, e.serviceId, -1);
    case 'counter:opened':
    case 'counter:covered':
      return counter(s, e.counterId, {
        state: 'open',
        current: null,
        staff: { name: e.staffName, badge: e.staffBadge },
      });
    case 'counter:paused':
      return counter(s, e.counterId, { state: 'paused' });
    case 'counter:resumed':
      return counter(s, e.counterId, { state: 'open' });
    case 'counter:closed':
      return counter(s, e.counterId, { state: 'closed', current: null, staff: null });
    case 'counter:absence-exceeded':
      return s;
    case 'counter:services-changed':
      return counter(s, e.counterId, { serviceIds: e.serviceIds });
    case 'ticket:moved':
      return waiting(waiting(s, e.serviceId, -1), e.toServiceId, +1);
    case 'service:issuing-changed':
      return {
        ...s,
        services: s.services.map((x) => (x.id === e.serviceId ? { ...x, issuing: e.open } : x)),
      };
    case 'hall:notice-posted':
      return { ...s, notices: [{ id: e.noticeId, text: e.text, at: e.at }, ...s.notices] };
    case 'hall:notice-removed':
      return { ...s, notices: s.notices.filter((n) => n.id !== e.noticeId) };
    case 'hall:emergency-declared':
      return { ...s, emergency: publicEmergencyOf(e) };
    case 'hall:emergency-cleared':
      return s.emergency?.id === e.emergencyId ? { ...s, emergency: null } : s;
  }
}

/**
 * An expected wait as a person reads it: minutes with the band nine in ten calls fall in, that the
 * call is imminent, or that no window serves the service now.
 */
export function waitText(wait: WaitBand | null): string {
  if (wait === null) return t('waitUnknown');
  if (wait.high === 0) return t('callSoon');
  return wait.low === wait.high
    ? t('minutes', { n: wait.minutes })
    : t('minutesBand', { n: wait.minutes, low: wait.low, high: wait.high });
}

/** A wall cell's wait: the minutes in full size and the band beside them in small print (null: none). */
export function waitCell(wait: WaitBand | null): { main: string; band: string | null } {
  if (wait === null || wait.high === 0 || wait.low === wait.high) return { main: waitText(wait), band: null };
  return { main: t('minutes', { n: wait.minutes }), band: `${wait.low}–${wait.high}` };
}

/** A clock time in the hall's zone, as the screens print it (16:40). */
export function clockText(at: number, timeZone: string, lang: 'zh' | 'en'): string {
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/**
 * R26 as the kiosk shows it at `now`: may tickets be taken, until when, and when not, when again.
 * The hub decides with the same function (`issuingAt`); this only says it first.
 */
export function kioskHours(hall: PublicSnapshot['hall'], now: number) {
  if (hall.issuing === 'always') {
    const closesAt = periodAt(hall.openingHours, hall.timeZone, now)?.closesAt ?? null;
    return { open: true as const, closesAt, lastTicketAt: null };
  }
  const w = issuingAt(hall.openingHours, hall.timeZone, hall.lastTicketMinutes, now);
  return w.open ? { open: true as const, closesAt: w.closesAt, lastTicketAt: w.lastTicketAt } : w;
}
