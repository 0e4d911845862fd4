import type { Id } from './common.js';
import type { CounterState } from './ticket.js';

/**
 * The expected wait, in minutes, of `ahead` tickets for a service: each takes the service's
 * handling minutes, shared by the counters serving it now (open, calling or serving; a paused or
 * closed window serves nobody). Null when no counter serves it now: there is no honest number to
 * show. One rule for the wall, the kiosk, the phone and the console; the balancing issue (#10)
 * replaces it with a learnt prediction and a band.
 */
export function expectedWaitMinutes(
  ahead: number,
  handlingMinutes: number,
  counters: readonly { state: CounterState; serviceIds: readonly Id[] }[],
  serviceId: Id,
): number | null {
  const serving = counters.filter(
    (c) =>
      (c.state === 'open' || c.state === 'calling' || c.state === 'serving') &&
      c.serviceIds.includes(serviceId),
  ).length;
  if (serving === 0) return null;
  return Math.ceil((ahead * handlingMinutes) / serving);
}
