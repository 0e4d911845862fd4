import { locale } from './i18n.js';

const formats = new Map<string, Intl.DateTimeFormat>();

/** A time of day at the hall (its time zone) in the console's language: 14:05, or 14:05:09. */
export function hallClock(at: number, timeZone: string, seconds = false): string {
  const lang = locale.value === 'zh' ? 'zh-CN' : 'en-GB';
  const key = `${lang}|${timeZone}|${seconds}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang, {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
      hourCycle: 'h23',
    });
    formats.set(key, format);
  }
  return format.format(at);
}

/** A day and time at the hall: 2月14日 23:59, or 14 Feb 23:59. */
export function hallDate(at: number, timeZone: string): string {
  const lang = locale.value === 'zh' ? 'zh-CN' : 'en-GB';
  const key = `${lang}|${timeZone}|date`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang, {
      timeZone,
      month: lang === 'zh-CN' ? 'numeric' : 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(key, format);
  }
  return format.format(at);
}
