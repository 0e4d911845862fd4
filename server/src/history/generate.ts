import { DateTime } from 'luxon';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Actor, Command, HallConfig, Id, Outcome, VersionedEvent } from '@yichuang/protocol';
import { calendarOf, stepsLeft } from '@yichuang/protocol';
import { dueTimers, initialState, transition, type HallState } from '../engine/index.js';
import { Agenda } from '../simulation/agenda.js';

const MINUTE = 60_000;

export type GenerateOptions = {
  /** The first day to generate (the hall's local date). */
  from: string;
  /** How many calendar days (closed days are skipped: weekends, holidays, days without opening hours). */
  days: number;
  seed: number;
  /** Applicants on a full weekday with every rostered window open (fewer windows or hours, fewer applicants). */
  perDay?: number;
};

/** What the generator hands over for each generated day: its events, versioned after the ones before. */
export type GeneratedDay = { day: string; events: VersionedEvent[] };

/** Mean handling minutes per service kind: consultations are short, real estate and companies long. */
const handlingMinutes = (serviceId: Id) =>
  /consult/.test(serviceId) ? 4 : /real-estate|business/.test(serviceId) ? 16 : 9;

/** How the day's arrivals spread over its opening hours: a morning peak, a lunch dip, a smaller afternoon peak. */
const arrivalWeight = (hour: number) =>
  hour < 9
    ? 0
    : hour < 10
      ? 1.6
      : hour < 11
        ? 1.8
        : hour < 12
          ? 1.2
          : hour < 14
            ? 0.6
            : hour < 16
              ? 1.1
              : 0.7;

/** Mostly very satisfied, a few bad reviews (each opens a follow-up case, R36). */
const LEVELS: ReadonlyArray<[number, number]> = [
  [5, 0.78],
  [4, 0.14],
  [3, 0.05],
  [2, 0.02],
  [1, 0.01],
];

const OUTCOMES: ReadonlyArray<[Outcome, number]> = [
  ['accepted', 0.62],
  ['assisted', 0.2],
  ['one-time-notice', 0.1],
  ['not-accepted', 0.03],
  ['consultation-only', 0.05],
];

/**
 * #14: realistic history of a hall, written through the real engine (commands decided and applied
 * as the hub does, its timers delivered when due): the rostered staff open their counters, applicants
 * arrive by time of day, counters call, serve and complete with outcomes, some do not show, most rate
 * on the evaluator pad (a few badly, which opens follow-up cases), and the counters close after the
 * last applicant. Deterministic for a seed. Yields day by day, so a year never sits in memory.
 */
export function* generateHistory(config: HallConfig, opts: GenerateOptions): Generator<GeneratedDay> {
  const gen = xoroshiro128plus(opts.seed);
  const random = () => uniformFloat64(gen);
  const exponential = (mean: number) => -Math.log(1 - random()) * mean;
  const pick = <T>(weighted: ReadonlyArray<[T, number]>): T => {
    let r = random() * weighted.reduce((s, [, w]) => s + w, 0);
    for (const [v, w] of weighted) if ((r -= w) <= 0) return v;
    return weighted[weighted.length - 1]![0];
  };
  const calendar = calendarOf(config);
  const dispenser = config.devices.find((d) => d.kind === 'dispenser');
  if (!dispenser) throw new Error(`Hall ${config.id} has no dispenser to issue tickets from.`);
  const evaluatorOf = new Map(
    config.devices.filter((d) => d.kind === 'evaluator' && d.counterId).map((d) => [d.counterId!, d.id]),
  );
  // The kiosk's services that need no ID number (those that do are taken at the desk, #12).
  const services = config.services.filter((s) => s.id !== 'cannot-get-done' && s.identification === 'none');
  const perDay = opts.perDay ?? 300;
  const manager = config.staff.find((x) => x.roles.includes('manager'));
  /** The windows a full weekday opens (the roster's, a window once). */
  const windows = Math.max(1, new Set(config.roster.map((r) => r.counterId).filter(Boolean)).size);

  /**
   * The hall opens on its working days, and on the weekend days its hours name unless they fall in a
   * holiday (the Friday before and the Monday after are working days then).
   */
  const opens = (d: DateTime) => {
    if (calendar.isWorkingDay(d.toISODate()!)) return true;
    if (d.weekday < 6) return false;
    const friday = d.minus({ days: d.weekday - 5 });
    return (
      calendar.isWorkingDay(friday.toISODate()!) &&
      calendar.isWorkingDay(friday.plus({ days: 3 }).toISODate()!)
    );
  };
  let state: HallState = initialState(config);
  let idSeq = 0;
  let day = DateTime.fromISO(opts.from, { zone: config.timeZone });
  for (let d = 0; d < opts.days; d++, day = day.plus({ days: 1 })) {
    const iso = day.toISODate()!;
    const weekday = (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const)[day.weekday - 1]!;
    const hours = config.openingHours[weekday] ?? [];
    if (hours.length === 0 || !opens(day)) continue;
    const at = (clock: string) => DateTime.fromISO(`${iso}T${clock}`, { zone: config.timeZone }).toMillis();
    const openAt = at(hours[0]!.open);
    const closeAt = at(hours[hours.length - 1]!.close);
    const events: VersionedEvent[] = [];

    /** Delivers the hall's timers due by `now`, then decides `command`; what is refused changes nothing. */
    const act = (command: Command, actor: Actor, at: number) => {
      // Clocks give whole milliseconds (the history stores them as integers).
      const now = Math.round(at);
      for (const t of dueTimers(state)
        .filter((x) => x.at <= now)
        .sort((a, b) => a.at - b.at)) {
        const r = transition(
          state,
          { command: t.command, actor: { kind: 'system' }, id: `g${++idSeq}` },
          // As the hub's scheduler: when it comes due, never before what the hall already did.
          Math.max(t.at, state.lastAt),
        );
        if (r.ok) {
          state = r.state;
          events.push(...r.events);
        }
      }
      const r = transition(state, { command, actor, id: `g${++idSeq}` }, now);
      if (r.ok) {
        state = r.state;
        events.push(...r.events);
      }
      return r;
    };

    // Who is rostered today opens their counter (a few are away); each counter's own services.
    const rostered = config.roster.filter((r) => r.days.includes(weekday));
    const free = new Map<Id, number>();
    const staffAt = new Map<Id, Actor>();
    for (const r of rostered) {
      if (!r.counterId || random() < 0.02 || free.has(r.counterId)) continue;
      const me: Actor = { kind: 'staff', staffId: r.staffId, roles: ['staff'] };
      const opened = act(
        { type: 'counter:open', counterId: r.counterId, staffId: r.staffId },
        me,
        at(r.from),
      );
      if (!opened.ok) continue;
      free.set(r.counterId, at(r.from));
      staffAt.set(r.counterId, me);
    }

    // Each service draws applicants in proportion to what today's open windows can serve of it
    // (the windows that serve it, over its handling time): a hall is staffed for its demand.
    const mix: Array<[Id, number]> = services.map((s) => [
      s.id,
      config.counters.filter((c) => staffAt.has(c.id) && c.serviceIds.includes(s.id)).length /
        handlingMinutes(s.id),
    ]);

    // Arrivals by time of day; a Saturday morning has its share of a weekday.
    const openHours = (closeAt - openAt) / (60 * MINUTE);
    // A day's applicants scale with its hours and its open windows (a Saturday morning, an absence).
    const expected = perDay * Math.min(1, openHours / 8) * (staffAt.size / windows) * (0.85 + random() * 0.3);
    const arrivals: Array<{ at: number; serviceId: Id }> = [];
    let weightSum = 0;
    const hourOf = (t: number) => DateTime.fromMillis(t, { zone: config.timeZone }).hour;
    for (let h = 0; h < openHours; h++) weightSum += arrivalWeight(hourOf(openAt + h * 60 * MINUTE));
    for (let h = 0; h < openHours; h++) {
      const hourStart = openAt + h * 60 * MINUTE;
      const perMinute = (expected * arrivalWeight(hourOf(hourStart))) / weightSum / 60;
      let t = hourStart + exponential(1 / perMinute) * MINUTE;
      while (t < hourStart + 60 * MINUTE && t < closeAt) {
        arrivals.push({ at: t, serviceId: pick(mix) });
        t += exponential(1 / perMinute) * MINUTE;
      }
    }

    // Every step happens in time order, as in a hall: arrivals, and each counter's call, start,
    // completion and rating, on one agenda.
    const agenda = new Agenda();
    const idle = new Set<Id>();
    let issuing = true;

    /** A free counter calls whoever the hall's routing gives it, or waits for the next applicant. */
    const call = (counterId: Id, now: number) => {
      const me = staffAt.get(counterId)!;
      const called = act({ type: 'counter:call-next', counterId }, me, now);
      const e = called.ok ? called.events.find((x) => x.type === 'ticket:called') : undefined;
      if (!e || e.type !== 'ticket:called') {
        idle.add(counterId);
        if (!issuing && [...staffAt.keys()].every((id) => idle.has(id))) closeDay(now);
        return;
      }
      if (random() < 0.05) {
        agenda.push(now + 2 * MINUTE, () => {
          act({ type: 'counter:no-show', counterId }, me, now + 2 * MINUTE);
          call(counterId, now + 2 * MINUTE);
        });
        return;
      }
      const startAt = now + MINUTE;
      const took =
        Math.max(1, exponential(handlingMinutes(state.tickets.get(e.ticketId)!.serviceId))) * MINUTE;
      agenda.push(startAt, () => act({ type: 'counter:start', counterId }, me, startAt));
      agenda.push(startAt + took, () => {
        act({ type: 'counter:complete', counterId, outcome: pick(OUTCOMES) }, me, startAt + took);
        const evaluator = evaluatorOf.get(counterId);
        const rateAt = startAt + took + 20_000;
        if (evaluator && random() < 0.8)
          agenda.push(rateAt, () =>
            act(
              { type: 'ticket:rate', ticketId: e.ticketId, level: pick(LEVELS) },
              { kind: 'device', deviceId: evaluator },
              rateAt,
            ),
          );
        agenda.push(rateAt + 10_000, () => next(counterId, rateAt + 10_000));
      });
    };

    /**
     * Between applicants a clerk takes their one break of the day, mid-morning or later, some of them
     * past the hall's absence limit (R6); then they call again.
     */
    const rested = new Set<Id>();
    const next = (counterId: Id, now: number) => {
      if (rested.has(counterId) || now < openAt + 90 * MINUTE || random() < 0.9) return call(counterId, now);
      rested.add(counterId);
      const me = staffAt.get(counterId)!;
      const back = now + (8 + random() * 10) * MINUTE;
      act({ type: 'counter:pause', counterId, reason: 'break', note: '' }, me, now);
      agenda.push(back, () => {
        act({ type: 'counter:resume', counterId }, me, back);
        call(counterId, back);
      });
    };

    let closed = false;
    /** After the last applicant: the counters close; whoever nobody here could serve today leaves. */
    const closeDay = (now: number) => {
      if (closed) return;
      closed = true;
      const last = Math.max(now, closeAt);
      for (const [counterId, me] of staffAt) act({ type: 'counter:close', counterId }, me, last);
      for (const t of [...state.queues.byService.values()].flat())
        if (manager)
          act(
            { type: 'ticket:cancel', ticketId: t.id },
            { kind: 'staff', staffId: manager.id, roles: manager.roles },
            last,
          );
    };

    // The manager follows up yesterday's bad reviews in the morning (R36): every step, then closed.
    if (manager) {
      const me: Actor = { kind: 'staff', staffId: manager.id, roles: manager.roles };
      const followUpAt = openAt + 30 * MINUTE;
      agenda.push(followUpAt, () => {
        for (const c of [...state.cases.values()].filter((x) => x.closedAt === null)) {
          for (const step of stepsLeft(c))
            act({ type: 'case:record', caseId: c.id, step, note: '已核实并整改' }, me, followUpAt);
          act({ type: 'case:close', caseId: c.id, note: '已办结' }, me, followUpAt);
        }
        // And clears what yesterday's alerts asked of the hall.
        for (const a of [...state.alerts.values()].filter((x) => x.resolvedAt === null))
          act({ type: 'alert:resolve', alertId: a.id, note: '已处理' }, me, followUpAt);
      });
    }
    for (const [counterId, from] of free) agenda.push(from, () => call(counterId, from));
    for (const a of arrivals)
      agenda.push(a.at, () => {
        act(
          { type: 'ticket:issue', serviceId: a.serviceId, priority: 'normal' },
          { kind: 'device', deviceId: dispenser.id },
          a.at,
        );
        for (const counterId of [...idle]) {
          idle.delete(counterId);
          call(counterId, a.at);
        }
      });
    agenda.push(closeAt, () => {
      issuing = false;
      // Counters still serving close when they have called their last applicant.
      if ([...staffAt.keys()].every((id) => idle.has(id))) closeDay(closeAt);
    });
    for (let step = agenda.pop(); step; step = agenda.pop()) step.run();
    closeDay(closeAt);
    yield { day: iso, events };
  }
}
