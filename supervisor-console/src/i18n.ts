import { createAppI18n, type Locale, type MessagePath } from '@yichuang/app-shell';
import zhCN from './locales/zh-CN.js';
import en from './locales/en.js';

export type { Locale };
export type MessageKey = MessagePath<typeof zhCN>;

/** Simplified Chinese by default; English kept per browser once switched. */
export const { i18n, locale, t } = createAppI18n(
  { zh: zhCN, en },
  localStorage.getItem('yc.lang') === 'en' ? 'en' : 'zh',
);

export function setLocale(l: Locale) {
  locale.value = l;
  localStorage.setItem('yc.lang', l);
}
