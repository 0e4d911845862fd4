import { createAppRouter } from '@yichuang/app-shell';

/** The hall of a public page: `?hall=` or the demo hall. */
const hallOf = (query: Record<string, unknown>) => (typeof query.hall === 'string' ? query.hall : 'demo');

/** The wall, a window's display, the kiosk and the phone ticket: each loads only its own view. */
export const router = createAppRouter('display-wall', {
  wall: { component: () => import('./views/HallWall.vue') },
  window: { component: () => import('./views/WindowDisplay.vue'), props: true },
  kiosk: {
    component: () => import('./views/KioskView.vue'),
    props: (route) => ({ hallId: hallOf(route.query) }),
  },
  ticket: { component: () => import('./views/MobileTicket.vue'), props: true },
  evaluate: { component: () => import('./views/EvaluateView.vue'), props: true },
});

export { hallOf };
