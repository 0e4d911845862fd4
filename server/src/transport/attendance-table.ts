import type { AttendanceDay, HallConfig } from '@yichuang/protocol';

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
