import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { childToken, startChildHub, type ChildHub } from '../support/child-hub.js';
import { launchChromium, signIn as signInAs } from '../support/browser.js';

let hub: ChildHub;
let browser: Browser;
let dir: string;
let ticketId = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yc-a11y-'));
  hub = await startChildHub(dir);
  browser = await launchChromium();
  // A hall at work: counters open, people waiting, calls made, a window paused.
  const mgr = childToken('mgr01');
  const post = (path: string, body?: unknown) =>
    fetch(`${hub.url}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mgr}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((r) => r.json() as Promise<{ id?: string }>);
  for (const [c, s] of [
    ['c05', 's05'],
    ['c06', 's06'],
    ['c12', 's12'],
  ])
    await post(`/halls/demo/counters/${c}/open`, { staffId: s });
  for (let i = 0; i < 12; i++) {
    const t = await post('/halls/demo/tickets', { serviceId: i % 2 ? 'housing-fund' : 'real-estate' });
    if (i === 7) ticketId = t.id!;
  }
  await post('/halls/demo/counters/c05/call-next');
  await post('/halls/demo/counters/c06/call-next');
  await post('/halls/demo/counters/c12/pause', { reason: '取材料' });
});
afterAll(async () => {
  await browser?.close();
  hub?.child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

/** What the browser refused under the hub's Content-Security-Policy (#12): must stay empty. */
const refused: string[] = [];
afterEach(() => {
  expect(refused.splice(0)).toEqual([]);
});

async function open(path: string, width = 1366, height = 768): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
  const p = await ctx.newPage();
  p.on('console', (m) => {
    if (/Content Security Policy/.test(m.text())) refused.push(`${path}: ${m.text()}`);
  });
  await p.goto(`${hub.url}${path}`);
  await p.waitForTimeout(500);
  return p;
}
/** Signs in and lets the app settle (its live hall arrives) before the page is checked. */
async function signIn(p: Page, username: string) {
  await signInAs(p, username);
  await p.waitForTimeout(1200);
}

/** Serious and critical WCAG 2 A/AA violations on the page, one line each. */
async function violations(p: Page): Promise<string[]> {
  // The page at rest: not whatever button the last click left the pointer over.
  await p.mouse.move(0, 0);
  const r = await new AxeBuilder({ page: p })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .map((n) => `${n.target.join(' ')}${process.env.AXE_DEBUG ? ` ${n.failureSummary}` : ''}`)
          .slice(0, 4)
          .join(' | ')}`,
    );
}

describe('accessibility (axe-core, WCAG 2.1 AA): no serious or critical violation', () => {
  it.each([
    ['hall wall', '/display', 1920, 1080],
    ['window display', '/display/window/c05', 1280, 720],
    ['window display, paused', '/display/window/c12', 960, 160],
    ['kiosk', '/kiosk', 1080, 1920],
    ['counter panel sign-in', '/counter', 1366, 768],
    ['console sign-in', '/console', 1920, 1080],
    ['evaluation screen', '/evaluate/c05', 1280, 800],
  ])('%s', async (_name, path, width, height) => {
    const p = await open(path, width, height);
    expect(await violations(p)).toEqual([]);
    await p.context().close();
  });

  it('mobile ticket', async () => {
    const p = await open(`/t/${ticketId}`, 390, 844);
    expect(await violations(p)).toEqual([]);
    await p.context().close();
  });

  it('counter panel at work, and its outcome dialog', async () => {
    const p = await open('/counter');
    await signIn(p, 'staff05');
    await p.locator('[data-testid=current-ticket]').waitFor();
    expect(await violations(p)).toEqual([]);
    await p.locator('button[data-action=start]').click();
    // Keys wait while a command is on its way: press C once the hub has answered the start.
    await expect.poll(() => p.locator('[data-testid=current-ticket]').textContent()).toContain('办理中');
    await p.keyboard.press('c');
    await p.locator('[data-testid=outcome-dialog]').waitFor();
    await p.waitForTimeout(600); // the dialog's fade-in, which axe would read as faint text
    expect(await violations(p)).toEqual([]);
    await p.context().close();
  });

  it('counter panel: the notices dialog and the follow-ups drawer (#13)', async () => {
    const p = await open('/counter');
    await signIn(p, 'staff05');
    await p.locator('[data-action=notices]').click();
    await p.locator('[data-testid=notice-dialog] [data-kind=one-time]').click();
    await p.waitForTimeout(600);
    expect(await violations(p)).toEqual([]);
    await p.keyboard.press('Escape');
    await p.waitForTimeout(400);
    await p.locator('[data-action=my-work]').click();
    await p.locator('[data-testid=my-work]').waitFor();
    await p.waitForTimeout(600);
    expect(await violations(p)).toEqual([]);
    await p.context().close();
  });

  it('buttons under the pointer keep AA contrast (counter panel and console)', async () => {
    // The solid buttons turn a lighter shade on hover, white text on it: each one, hovered, checked.
    const solid = ['primary', 'success', 'warning', 'danger', 'info'].map(
      (kind) => `button.el-button--${kind}:not(.is-plain):not(.is-link):not(.is-text):not(.is-disabled)`,
    );
    const hovered = async (p: Page) => {
      const found: string[] = [];
      for (const selector of solid)
        for (const b of await p.locator(selector).all()) {
          if (!(await b.isVisible())) continue;
          await b.hover();
          await p.waitForTimeout(250); // Element Plus eases the colour in
          const r = await new AxeBuilder({ page: p })
            .include(selector)
            .withRules(['color-contrast'])
            .analyze();
          found.push(...r.violations.flatMap((v) => v.nodes.map((n) => `${selector}: ${n.failureSummary}`)));
        }
      return found;
    };
    const panel = await open('/counter');
    await signIn(panel, 'staff05');
    await panel.locator('[data-testid=current-ticket]').waitFor();
    expect(await panel.locator(solid.join(',')).count()).toBeGreaterThan(0);
    expect(await hovered(panel)).toEqual([]);
    await panel.context().close();
    const desk = await open('/console', 1920, 1080);
    await signIn(desk, 'manager');
    expect(await hovered(desk)).toEqual([]);
    await desk.context().close();
  });

  it('supervisor console', async () => {
    const p = await open('/console', 1920, 1080);
    await signIn(p, 'manager');
    expect(await violations(p)).toEqual([]);
    await p.context().close();
  });
});
