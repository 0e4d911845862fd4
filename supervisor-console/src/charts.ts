import type { Counter, Service, Ticket } from '@yichuang/protocol';

const QUARTER = 15 * 60_000;

/** Labels `HH:MM` of the 15-minute buckets from `from` to `to` in a time zone. */
export function quarterLabels(from: number, to: number, timeZone: string): string[] {
  const f = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone, hour12: false });
  const out: string[] = [];
  for (let t = from; t < to; t += QUARTER) out.push(f.format(t));
  return out;
}

/** Arrivals (tickets issued) and first calls per 15 minutes between `from` and `to`. */
export function arrivalsAndCalls(tickets: readonly Ticket[], from: number, to: number) {
  const n = Math.max(0, Math.ceil((to - from) / QUARTER));
  const arrivals = new Array<number>(n).fill(0);
  const calls = new Array<number>(n).fill(0);
  const bucket = (t: number) => Math.floor((t - from) / QUARTER);
  for (const t of tickets) {
    const a = bucket(t.issuedAt);
    if (a >= 0 && a < n) arrivals[a]!++;
    if (t.calledAt !== null) {
      const c = bucket(t.calledAt);
      if (c >= 0 && c < n) calls[c]!++;
    }
  }
  return { arrivals, calls };
}

/** How many tickets were waiting at the end of each quarter hour (the last one ends at `to`). */
export function waitingOverDay(tickets: readonly Ticket[], from: number, to: number): number[] {
  const out: number[] = [];
  for (let start = from; start < to; start += QUARTER) {
    const t = Math.min(start + QUARTER, to);
    out.push(tickets.filter((x) => x.issuedAt <= t && (x.calledAt ?? x.endedAt ?? Infinity) > t).length);
  }
  return out;
}

/** Wait bands (minutes from issue to first call) used by the distribution chart. */
export const WAIT_BANDS = [
  [0, 5],
  [5, 10],
  [10, 20],
  [20, 30],
  [30, Infinity],
] as const;

/** Per service, how many called tickets waited within each band. */
export function waitDistribution(tickets: readonly Ticket[], services: readonly Service[]) {
  return services.map((s) => {
    const counts = WAIT_BANDS.map(() => 0);
    for (const t of tickets) {
      if (t.serviceId !== s.id || t.calledAt === null) continue;
      const minutes = (t.calledAt - t.issuedAt) / 60_000;
      const i = WAIT_BANDS.findIndex(([lo, hi]) => minutes >= lo && minutes < hi);
      counts[i]!++;
    }
    return { serviceId: s.id, counts };
  });
}

/** Share of the period each counter spent with an applicant (from call or start to the end). */
export function utilisation(
  tickets: readonly Ticket[],
  counters: readonly Counter[],
  from: number,
  to: number,
) {
  const span = Math.max(1, to - from);
  return counters.map((c) => {
    let busy = 0;
    for (const t of tickets) {
      const start = t.startedAt ?? t.calledAt;
      if (t.counterId !== c.id || start === null) continue;
      const end = t.endedAt ?? to;
      busy += Math.max(0, Math.min(end, to) - Math.max(start, from));
    }
    return { counterId: c.id, share: Math.min(1, busy / span) };
  });
}
