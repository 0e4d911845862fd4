import { Account, DeviceBlock } from './access.js';
import { z } from 'zod';
import { Alert, alertOrder } from './alerts.js';
import { Case, caseOrder } from './cases.js';
import { WrittenNotice } from './catalogue.js';
import { Routing, Service } from './hall.js';
import { Emergency } from './emergencies.js';
import { Leave } from './leave.js';
import { Id } from './common.js';
import type { VersionedEvent } from './events.js';
import { CarryOver, CounterStatus, Ticket } from './ticket.js';
import { HandlingEstimate } from './waits.js';
import { callRecord, DeviceView, NumberBlock, Notice, withCall, type StaffSnapshot } from './views.js';

/**
 * What a staff client gets with each event on `/counter` and `/supervisor`: the records the event
 * touched, as they are once the event's batch is applied. Replacing them by id keeps a snapshot
 * current without a second engine in the browser, and applying one twice changes nothing.
 */
export const StaffEventAfter = z.object({
  ticket: Ticket.nullable(),
  counter: CounterStatus.nullable(),
  notices: z.array(Notice),
  issuingPaused: z.array(Id),
  /** The device a health event concerns. */
  device: DeviceView.nullable().default(null),
  numberBlocks: z.array(NumberBlock).default([]),
  /** The learnt handling times, after an event that taught the hall something (null: unchanged). */
  estimates: z.array(HandlingEstimate).nullable().default(null),
  routing: Routing.optional(),
  /** The alert an alert event concerns, as it is now. */
  alert: Alert.nullable().default(null),
  /** The emergency after an emergency event (absent: unchanged). */
  emergency: Emergency.nullable().optional(),
  /** The leave recorded, after a leave event (absent: unchanged). */
  leave: z.array(Leave).optional(),
  /** The carry-over codes, after a carry-over or an exchange (absent: unchanged). */
  carryOvers: z.array(CarryOver).optional(),
  /** The accounts, after an account event (absent: unchanged). */
  accounts: z.array(Account).optional(),
  /** The deactivated devices, after a device is deactivated or reactivated (absent: unchanged). */
  deviceBlocks: z.array(DeviceBlock).optional(),
  /** The case a case event concerns (or a bad review opened), as it is now. */
  case: Case.nullable().default(null),
  /** The notice a notice event gave. */
  notice: WrittenNotice.nullable().default(null),
  /** The services with their catalogue entries, after an admin changed one (absent: unchanged). */
  services: z.array(Service).optional(),
});
export type StaffEventAfter = z.infer<typeof StaffEventAfter>;

/** An event as the staff namespaces carry it. */
export type StaffEvent = VersionedEvent & { after: StaffEventAfter };

/** Brings a staff snapshot up to an event (pure). */
export function applyStaffEvent(s: StaffSnapshot, e: StaffEvent): StaffSnapshot {
  const {
    ticket,
    counter,
    notices,
    issuingPaused,
    device,
    numberBlocks,
    estimates,
    routing,
    alert,
    emergency,
    leave,
    carryOvers,
    accounts,
    deviceBlocks,
    case: changed,
    notice,
    services,
  } = e.after;
  const tickets = ticket
    ? s.tickets.some((t) => t.id === ticket.id)
      ? s.tickets.map((t) => (t.id === ticket.id ? ticket : t))
      : [...s.tickets, ticket]
    : s.tickets;
  const counterStatus = counter
    ? s.counterStatus.map((c) => (c.id === counter.id ? counter : c))
    : s.counterStatus;
  const recentCalls = e.type === 'ticket:called' ? withCall(s.recentCalls, callRecord(e)) : s.recentCalls;
  const devices = device ? s.devices.map((d) => (d.id === device.id ? device : d)) : s.devices;
  const alerts = alert ? [alert, ...s.alerts.filter((a) => a.id !== alert.id)].sort(alertOrder) : s.alerts;
  const cases = changed ? [changed, ...s.cases.filter((c) => c.id !== changed.id)].sort(caseOrder) : s.cases;
  return {
    ...s,
    version: e.version,
    tickets,
    counterStatus,
    recentCalls,
    notices,
    issuingPaused,
    devices,
    numberBlocks,
    estimates: estimates ?? s.estimates,
    routing: routing ?? s.routing,
    alerts,
    emergency: emergency === undefined ? s.emergency : emergency,
    leave: leave ?? s.leave,
    carryOvers: carryOvers ?? s.carryOvers,
    accounts: accounts ?? s.accounts,
    deviceBlocks: deviceBlocks ?? s.deviceBlocks,
    cases,
    writtenNotices: notice
      ? [...s.writtenNotices.filter((n) => n.id !== notice.id), notice]
      : s.writtenNotices,
    services: services ?? s.services,
  };
}
