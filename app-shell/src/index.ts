export { createAppI18n, messageKeys, type Locale, type MessagePath, type Messages } from './i18n.js';
export { createAppRouter, type PageViews } from './router.js';
