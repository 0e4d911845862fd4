import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PAGES, type AppName } from '@yichuang/protocol';
import { startHub, type Hub } from '../support/hub.js';

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.close();
});

// The apps are built before the tests run (npm test builds them).
describe('app pages', () => {
  const pages = (Object.keys(APP_PAGES) as AppName[]).flatMap((app) =>
    Object.values(APP_PAGES[app]).map((path) => [app, path.replace(/:\w+/g, 'c05')] as const),
  );

  it.each(pages)('%s serves %s from the shared page table', async (app, path) => {
    const res = await fetch(hub.url + path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain(`/apps/${app}/`);
  });

  it('answers a page that is in no table with a JSON 404', async () => {
    for (const path of ['/display/nowhere', '/counter/extra', '/t']) {
      const res = await fetch(hub.url + path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'not-found' } });
    }
  });
});
