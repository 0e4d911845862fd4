/**
 * Every page of the apps, by app and name, in vue-router's (and Express 5's) path syntax. Each
 * app's router builds its routes from its part of this table and the hub serves the same paths
 * with that app's page: one list, so a page cannot exist in one and be missing in the other.
 */
export const APP_PAGES = {
  'display-wall': {
    wall: '/display',
    window: '/display/window/:counterId',
    kiosk: '/kiosk',
    ticket: '/t/:ticketId',
    /** R34: a counter's second screen facing the applicant, where it has no evaluation pad. */
    evaluate: '/evaluate/:counterId',
  },
  'counter-panel': { panel: '/counter' },
  'supervisor-console': { console: '/console', reports: '/console/reports' },
} as const;

/** The apps the hub serves. */
export type AppName = keyof typeof APP_PAGES;

/** The names of an app's pages. */
export type PageName<A extends AppName> = keyof (typeof APP_PAGES)[A] & string;
