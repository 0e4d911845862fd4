import { createAppI18n, type Locale, type MessagePath } from '@yichuang/app-shell';
import zhCN from './locales/zh-CN.js';
import en from './locales/en.js';

export type { Locale };
export type MessageKey = MessagePath<typeof zhCN>;

/** Simplified Chinese by default; English on request (`?lang=en` or the switch). */
export const { i18n, locale, t } = createAppI18n(
  { zh: zhCN, en },
  new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'zh',
);
