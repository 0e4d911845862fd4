import { createAppRouter } from '@yichuang/app-shell';

/** The console's pages: the live hall, and its history's reports (#14). */
export const router = createAppRouter('supervisor-console', {
  console: { component: () => import('./views/ConsolePage.vue') },
  reports: { component: () => import('./views/ReportsPage.vue') },
});
