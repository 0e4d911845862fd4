import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { childToken } from '../support/child-hub.js';
import { browserHall, signIn } from '../support/browser.js';
import { applicant } from '../support/applicants.js';

/** #12, R9 in the browser: the kiosk asks for an ID number, the counter panel masks and reveals. */
const e2e = browserHall();

async function page(path: string, width = 1366, height = 768): Promise<Page> {
  const ctx = await e2e.browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
  const p = await ctx.newPage();
  await p.goto(`${e2e.hub.url}${path}`);
  return p;
}

describe('applicants’ details in the apps (#12, R9)', () => {
  it('the kiosk takes an ID number where the service needs one, keeps nothing, and the clerk reveals on record', async () => {
    const amy = applicant(11);
    const kiosk = await page('/kiosk#device-token=demo-kiosk-token', 1080, 1920);
    await kiosk.click('button[data-service="exit-entry"]');
    const form = kiosk.locator('[data-testid=identify]');
    await form.waitFor();
    expect(await form.textContent()).toContain('出入境证件');
    // A wrong check character is caught on the kiosk, in the applicant's language.
    await kiosk.fill(
      'input[name=id-number]',
      amy.idNumber.slice(0, 17) + (amy.idNumber.endsWith('1') ? '2' : '1'),
    );
    await kiosk.click('[data-testid=identify] button[type=submit]');
    await expect.poll(() => kiosk.locator('.error').textContent()).toContain('身份证号码不正确');
    await kiosk.fill('input[name=id-number]', amy.idNumber);
    await kiosk.fill('input[name=applicant-name]', amy.name);
    await kiosk.fill('input[name=mobile]', amy.phone);
    await kiosk.click('[data-testid=identify] button[type=submit]');
    const slip = kiosk.locator('[data-testid=ticket-slip]');
    await slip.waitFor();
    const number = (await kiosk.locator('[data-testid=ticket-number]').textContent())!.trim();
    expect(number).toMatch(/^H\d{3}$/);
    // The slip (and what it prints) names no one.
    const printed = (await slip.textContent())!;
    for (const part of [amy.name, amy.phone.slice(3), amy.idNumber.slice(6, 14)])
      expect(printed).not.toContain(part);
    // The next applicant finds an empty form; the same person again is refused by the e2e.hub.
    await kiosk.click('button[data-action=done]');
    await kiosk.click('button[data-service="exit-entry"]');
    expect(await kiosk.inputValue('input[name=id-number]')).toBe('');
    expect(await kiosk.inputValue('input[name=applicant-name]')).toBe('');
    expect(await kiosk.inputValue('input[name=mobile]')).toBe('');
    await kiosk.fill('input[name=id-number]', amy.idNumber);
    await kiosk.click('[data-testid=identify] button[type=submit]');
    await expect.poll(() => kiosk.locator('.error').textContent()).toContain('同一事项一次只能取一个号');

    // Window 10's clerk calls it: the name and number masked, in full after a reason.
    const panel = await page('/counter');
    await signIn(panel, 'staff10');
    await panel.click('[data-counter=c10]');
    for (const box of ['pc', 'caller', 'pad', 'forms']) await panel.click(`[data-check=${box}]`);
    await panel.getByRole('button', { name: '开始服务' }).click();
    await panel.locator('[data-testid=current-ticket]').waitFor();
    await expect.poll(() => panel.locator('button[data-action=callNext]').isDisabled()).toBe(false);
    await panel.keyboard.press('n');
    await expect.poll(() => panel.locator('[data-testid=current-ticket] .number').textContent()).toBe(number);
    const name = panel.locator('[data-testid=applicant-name]');
    const phone = panel.locator('[data-testid=applicant-phone]');
    expect(await name.textContent()).toBe(`${amy.name[0]}**${amy.name[3]}`);
    expect(await phone.textContent()).toBe(`${amy.phone.slice(0, 3)}****${amy.phone.slice(7)}`);
    expect(await panel.locator('[data-testid=current-ticket]').textContent()).toContain('已登记身份证');
    await panel.click('[data-action=reveal]');
    await panel.fill('.el-message-box input', '核对身份');
    await panel.click('.el-message-box .el-button--primary');
    await expect.poll(() => name.textContent()).toBe(amy.name);
    expect(await phone.textContent()).toBe(amy.phone);

    // The manager finds the reveal, with its reason, in the audit log.
    const audit = await fetch(`${e2e.hub.url}/api/v1/halls/demo/audit?action=reveal`, {
      headers: { authorization: `Bearer ${childToken('mgr01')}` },
    });
    const { entries } = (await audit.json()) as { entries: Array<{ who: string; detail?: string }> };
    expect(entries).toEqual([expect.objectContaining({ who: 'staff:s10', detail: '核对身份' })]);
  });
});
