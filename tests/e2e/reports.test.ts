import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { Report } from '@yichuang/protocol';
import { DEMO_CONFIG_PATH, FileJournal, generateHistory, loadInstallation } from '@yichuang/server';
import { childToken } from '../support/child-hub.js';
import { browserHall, signIn } from '../support/browser.js';

/**
 * #14 in the browser: a manager opens the reports, picks a month of the hall's history, drills down
 * to a day and to a ticket, and exports the month as XLSX, which holds the same totals.
 */
const e2e = browserHall(async (dir) => {
  // October 2026 after the Golden Week, written to the hub's journal through the real engine; the
  // hub archives it as it starts.
  const hall = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
  const journal = new FileJournal(join(dir, 'journal'));
  let version = 0;
  for (const d of generateHistory(hall, { from: '2026-10-09', days: 23, seed: 3, perDay: 260 })) {
    const r = await journal.append(hall.id, version, d.events);
    if (!r.ok) throw new Error('journal refused the generated history');
    version = r.version;
  }
  await journal.close();
  return {};
});

const read = async (path: string) => {
  const res = await fetch(`${e2e.hub.url}/api/v1/halls/demo${path}`, {
    headers: { authorization: `Bearer ${childToken('mgr01')}` },
  });
  return (await res.json()) as Report;
};

describe('the console’s reports (#14)', () => {
  it('shows a month, drills down to a day and a ticket, and exports the same totals', async () => {
    // The hub archives the month as it starts: wait until every day is in.
    let month = await read('/reports?from=2026-10-01&to=2026-10-31&by=day');
    for (let i = 0; i < 100 && month.archivedDays < 20; i++) {
      await new Promise((r) => setTimeout(r, 100));
      month = await read('/reports?from=2026-10-01&to=2026-10-31&by=day');
    }
    expect(month.rows.length).toBeGreaterThanOrEqual(18);

    const page = await (
      await e2e.browser.newContext({
        viewport: { width: 1920, height: 1080 },
        locale: 'zh-CN',
        acceptDownloads: true,
      })
    ).newPage();
    await page.goto(`${e2e.hub.url}/console/reports`);
    await signIn(page, 'manager');
    const monthInput = page.locator('[data-testid=reports] .el-date-editor input');
    await monthInput.waitFor();
    await monthInput.fill('2026-10');
    await monthInput.press('Enter');
    await page.locator('[data-testid=crumb-month]').filter({ hasText: '2026-10' }).waitFor();

    // The month: its figures and one row per open day.
    const days = page.locator('[data-testid=report-days] .el-table__body tr');
    await expect.poll(() => days.count()).toBe(month.rows.length);
    expect(await page.locator('[data-figure=issued] dd').textContent()).toBe(String(month.total.issued));
    expect(await page.locator('[data-figure=served] dd').textContent()).toBe(String(month.total.served));
    expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(1);

    // Exported as XLSX: the same total as on screen.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=export-xlsx]'),
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await download.path());
    const sheet = book.getWorksheet('报表')!;
    const total = sheet.getRow(sheet.rowCount).values as unknown[];
    expect(total[2]).toBe('合计');
    expect(total[3]).toBe(month.total.issued);
    expect(total[4]).toBe(month.total.served);
    expect(sheet.rowCount).toBe(3 + month.rows.length);

    // Down to a day: its hours, services and tickets.
    const first = month.rows[0]!;
    await days.first().click();
    await page.locator('[data-testid=crumbs]').filter({ hasText: first.key }).waitFor();
    const tickets = page.locator('[data-testid=report-tickets] .el-table__body tr');
    await expect.poll(() => tickets.count()).toBe(first.issued);
    expect(await page.locator('[data-figure=issued] dd').textContent()).toBe(String(first.issued));
    await page.screenshot({ path: join(e2e.dir, 'reports-day.png') });

    // And to a ticket.
    const number = (await tickets.first().locator('td').first().textContent())!.trim();
    await tickets.first().click();
    const dialog = page.locator('.el-dialog').filter({ hasText: number });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('取号时间');

    // Back to the month from the breadcrumb.
    await page.keyboard.press('Escape');
    await page.click('[data-testid=crumb-month]');
    await expect.poll(() => days.count()).toBe(month.rows.length);
  }, 90_000);
});
