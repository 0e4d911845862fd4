import { createAppRouter } from '@yichuang/app-shell';

/** The counter panel's one page: sign-in, the pre-shift check and the workbench, by state. */
export const router = createAppRouter('counter-panel', {
  panel: { component: () => import('./views/CounterPage.vue') },
});
