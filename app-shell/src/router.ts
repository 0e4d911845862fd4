import { createRouter, createWebHistory, type RouteComponent, type Router } from 'vue-router';
import { APP_PAGES, type AppName, type PageName } from '@yichuang/protocol';

/** What each page shows, and the props it takes from its route. */
export type PageViews<A extends AppName> = {
  [P in PageName<A>]: {
    component: () => Promise<RouteComponent>;
    props?:
      boolean | ((route: { params: Record<string, unknown>; query: Record<string, unknown> }) => object);
  };
};

/**
 * An app's router, its routes made from the shared page table (`APP_PAGES`), which the hub
 * serves too. Under the hub the pages sit at the root; under `npm run dev` below the app's base.
 */
export function createAppRouter<A extends AppName>(app: A, views: PageViews<A>): Router {
  const pages = APP_PAGES[app] as Record<PageName<A>, string>;
  const base = location.pathname.startsWith(`/apps/${app}/`) ? `/apps/${app}/` : '/';
  return createRouter({
    history: createWebHistory(base),
    routes: (Object.keys(pages) as PageName<A>[]).map((name) => ({
      name,
      path: pages[name],
      component: views[name].component,
      props: views[name].props ?? false,
    })),
  });
}
