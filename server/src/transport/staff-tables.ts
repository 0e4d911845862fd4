import type { Alert, AlertKind, AttendanceDay, HallConfig, Severity } from '@yichuang/protocol';

/* The staff-facing tables of the exports, headed in Chinese as the hall's staff read them: attendance and alerts (#14). */

/** R5, R7, R26: the attendance table's headings, in Chinese as the hall's staff read them (CSV and XLSX). */
export const ATTENDANCE_HEADINGS = [
  '日期',
  '工号',
  '姓名',
  '应到',
  '请假',
  '签到',
  '签退',
  '迟到(分钟)',
  '早退(分钟)',
  '离岗(分钟)',
  '缺勤',
  '在岗(分钟)',
  '加班(分钟)',
] as const;

/** Attendance days as rows under `ATTENDANCE_HEADINGS`: one table for the CSV and the XLSX export. */
export function attendanceRows(
  hall: HallConfig,
  days: readonly AttendanceDay[],
): Array<Array<string | number>> {
  const name = (id: string) => hall.staff.find((s) => s.id === id);
  const at = (t: number | null) => (t === null ? '' : localClock(t, hall.timeZone));
  return days.map((d) => [
    d.day,
    name(d.staffId)?.badge ?? d.staffId,
    name(d.staffId)?.name ?? '',
    d.expectedFrom === null ? '' : `${at(d.expectedFrom)}–${at(d.expectedTo)}`,
    d.onLeave ?? '',
    at(d.firstIn),
    at(d.lastOut),
    d.lateMinutes,
    d.earlyMinutes,
    d.absentMinutes,
    d.missing ? '是' : '',
    d.workedMinutes,
    d.overtimeMinutes,
  ]);
}

/** An instant as the hall's local clock, HH:MM. */
export function localClock(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** R33: the alerts table's headings, in Chinese (the XLSX export's 告警记录 sheet). */
export const ALERT_HEADINGS = [
  '日期',
  '提出时间',
  '类别',
  '级别',
  '依据',
  '窗口',
  '工作人员',
  '详情',
  '确认时间',
  '解除时间',
  '处理说明',
] as const;

const ALERT_KINDS: Record<AlertKind, string> = {
  absence: '离岗',
  'empty-post': '空岗',
  'device-offline': '设备离线',
  incident: '突发事件',
  'pre-shift-fault': '到岗检查',
  'closing-risk': '延时服务',
  'case-overdue': '工单逾期',
};
const SEVERITIES: Record<Severity, string> = { info: '提示', warning: '警告', critical: '紧急' };

/** Alerts as rows under `ALERT_HEADINGS`. */
export function alertRows(hall: HallConfig, alerts: readonly Alert[]): Array<Array<string | number>> {
  const day = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone: hall.timeZone }).format(t);
  const at = (t: number | null) => (t === null ? '' : localClock(t, hall.timeZone));
  const name = (id: string | null) => (id ? (hall.staff.find((s) => s.id === id)?.name ?? id) : '');
  return alerts.map((a) => [
    day(a.raisedAt),
    at(a.raisedAt),
    ALERT_KINDS[a.kind],
    SEVERITIES[a.severity],
    a.rule,
    a.counterId ? (hall.counters.find((c) => c.id === a.counterId)?.number ?? a.counterId) : '',
    name(a.staffId),
    a.detail,
    at(a.acknowledgedAt),
    at(a.resolvedAt),
    a.resolution,
  ]);
}
