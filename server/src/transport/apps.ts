import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { APP_PAGES, type AppName } from '@yichuang/protocol';

/**
 * Serves each app's production build from `<root>/<app>/dist`: its assets under /apps/<app>/, and
 * its index.html on each of its pages (the shared page table); the app's router picks the view.
 */
export function appsRouter(root: string): express.Router {
  const router = express.Router();
  for (const app of Object.keys(APP_PAGES) as AppName[]) {
    const dist = join(root, app, 'dist');
    router.use(`/apps/${app}`, express.static(dist, { index: false, maxAge: '1h' }));
    router.get(Object.values(APP_PAGES[app]), (_req, res) => {
      const index = join(dist, 'index.html');
      if (existsSync(index)) res.sendFile(index, { headers: { 'cache-control': 'no-cache' } });
      else res.status(503).type('text/plain').send(`The ${app} app is not built: run npm run build.`);
    });
  }
  return router;
}
