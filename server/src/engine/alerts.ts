import type { Alert, AlertKind, Command, HallEvent, Id, Severity } from '@yichuang/protocol';
import {
  ALERT_RULE,
  isCoverAlert,
  isOpenAt,
  MAX_ESCALATIONS,
  MET_BY,
  type DeadlineName,
} from '@yichuang/protocol';
import type { HallState } from './state.js';

/**
 * The alerts' life in one place: how one is raised, which events end its cause (the hall then
 * resolves it itself), and what each alert event does to the state. Every rule that raises one
 * (absence, empty post, devices, incidents, the pre-shift check) calls `raised`.
 */

const MINUTE = 60_000;

/** What a rule says when it raises an alert. */
export type Raise = {
  kind: AlertKind;
  severity: Severity;
  counterId?: Id | null;
  staffId?: Id | null;
  deviceId?: Id | null;
  detail?: string;
  note?: string;
  ticketIds?: Id[];
  /** A case's alert: the case, and the rule it comes from (R36 or R14). */
  caseId?: Id;
  rule?: string;
};

/** The event that raises an alert `alertId` (the command's fresh id). */
export function raised(alertId: Id, r: Raise, now: number): HallEvent {
  return {
    type: 'alert:raised',
    at: now,
    alertId,
    kind: r.kind,
    severity: r.severity,
    rule: r.rule ?? ALERT_RULE[r.kind],
    counterId: r.counterId ?? null,
    staffId: r.staffId ?? null,
    deviceId: r.deviceId ?? null,
    detail: r.detail ?? '',
    note: r.note ?? '',
    ...(r.ticketIds ? { ticketIds: r.ticketIds } : {}),
    ...(r.caseId ? { caseId: r.caseId } : {}),
  };
}

/** The open alerts of a kind about a counter or a device. */
export function openAlerts(state: HallState, kind: AlertKind, about: { counterId?: Id; deviceId?: Id }) {
  const out: Alert[] = [];
  for (const a of state.alerts.values())
    if (
      a.resolvedAt === null &&
      a.kind === kind &&
      (about.counterId === undefined || a.counterId === about.counterId) &&
      (about.deviceId === undefined || a.deviceId === about.deviceId)
    )
      out.push(a);
  return out;
}

/**
 * Why an event ends the cause of an open alert (null: it does not): a counter that calls again is
 * attended, a closed or covered counter is no longer left alone, a device back online works.
 */
function endsCause(a: Alert, e: HallEvent): string | null {
  if (a.kind === 'absence' || a.kind === 'empty-post') {
    if (!('counterId' in e) || e.counterId !== a.counterId) return null;
    if (e.type === 'ticket:called' && e.recalls === 0) return 'served';
    if (e.type === 'counter:closed') return 'closed';
    if (e.type === 'counter:covered') return 'covered';
    if (a.kind === 'empty-post' && e.type === 'counter:paused') return 'paused';
    return null;
  }
  if (a.kind === 'device-offline' && e.type === 'device:health-changed' && e.deviceId === a.deviceId)
    return e.online ? 'back-online' : null;
  if (a.kind === 'case-overdue' && 'caseId' in e && e.caseId === a.caseId) {
    if (e.type === 'case:closed') return 'closed';
    // The alert's detail names the deadline; the step that meets it ends it.
    if (e.type === 'case:step-recorded' && MET_BY[a.detail as DeadlineName] === e.step) return e.step;
  }
  return null;
}

/** The resolutions a decision's events bring: the hall closes the alerts whose cause they end. */
export function settled(state: HallState, events: readonly HallEvent[], now: number): HallEvent[] {
  if (state.alerts.size === 0) return [];
  const out: HallEvent[] = [];
  for (const a of state.alerts.values()) {
    if (a.resolvedAt !== null) continue;
    for (const e of events) {
      const why = endsCause(a, e);
      if (why) {
        out.push({ type: 'alert:resolved', at: now, alertId: a.id, staffId: null, resolution: why });
        break;
      }
    }
  }
  return out;
}

/** Whether an offline device needs a person now: while the hall is open (a night's power-down is not an alert). */
export function deviceNeedsAlert(state: HallState, deviceId: Id, online: boolean, now: number): Raise | null {
  if (online || !isOpenAt(state.config.openingHours, state.config.timeZone, now)) return null;
  if (openAlerts(state, 'device-offline', { deviceId }).length > 0) return null;
  const device = state.config.devices.find((d) => d.id === deviceId);
  return {
    kind: 'device-offline',
    // Without the gateway no device of the hall answers: that is everybody's problem.
    severity: device?.kind === 'gateway' ? 'critical' : 'warning',
    deviceId,
    counterId: device?.counterId ?? null,
  };
}

/** The escalation an unacknowledged alert is due (null: none now or ever). */
export function escalationDue(state: HallState, a: Alert): number | null {
  if (a.resolvedAt !== null || a.acknowledgedAt !== null || a.escalations >= MAX_ESCALATIONS) return null;
  return (a.escalatedAt ?? a.raisedAt) + state.config.rules.escalateAfterMinutes * MINUTE;
}

/** The events of an alert command the rules accepted. */
export function alertEffects(state: HallState, cmd: AlertCommand, by: Id | null, now: number): HallEvent[] {
  const a = state.alerts.get(cmd.alertId)!;
  switch (cmd.type) {
    case 'alert:acknowledge':
      return [{ type: 'alert:acknowledged', at: now, alertId: a.id, staffId: by! }];
    case 'alert:assign': {
      const events: HallEvent[] = [
        { type: 'alert:assigned', at: now, alertId: a.id, staffId: cmd.staffId, by: by! },
      ];
      if (isCoverAlert(a)) {
        // R6: the cover takes the counter; the absence (or the empty post) ends with that.
        const staff = state.config.staff.find((s) => s.id === cmd.staffId)!;
        events.push({
          type: 'counter:covered',
          at: now,
          counterId: a.counterId!,
          staffId: staff.id,
          staffName: staff.name,
          staffBadge: staff.badge,
          replacedStaffId: state.counters.get(a.counterId!)?.staffId ?? null,
        });
      }
      return events;
    }
    case 'alert:resolve':
      return [{ type: 'alert:resolved', at: now, alertId: a.id, staffId: by!, resolution: cmd.note }];
    case 'alert:check-escalation': {
      // A timer of an earlier step, one delivered early, or an alert someone took: nothing to do.
      const due = escalationDue(state, a);
      if (due === null || a.escalations !== cmd.escalations || now < due) return [];
      return [
        {
          type: 'alert:escalated',
          at: now,
          alertId: a.id,
          escalations: a.escalations + 1,
          severity: a.severity === 'info' ? 'warning' : 'critical',
        },
      ];
    }
  }
}

type AlertCommand = Extract<
  Command,
  { type: 'alert:acknowledge' | 'alert:assign' | 'alert:resolve' | 'alert:check-escalation' }
>;

type AlertEvent = Extract<
  HallEvent,
  { type: 'alert:raised' | 'alert:acknowledged' | 'alert:assigned' | 'alert:escalated' | 'alert:resolved' }
>;

/** What an alert event does to the hall's alerts. */
export function applyAlertEvent(state: HallState, e: AlertEvent): HallState {
  const put = (a: Alert) => ({ ...state, alerts: new Map(state.alerts).set(a.id, a) });
  if (e.type === 'alert:raised') {
    const alert: Alert = {
      id: e.alertId,
      kind: e.kind,
      severity: e.severity,
      rule: e.rule,
      raisedAt: e.at,
      counterId: e.counterId,
      staffId: e.staffId,
      deviceId: e.deviceId,
      detail: e.detail,
      note: e.note,
      ticketIds: e.ticketIds ?? [],
      caseId: e.caseId ?? null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      assignedTo: null,
      assignedAt: null,
      escalations: 0,
      escalatedAt: null,
      resolvedAt: null,
      resolvedBy: null,
      resolution: '',
    };
    return put(alert);
  }
  const a = state.alerts.get(e.alertId);
  if (!a) return state;
  switch (e.type) {
    case 'alert:acknowledged':
      return put({ ...a, acknowledgedAt: e.at, acknowledgedBy: e.staffId });
    case 'alert:assigned':
      // Sending someone is acknowledging it too.
      return put({
        ...a,
        assignedTo: e.staffId,
        assignedAt: e.at,
        acknowledgedAt: a.acknowledgedAt ?? e.at,
        acknowledgedBy: a.acknowledgedBy ?? e.by,
      });
    case 'alert:escalated':
      return put({ ...a, escalations: e.escalations, escalatedAt: e.at, severity: e.severity });
    case 'alert:resolved':
      return put({ ...a, resolvedAt: e.at, resolvedBy: e.staffId, resolution: e.resolution });
  }
}
