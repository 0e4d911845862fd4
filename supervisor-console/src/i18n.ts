import { createStaffI18n, type Locale, type MessagePath } from '@yichuang/app-shell';
import zhCN from './locales/zh-CN.js';
import en from './locales/en.js';

export type { Locale };
export type MessageKey = MessagePath<typeof zhCN>;
export const { i18n, locale, t } = createStaffI18n({ zh: zhCN, en });
