import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';

/** The built apps and the pages each serves (its index.html; the app picks the view from the path). */
export const APPS = [
  { name: 'display-wall', pages: /^\/(display(\/.*)?|kiosk|t\/[^/]+)\/?$/ },
  { name: 'counter-panel', pages: /^\/counter\/?$/ },
  { name: 'supervisor-console', pages: /^\/console\/?$/ },
] as const;

/** Serves each app's production build from `<root>/<app>/dist`, under /apps/<app>/ for its assets. */
export function appsRouter(root: string): express.Router {
  const router = express.Router();
  for (const app of APPS) {
    const dist = join(root, app.name, 'dist');
    router.use(`/apps/${app.name}`, express.static(dist, { index: false, maxAge: '1h' }));
    router.get(app.pages, (_req, res) => {
      const index = join(dist, 'index.html');
      if (existsSync(index)) res.sendFile(index, { headers: { 'cache-control': 'no-cache' } });
      else res.status(503).type('text/plain').send(`The ${app.name} app is not built: run npm run build.`);
    });
  }
  return router;
}
