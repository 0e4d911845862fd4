import { createAppRouter } from '@yichuang/app-shell';

/** The console's pages: the live hall (reports and cases join here as they are built). */
export const router = createAppRouter('supervisor-console', {
  console: { component: () => import('./views/ConsolePage.vue') },
});
