export { createAppI18n, messageKeys, type Locale, type MessagePath, type Messages } from './i18n.js';
export { createAppRouter, type PageViews } from './router.js';
export { useSessionStore } from './staff/session.js';
export { hallCommands } from './staff/commands.js';
export { shellMessages } from './staff/messages.js';
export { default as StaffSignIn } from './staff/StaffSignIn.vue';
export { default as StaffHeader } from './staff/StaffHeader.vue';
