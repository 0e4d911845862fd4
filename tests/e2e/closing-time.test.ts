import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { demoHallFile, everyDay, soonClosing, startChildHub, type ChildHub } from '../support/child-hub.js';
import { launchChromium } from '../support/browser.js';

/**
 * R26 in a real browser: the demo hall, set to close 30 minutes after a whole minute 60 to 120 s
 * away, so its 30-minutes-before-closing forecast falls after the test has issued its tickets (the
 * hub's start, the browser and the sign-in took more than a minute once on a slow machine: the
 * forecast came before the tickets and rightly raised nothing) and within two minutes of its start.
 */
let hub: ChildHub;
let browser: Browser;
let dir: string;
let closeText = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yc-closing-'));
  const { zone, closes } = soonClosing(30, 60);
  closeText = closes.toFormat('HH:mm');
  const config = await demoHallFile(dir, {
    timeZone: zone,
    openingHours: everyDay('00:00', closeText),
    rules: { issuing: 'opening-hours', lastTicketMinutes: 0, closingMarks: [30] },
  });
  hub = await startChildHub(dir, { HALL_CONFIG: config });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  hub?.child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

async function page(path: string, viewport = { width: 1600, height: 900 }): Promise<Page> {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
  const p = await ctx.newPage();
  await p.goto(`${hub.url}${path}`);
  return p;
}
const post = async (path: string, body: unknown, token?: string) => {
  const res = await fetch(`${hub.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
};
async function login(username: string): Promise<string> {
  return (await post('/auth/login', { username, password: 'demo' })).token as string;
}

describe('closing time in a real browser (R26)', () => {
  it('30 minutes before closing the console lists the tickets at risk; the kiosk, the phone and the wall say it too', async () => {
    const console_ = await page('/console');
    await console_.fill('input[name=username]', 'manager');
    await console_.fill('input[name=password]', 'demo');
    await console_.click('button[type=submit]');
    await console_.locator('[data-testid=alerts]').waitFor();
    // Vehicles are served by window 11 alone, about 8 minutes each: eight applicants take an hour.
    await post('/halls/demo/counters/c11/open', {}, await login('staff11'));
    const numbers: string[] = [];
    let last = '';
    for (let i = 0; i < 8; i++) {
      const t = await post('/halls/demo/tickets', { serviceId: 'vehicles', channel: 'kiosk' });
      numbers.push(t.number as string);
      last = t.id as string;
      if (i === 7) expect(t).toMatchObject({ pastClosing: true });
      if (i === 0) expect(t).toMatchObject({ pastClosing: false });
    }

    // The kiosk says when the hall closes; the wall marks the service whose next ticket is late.
    const kiosk = await page('/kiosk', { width: 1080, height: 1920 });
    await expect
      .poll(() => kiosk.locator('[data-testid=closing-soon]').textContent())
      .toContain(`今天 ${closeText} 下班`);
    const wall = await page('/display');
    await wall.locator('[data-service=vehicles] [data-testid=past-closing]').waitFor();
    expect(await wall.locator('[data-testid=closes-at]').textContent()).toContain(closeText);
    // The phone of the last applicant warns them and offers another day.
    const phone = await page(`/t/${last}`, { width: 390, height: 844 });
    await expect
      .poll(() => phone.locator('[data-testid=past-closing]').textContent())
      .toContain(`（${closeText}）`);

    // The console's live forecast: a vehicles ticket taken now would be called after closing.
    const vehicles = console_.locator('tr', {
      has: console_.locator('[data-testid=queue-waiting][data-service=vehicles]'),
    });
    await vehicles.locator('[data-testid=past-closing]').waitFor();
    // At the 30-minute mark (within a minute): an alert with the tickets expected after closing.
    const alert = console_.locator('[data-testid=alert][data-kind=closing-risk]');
    await alert.waitFor({ timeout: 150_000 });
    const text = (await alert.textContent())!;
    expect(text).toContain('距下班 30 分钟');
    expect(text).toContain(numbers.at(-1)!);
    expect(text).not.toContain(numbers[0]!);
  }, 240_000);
});
