import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import { browserHall, signIn } from '../support/browser.js';
import { childToken } from '../support/child-hub.js';

/**
 * #13 in the browser (R18, R24): the clerk at window 6 gives a one-time notice for the ticket being
 * served, ticking two materials of 不动产登记's list; the print view, printed to PDF by Chromium,
 * lists exactly those, on two A4 pages (the applicant's copy and the archive's), and can be printed
 * again from the ticket.
 */
const e2e = browserHall();

describe('the one-time notice in the counter panel (R18, R24)', () => {
  it('prints exactly the ticked materials, in two copies, as a PDF', async () => {
    const ctx = await e2e.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    // The print dialog is the browser's: the test counts the calls and prints to PDF itself.
    await ctx.addInitScript('window.__printed = 0; window.print = () => { window.__printed += 1; };');
    const panel = await ctx.newPage();
    await panel.goto(`${e2e.hub.url}/counter`);
    await signIn(panel, 'staff06');
    await panel.click('[data-counter=c06]');
    for (const box of ['pc', 'caller', 'pad', 'forms']) await panel.click(`[data-check=${box}]`);
    await panel.getByRole('button', { name: '开始服务' }).click();
    await panel.locator('[data-testid=current-ticket]').waitFor();

    const res = await fetch(`${e2e.hub.url}/api/v1/halls/demo/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceId: 'real-estate' }),
    });
    const ticket = (await res.json()) as { number: string };
    await expect.poll(() => panel.locator('button[data-action=callNext]').isDisabled()).toBe(false);
    await panel.keyboard.press('n');
    await expect
      .poll(() => panel.locator('[data-testid=current-ticket] .number').textContent())
      .toBe(ticket.number);

    await panel.click('[data-action=notices]');
    const dialog = panel.locator('[data-testid=notice-dialog]');
    await dialog.waitFor();
    await dialog.locator('[data-kind=one-time]').click();
    expect(await panel.locator('[data-action=issue-notice]').isDisabled()).toBe(true);
    await dialog.locator('[data-material=title-certificate]').click();
    await dialog.locator('[data-material=marital-status]').click();
    await panel.click('[data-action=issue-notice]');
    await expect
      .poll(() => panel.evaluate(() => (globalThis as unknown as { __printed: number }).__printed))
      .toBe(1);

    const pdf = await panel.pdf({ format: 'A4', printBackground: true });
    await writeFile(join(e2e.dir, 'one-time-notice.pdf'), pdf);
    const doc = await getDocumentProxy(new Uint8Array(pdf));
    const { totalPages, text } = await extractText(doc, { mergePages: false });
    // Two copies, one per page: the applicant's and the archive's.
    expect(totalPages).toBe(2);
    const [first, second] = text.map((p) =>
      // The CJK font maps some characters to their Kangxi radical look-alikes (⼀ for 一): NFKC folds them.
      p.normalize('NFKC').replace(/\s+/g, ''),
    );
    expect(first).toContain('第一联申请人留存');
    expect(second).toContain('第二联窗口存档');
    for (const page of [first!, second!]) {
      expect(page).toContain('一次性告知书');
      expect(page).toMatch(/\(\d{4}\)告字第000001号/);
      expect(page).toContain(`号票${ticket.number}`);
      expect(page).toContain('不动产登记');
      // Exactly the ticked materials, and none of the others on the service's list.
      expect(page).toContain('不动产权属证书');
      expect(page).toContain('婚姻状况证明');
      for (const other of ['不动产登记申请书', '存量房买卖合同', '完税凭证', '买卖双方身份证明'])
        expect(page).not.toContain(other);
      expect(page).toContain('6号窗口');
      expect(page).toContain('市不动产登记中心');
    }
    // The screen is the panel still: only the notice prints.
    expect(await panel.locator('[data-testid=current-ticket]').isVisible()).toBe(true);

    // Recorded on the ticket, and printed again from it.
    await expect
      .poll(() => dialog.locator('[data-testid=notices-given]').textContent())
      .toMatch(/告字第000001号/);
    await dialog.locator('[data-reprint]').first().click();
    await expect
      .poll(() => panel.evaluate(() => (globalThis as unknown as { __printed: number }).__printed))
      .toBe(2);
    await ctx.close();
  });

  it('an admin changes a service’s materials in the console; a promise beyond the legal limit is refused before it is sent', async () => {
    const ctx = await e2e.browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
    const console_ = await ctx.newPage();
    await console_.goto(`${e2e.hub.url}/console`);
    await signIn(console_, 'admin');
    const panel = console_.locator('[data-testid=catalogue]');
    await panel.waitFor();
    await panel.locator('.pick').click();
    await console_.locator('.el-select-dropdown__item:visible', { hasText: '税务办理' }).click();
    const rows = panel.locator('[data-testid=materials] tbody tr');
    const before = await rows.count();
    expect(before).toBeGreaterThan(0);
    await panel.locator('[data-action=add-material]').click();
    await rows.nth(before).locator('input').first().fill('发票领用簿');
    // Promised 20 working days against a legal limit of 15: caught here with the hub's own rule.
    await panel.locator('.el-switch').first().click();
    await panel.locator('[data-field=legal] input').fill('15');
    await panel.locator('[data-field=promised] input').fill('20');
    await panel.locator('[data-action=save-catalogue]').click();
    await expect
      .poll(() => panel.locator('[data-testid=catalogue-problem]').textContent())
      .toContain('exceed');
    await panel.locator('[data-field=promised] input').fill('3');
    await panel.locator('[data-action=save-catalogue]').click();
    await expect.poll(() => panel.textContent()).toContain('已保存');
    const res = await fetch(`${e2e.hub.url}/api/v1/halls/demo/snapshot`, {
      headers: { authorization: `Bearer ${childToken('mgr01')}` },
    });
    const tax = (
      (await res.json()) as {
        services: Array<{
          id: string;
          catalogue?: { promisedDays: number; legalDays: number | null; materials: Array<{ name: string }> };
        }>;
      }
    ).services.find((x) => x.id === 'tax')!;
    expect(tax.catalogue).toMatchObject({ promisedDays: 3, legalDays: 15 });
    expect(tax.catalogue!.materials.map((m) => m.name)).toContain('发票领用簿');
    await ctx.close();
  });
});
