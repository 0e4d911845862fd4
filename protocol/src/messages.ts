import type { ErrorBody, ErrorCode } from './common.js';

/**
 * What each error code says to a person in Chinese. The hub's own message (English) stays the
 * detail for logs and the English UI. Worded as the standard's service phrases are, never as its
 * forbidden ones (R37, 附录C/D).
 */
export const ERROR_TEXT_ZH: Readonly<Record<ErrorCode, string>> = {
  'invalid-payload': '提交的内容不完整或格式不对，请检查后重试。',
  unauthenticated: '用户名或密码不正确，或登录已过期，请重新登录。',
  'not-allowed': '您没有这项操作的权限，如需办理请联系大厅负责人。',
  'not-found': '未找到相应内容。',
  'unknown-hall': '未找到该大厅。',
  'unknown-service': '未找到该办理事项。',
  'unknown-counter': '未找到该窗口。',
  'unknown-ticket': '未找到该号票。',
  'unknown-staff': '未找到该工作人员。',
  'counter-closed': '窗口尚未开放，请先开始服务。',
  'counter-not-closed': '窗口已在服务中。',
  'counter-paused': '窗口正在暂停服务，请先恢复服务。',
  'counter-not-paused': '窗口没有暂停。',
  'counter-busy': '当前号码尚未办结，请先办结、过号或转办。',
  'counter-does-not-serve': '本窗口不办理该事项。',
  'staff-already-signed-in': '您已在其他窗口登录服务，请先关闭该窗口。',
  'no-current-ticket': '当前没有号码，请先叫号。',
  'already-serving': '该号码已在办理中。',
  'invalid-target': '不能转办到本窗口。',
  'target-closed': '该窗口已停止服务，请选择正在服务的窗口。',
  'ticket-not-waiting': '该号码已被叫到窗口。',
  'ticket-finished': '该号码已办结或已取消。',
  'queue-empty': '目前没有等候的号码。',
  'numbers-exhausted': '该事项今日号码已发完，请改日办理或咨询工作人员。',
  'issuing-paused': '该事项暂停取号，请咨询工作人员。',
  'ticket-not-completed': '该号码尚未办结，办结后才能评价。',
  'already-rated': '该号码已评价，感谢您的评价。',
  'number-not-reserved': '该号码不在为本设备预留的号段内。',
  'unknown-alert': '没有这条提醒。',
  'alert-resolved': '这条提醒已处理完毕。',
  'already-acknowledged': '这条提醒已有人确认。',
  'wrong-password': '密码不正确，窗口仍保持锁定。',
  emergency: '大厅正在处置突发情况，暂停取号，请听从工作人员指引。',
  'hall-closed': '现在不在取号时间。',
  'unknown-carry-over': '没有这个改日优先号，请核对。',
  'carry-over-used': '这个改日优先号已经换过号了。',
  'carry-over-not-valid': '这个改日优先号今天不能使用（当天无效，或已过有效期）。',
  'no-emergency': '当前没有正在处置的突发情况。',
  'no-change': '已是该状态，无需更改。',
  'identification-required': '办理该事项需要提供身份证号码。',
  'already-holding': '该身份证号码已有该事项的排队号，同一事项一次只能取一个号。',
  'no-applicant-data': '该号码没有登记办事人信息。',
  'rating-closed': '评价时间已过，该次服务记为未评价。',
  'numbers-held': '该网关今天预留的号码还很充足，无需再预留。',
  'unknown-case': '未找到该工单。',
  'case-closed': '该工单已办结。',
  'case-step-not-allowed': '该工单当前不能进行这一步，请按流程办理。',
  'case-not-called-back': '实名差评须先回访申请人，再办结工单。',
  'not-in-catalogue': '该事项尚未录入办事指南和材料清单，请联系管理员。',
  'rate-limited': '操作过于频繁，请稍后再试。',
  unavailable: '暂时无法连接系统，本次操作未执行，请稍后再试。',
  'internal-error': '系统出现异常，本次操作未执行，请稍后再试。',
};

/** What each error code says in English when the hub's own message is not at hand. */
export const ERROR_TEXT_EN: Readonly<Record<ErrorCode, string>> = {
  'invalid-payload': 'What was sent is incomplete or malformed: check it and try again.',
  unauthenticated: 'Wrong username or password, or the session has expired: sign in again.',
  'not-allowed': 'You may not do that. Ask the hall manager if it needs doing.',
  'not-found': 'Not found.',
  'unknown-hall': 'No such hall.',
  'unknown-service': 'No such service.',
  'unknown-counter': 'No such counter.',
  'unknown-ticket': 'No such ticket.',
  'unknown-staff': 'No such staff member.',
  'counter-closed': 'The counter is closed: open it first.',
  'counter-not-closed': 'The counter is already open.',
  'counter-paused': 'The counter is paused: resume it first.',
  'counter-not-paused': 'The counter is not paused.',
  'counter-busy': 'The current ticket is not finished: complete it, mark it a no-show or transfer it.',
  'counter-does-not-serve': 'This counter does not serve that service.',
  'staff-already-signed-in': 'You are signed in at another counter: close it first.',
  'no-current-ticket': 'There is no ticket at the counter: call one first.',
  'already-serving': 'The ticket is already being served.',
  'invalid-target': 'A ticket cannot be transferred to its own counter.',
  'target-closed': 'That counter is closed: choose one that is serving.',
  'ticket-not-waiting': 'The ticket is already called to a counter.',
  'ticket-finished': 'The ticket is finished or cancelled.',
  'queue-empty': 'Nobody is waiting.',
  'numbers-exhausted': 'All numbers of this service are issued today.',
  'issuing-paused': 'Tickets for this service are not issued right now.',
  'ticket-not-completed': 'The ticket is not completed yet: it can be rated once it is.',
  'already-rated': 'The ticket is already rated.',
  'number-not-reserved': 'That number is not in a block reserved for this device, or is already used.',
  'unknown-alert': 'There is no such alert.',
  'alert-resolved': 'This alert is already resolved.',
  'already-acknowledged': 'Someone already acknowledged this alert.',
  'wrong-password': 'Wrong password: the window stays locked.',
  emergency: 'The hall is dealing with an emergency: no tickets now. Please follow the staff’s directions.',
  'hall-closed': 'Tickets are not issued at this time.',
  'unknown-carry-over': 'There is no such carry-over code; please check it.',
  'carry-over-used': 'This carry-over code has already been exchanged for a ticket.',
  'carry-over-not-valid':
    'This carry-over code cannot be used today (not on the day it was given, nor after it expires).',
  'no-emergency': 'There is no emergency in force.',
  'no-change': 'It is already so: nothing changed.',
  'identification-required': 'This service needs the applicant’s ID number.',
  'already-holding': 'This ID number already holds a ticket for this service: one at a time.',
  'no-applicant-data': 'No name or number is on file for this ticket.',
  'rating-closed': 'The time to rate this service is over: it is recorded as not rated.',
  'numbers-held': 'This gateway still holds enough reserved numbers for today.',
  'unknown-case': 'No such case.',
  'case-closed': 'This case is closed.',
  'case-step-not-allowed': 'This step does not fit the case now: follow its procedure.',
  'case-not-called-back': 'Call the applicant back before closing a named bad review.',
  'not-in-catalogue': 'This service has no catalogue entry yet: ask an admin to add its materials.',
  'rate-limited': 'Too many requests: try again shortly.',
  unavailable: 'The hub cannot be reached: nothing was done. Try again.',
  'internal-error': 'The hub failed: nothing was done. Try again.',
};

/** The error texts of both languages, registered once in every app's messages under `errors`. */
export const ERROR_TEXTS = { zh: ERROR_TEXT_ZH, en: ERROR_TEXT_EN } as const;

/** The text to show a person for an error, in the UI's language (in English, the hub's own detail). */
export function errorText(error: ErrorBody, locale: 'zh' | 'en'): string {
  return locale === 'zh' ? ERROR_TEXT_ZH[error.code] : error.message || ERROR_TEXT_EN[error.code];
}

/** The standard calling phrase (R37, 附录C), or its English form: the wall and the hall's speakers say it. */
export function callPhrase(number: string, counterNumber: number, lang: 'zh' | 'en'): string {
  return lang === 'zh'
    ? `请 ${number} 号到 ${counterNumber} 号窗口办理`
    : `Number ${number}, please go to window ${counterNumber}`;
}
