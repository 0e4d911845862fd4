import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserHall, signIn } from '../support/browser.js';

/** #12, R8 in the browser: a manager deactivates a clerk from the console; the clerk's panel is out at once. */
const e2e = browserHall();

async function page(path: string): Promise<Page> {
  const ctx = await e2e.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const p = await ctx.newPage();
  await p.goto(`${e2e.hub.url}${path}`);
  return p;
}

/** The access token the tab keeps (undefined when signed out). */
const tokenOf = async (p: Page) =>
  (
    JSON.parse((await p.evaluate<string | null>("sessionStorage.getItem('yc.session')")) ?? 'null') as {
      token: string;
    } | null
  )?.token;

describe('revocation in the browser (#12, R8)', () => {
  it('a clerk deactivated from the console is back at the sign-in page at once, and cannot sign in again', async () => {
    const panel = await page('/counter');
    await signIn(panel, 'staff10');
    await panel.locator('[data-counter]').first().waitFor();
    const console = await page('/console');
    await signIn(console, 'manager');
    const access = console.locator('[data-testid=access]');
    await access.scrollIntoViewIfNeeded();
    await access.locator('button[data-action=deactivate-s10]').click();
    await console.locator('.el-message-box__input input').fill('调离窗口岗位');
    const started = Date.now();
    await console.locator('.el-message-box__btns .el-button--primary').click();
    await panel.locator('input[name=username]').waitFor({ timeout: 3000 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await tokenOf(panel)).toBeUndefined();
    await access.getByText('已停用').waitFor();
    await console.screenshot({ path: join(e2e.dir, 'console-access.png') });
    // The right password no longer opens the panel.
    await signIn(panel, 'staff10');
    await expect.poll(() => panel.locator('body').textContent()).toContain('您没有这项操作的权限');
    await access.locator('button[data-action=reactivate-s10]').click();
    await access.locator('button[data-action=deactivate-s10]').waitFor();
    await signIn(panel, 'staff10');
    await panel.locator('[data-counter]').first().waitFor();
  });

  it('signing out of the panel ends the session at the hub, not only in the browser', async () => {
    const panel = await page('/counter');
    await signIn(panel, 'staff11');
    await panel.locator('[data-counter]').first().waitFor();
    const token = await tokenOf(panel);
    expect(token).toBeTruthy();
    const snapshot = () =>
      fetch(`${e2e.hub.url}/api/v1/halls/demo/snapshot`, { headers: { authorization: `Bearer ${token}` } });
    expect((await snapshot()).status).toBe(200);
    await panel.click('button[data-action=sign-out]');
    await panel.locator('input[name=username]').waitFor();
    await expect.poll(async () => (await snapshot()).status).toBe(401);
  });
});
