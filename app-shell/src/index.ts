export {
  createAppI18n,
  createStaffI18n,
  messageKeys,
  type Locale,
  type MessagePath,
  type Messages,
} from './i18n.js';
export { createAppRouter, type PageViews } from './router.js';
export { useSessionStore } from './staff/session.js';
export { hallCommands } from './staff/commands.js';
export { shellMessages } from './staff/messages.js';
export { default as StaffSignIn } from './staff/StaffSignIn.vue';
export { default as StaffHeader } from './staff/StaffHeader.vue';
export { default as StaffApp } from './staff/StaffApp.vue';
export { staffHall, type StaffHallHooks } from './staff/hall.js';
export { confirmAction } from './staff/confirm.js';
