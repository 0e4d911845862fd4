import type { Request, Response, Router } from 'express';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { Actor, ErrorCode, HallConfig, Report, ReportBy, ReportRow } from '@yichuang/protocol';
import {
  CityReportQuery,
  CROSS_HALL_ROLES,
  describeIssues,
  localDay,
  managerOf,
  Outcome,
  ReportQuery,
  ReportTicketsQuery,
} from '@yichuang/protocol';
import type { HallService } from '../hall-service.js';
import type { HistoryStore, TicketFact } from '../ports/history-store.js';
import { cityReport, ticketReport } from '../history/reports.js';
import { factsOf, type HallState } from '../engine/index.js';
import { ALERT_HEADINGS, alertRows, ATTENDANCE_HEADINGS, attendanceRows } from './staff-tables.js';
import { alertsBetween, attendanceBetween } from '../history/attendance.js';

export type ReportDeps = {
  halls: HallService;
  history: HistoryStore;
  now: () => number;
  callerOf: (req: Request, hall: HallConfig) => Actor | null;
  sendError: (res: Response, code: ErrorCode, message: string) => void;
};

/** The headings of a report table, in Chinese as the hall's staff read them (CSV and XLSX). */
export const REPORT_HEADINGS: ReadonlyArray<[keyof ReportRow | 'label', string]> = [
  ['key', '分组'],
  ['label', '名称'],
  ['issued', '取号数'],
  ['served', '办结数'],
  ['noShows', '过号数'],
  ['cancelled', '取消数'],
  ['called', '叫号数'],
  ['waitP50', '等候中位数(分钟)'],
  ['waitP90', '等候P90(分钟)'],
  ['waitMax', '最长等候(分钟)'],
  ['withinTarget', '目标时间内叫号占比'],
  ['handlingP50', '办理中位数(分钟)'],
  ['handlingP90', '办理P90(分钟)'],
  ['transfers', '转办次数'],
  ['rated', '评价数'],
  ['ratingMean', '平均评价'],
  ['badReviews', '差评数'],
  ['notRated', '未评价数'],
];

/** The outcomes' headings (R18), in the order of the protocol. */
const OUTCOME_HEADINGS: Record<Outcome, string> = {
  accepted: '受理',
  'not-accepted': '不予受理',
  'one-time-notice': '一次性告知',
  'consultation-only': '咨询',
  assisted: '帮办代办',
};

const BY_HEADING: Record<ReportBy, string> = {
  day: '日期',
  week: '周',
  month: '月份',
  hour: '时段',
  service: '事项',
  counter: '窗口',
  staff: '工作人员',
};

/** What a row's key names, for people: a service's name, a window's number, a clerk's name and badge. */
function labeller(hall: HallConfig, by: ReportBy): (key: string) => string {
  if (by === 'service') return (k) => hall.services.find((s) => s.id === k)?.name ?? k;
  if (by === 'counter')
    return (k) => (k ? `${hall.counters.find((c) => c.id === k)?.number ?? k}号窗口` : '未叫号');
  if (by === 'staff')
    return (k) => {
      const s = hall.staff.find((x) => x.id === k);
      return s ? `${s.name}（${s.badge}）` : k || '未办理';
    };
  if (by === 'hour') return (k) => `${k}:00–${k}:59`;
  return (k) => k;
}

const cells = (row: ReportRow, label: string) =>
  REPORT_HEADINGS.map(([k]) => (k === 'label' ? label : k === 'outcomes' ? '' : (row[k] ?? '')));

/**
 * #14 (R5, R33): reports over the history store for the hall's managers, and the city view across
 * halls for the city's managers. Each reads archived days only (the running day up to its last
 * archiving, at most `ARCHIVE_EVERY_S` behind).
 */
export function reportRoutes(api: Router, deps: ReportDeps): void {
  const { halls, history, callerOf, sendError } = deps;

  /** The hall and its manager, or the answer already sent. */
  const managerHall = (req: Request, res: Response): HallConfig | null => {
    const hallId = String(req.params.hallId);
    const state = halls.state(hallId);
    if (!state) return (sendError(res, 'unknown-hall', `No hall ${hallId}.`), null);
    const actor = callerOf(req, state.config);
    if (actor?.kind !== 'staff') return (sendError(res, 'unauthenticated', 'Sign in as a manager.'), null);
    const refused = managerOf(factsOf(state), actor);
    if (refused) return (sendError(res, refused.code, 'Reports are for the hall’s managers.'), null);
    return state.config;
  };

  const matching = (q: { serviceId?: string; counterId?: string; staffId?: string }) => (t: TicketFact) =>
    (q.serviceId === undefined || t.serviceId === q.serviceId) &&
    (q.counterId === undefined || t.counterId === q.counterId) &&
    (q.staffId === undefined || t.staffId === q.staffId);

  api.get('/halls/:hallId/reports', async (req, res) => {
    const hall = managerHall(req, res);
    if (!hall) return;
    const today = localDay(deps.now(), hall.timeZone);
    const q = ReportQuery.safeParse({ from: today.slice(0, 8) + '01', to: today, ...req.query });
    if (!q.success) return sendError(res, 'invalid-payload', `Invalid query: ${describeIssues(q.error)}`);
    const { from, to, by, format } = q.data;
    if (from > to) return sendError(res, 'invalid-payload', 'The range ends before it starts.');
    if (daysBetween(from, to) > 366)
      return sendError(res, 'invalid-payload', 'A report covers a year at most.');
    const [tickets, archived] = await Promise.all([
      history.tickets(hall.id, from, to),
      history.archivedDays(hall.id, from, to),
    ]);
    const { rows, total } = ticketReport(tickets.filter(matching(q.data)), by, hall.timeZone);
    const report: Report = { hallId: hall.id, from, to, by, archivedDays: archived.length, rows, total };
    if (format === 'json') return res.json(report);
    const label = labeller(hall, by);
    const name = `report-${hall.id}-${by}-${from}-${to}`;
    if (format === 'csv') {
      const csv = stringify([...rows.map((r) => cells(r, label(r.key))), cells(total, '合计')], {
        header: true,
        columns: REPORT_HEADINGS.map(([, h], i) => (i === 0 ? BY_HEADING[by] : h)),
      });
      return res
        .type('text/csv; charset=utf-8')
        .set('content-disposition', `attachment; filename="${name}.csv"`)
        .send(`\ufeff${csv}`);
    }
    const book = await workbook(halls.state(hall.id)!, report, label, history);
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .set('content-disposition', `attachment; filename="${name}.xlsx"`)
      .send(Buffer.from(await book.xlsx.writeBuffer()));
  });

  api.get('/halls/:hallId/reports/tickets', async (req, res) => {
    const hall = managerHall(req, res);
    if (!hall) return;
    const q = ReportTicketsQuery.safeParse(req.query);
    if (!q.success) return sendError(res, 'invalid-payload', `Invalid query: ${describeIssues(q.error)}`);
    const tickets = (await history.tickets(hall.id, q.data.day, q.data.day)).filter(matching(q.data));
    res.json({ hallId: hall.id, day: q.data.day, tickets });
  });

  api.get('/reports/halls', async (req, res) => {
    // The city's managers and the admins: every hall of the installation (their token names one of them).
    const first = halls.state(halls.hallIds()[0] ?? '')?.config;
    const actor = first ? callerOf(req, first) : null;
    if (!first || actor?.kind !== 'staff')
      return sendError(res, 'unauthenticated', 'Sign in as a city manager.');
    if (!actor.roles.some((r) => CROSS_HALL_ROLES.includes(r)))
      return sendError(res, 'not-allowed', 'The city view is for the city’s managers.');
    const today = localDay(deps.now(), first.timeZone);
    const q = CityReportQuery.safeParse({ from: `${today.slice(0, 4)}-01-01`, to: today, ...req.query });
    if (!q.success) return sendError(res, 'invalid-payload', `Invalid query: ${describeIssues(q.error)}`);
    if (q.data.from > q.data.to) return sendError(res, 'invalid-payload', 'The range ends before it starts.');
    const months = cityReport(await history.figures(q.data.from, q.data.to, halls.hallIds()));
    const names = Object.fromEntries(halls.hallIds().map((id) => [id, halls.state(id)!.config.name]));
    res.json({ from: q.data.from, to: q.data.to, halls: names, months });
  });
}

const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

/**
 * The XLSX export: the report, its outcomes, the staff's attendance and overtime (R5, R7) and the
 * alerts (R33), one sheet each.
 */
async function workbook(
  state: HallState,
  report: Report,
  label: (key: string) => string,
  history: HistoryStore,
): Promise<ExcelJS.Workbook> {
  const hall = state.config;
  const book = new ExcelJS.Workbook();
  book.creator = '一窗 Yichuang';
  const main = book.addWorksheet('报表');
  main.addRow([`${hall.name} ${report.from} 至 ${report.to}`]);
  main.addRow(REPORT_HEADINGS.map(([, h], i) => (i === 0 ? BY_HEADING[report.by] : h)));
  for (const r of report.rows) main.addRow(cells(r, label(r.key)));
  main.addRow(cells(report.total, '合计'));
  main.getRow(2).font = { bold: true };
  main.columns.forEach((c, i) => (c.width = i < 2 ? 18 : 12));

  const outcomes = book.addWorksheet('办理结果');
  outcomes.addRow([BY_HEADING[report.by], '名称', ...Outcome.options.map((o) => OUTCOME_HEADINGS[o])]);
  for (const r of [...report.rows, report.total])
    outcomes.addRow([
      r.key,
      r === report.total ? '合计' : label(r.key),
      ...Outcome.options.map((o) => r.outcomes[o]),
    ]);
  outcomes.getRow(1).font = { bold: true };

  const attendance = book.addWorksheet('考勤与加班');
  attendance.addRow([...ATTENDANCE_HEADINGS]);
  const days = await attendanceBetween(history, state, report.from, report.to);
  for (const row of attendanceRows(hall, days)) attendance.addRow(row);
  attendance.getRow(1).font = { bold: true };

  const alerts = book.addWorksheet('告警记录');
  alerts.addRow([...ALERT_HEADINGS]);
  for (const row of alertRows(hall, await alertsBetween(history, state, report.from, report.to)))
    alerts.addRow(row);
  alerts.getRow(1).font = { bold: true };
  return book;
}
