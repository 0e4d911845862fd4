import { describe, expect, it } from 'vitest';
import { childToken } from '../support/child-hub.js';
import { browserHall, signIn } from '../support/browser.js';

/**
 * #13 in the browser (R36): a 非常不满意 given on the phone opens a case in the console; the hall
 * manager assigns it and closes it with the call back's note; the follow-up rate shows it.
 */
const e2e = browserHall();

const post = async (path: string, body: unknown, token?: string) => {
  const res = await fetch(`${e2e.hub.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { id: string; number: string };
};

describe('the bad-review loop in the console (R36)', () => {
  it('a 非常不满意 opens a case the manager assigns and closes with a call-back note', async () => {
    const console_ = await (
      await e2e.browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    ).newPage();
    await console_.goto(`${e2e.hub.url}/console`);
    await signIn(console_, 'manager');
    const panel = console_.locator('[data-testid=cases]');
    await panel.waitFor();
    expect(await panel.locator('[data-figure=follow-up]').textContent()).toBe('—');

    const t = await post('/halls/demo/tickets', { serviceId: 'housing-fund' });
    const clerk = childToken('s05');
    for (const [action, body] of [
      ['open', {}],
      ['call', { ticketId: t.id }],
      ['start', {}],
      ['complete', { outcome: 'accepted' }],
    ] as const)
      await post(`/halls/demo/counters/c05/${action}`, body, clerk);
    await post(`/tickets/${t.id}/rating`, {
      level: 1,
      comment: '提取公积金被要求重复提交材料',
      aspects: ['efficiency'],
      phone: '13912345678',
    });

    // The case comes at once: the ticket, window and clerk, the comment, the number masked, the call-back deadline.
    const card = panel.locator('[data-testid=case][data-kind=bad-review]').first();
    await card.waitFor();
    const text = (await card.textContent())!;
    expect(text).toContain(t.number);
    expect(text).toContain('5 号窗口');
    expect(text).toContain('陈静');
    expect(text).toContain('提取公积金被要求重复提交材料');
    expect(text).toContain('139****5678');
    expect(text).not.toContain('13912345678');
    expect(await card.locator('[data-testid=case-due]').textContent()).toContain('回访期限');
    expect(await panel.locator('[data-figure=follow-up]').textContent()).toBe('0%');

    // Assigned to 赵敏 (s07).
    await card.locator('.el-select').click();
    await console_.locator('.el-select-dropdown__item:visible', { hasText: '赵敏' }).click();
    await card.locator('[data-action=assign-case]').click();
    await expect.poll(() => card.locator('[data-testid=case-assignee]').textContent()).toContain('赵敏');

    // Closed with the call back's note: both recorded, the case leaves the open list.
    await card.locator('[data-action=close-case]').click();
    const box = console_.locator('.el-message-box');
    await box.waitFor();
    expect(await box.textContent()).toContain('回访');
    await box.locator('textarea').fill('已电话回访申请人，说明一次性告知清单，申请人表示满意');
    await box.locator('.el-button--primary').click();
    await expect.poll(() => panel.locator('[data-testid=case][data-kind=bad-review]').count()).toBe(0);
    const closed = panel.locator('[data-testid=closed-case]').first();
    expect(await closed.textContent()).toContain('已电话回访申请人');
    expect(await panel.locator('[data-figure=follow-up]').textContent()).toBe('100%');
    expect(await panel.locator('[data-figure=rectification]').textContent()).toBe('0%');
    await console_.context().close();
  });

  it('the “办不成事” window records a problem; the clerk works the case assigned and sees their first contacts (R14, R23)', async () => {
    const panel = await (
      await e2e.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
    ).newPage();
    await panel.goto(`${e2e.hub.url}/counter`);
    await signIn(panel, 'staff12');
    await panel.click('[data-counter=c12]');
    for (const box of ['pc', 'caller', 'pad', 'forms']) await panel.click(`[data-check=${box}]`);
    await panel.getByRole('button', { name: '开始服务' }).click();
    await panel.locator('[data-testid=current-ticket]').waitFor();

    // An applicant at the window: called, then sent on to 住房公积金 (R23: the clerk stays responsible).
    const t = await post('/halls/demo/tickets', { serviceId: 'cannot-get-done' });
    const clerk = childToken('s12');
    await post('/halls/demo/counters/c12/call', { ticketId: t.id }, clerk);
    await post('/halls/demo/counters/c12/start', {}, clerk);

    /** Answers the prompt titled `title` (one closing may still be on screen as the next opens). */
    const answer = async (title: string, text: string) => {
      const box = panel.getByRole('dialog', { name: title });
      await box.locator('input').fill(text);
      await box.locator('.el-button--primary').click();
    };
    await panel.click('[data-action=my-work]');
    const drawer = panel.locator('[data-testid=my-work]');
    await drawer.waitFor();
    await drawer.getByRole('tab', { name: '登记“办不成事”' }).click();
    const form = drawer.locator('[data-testid=report-problem]');
    await form
      .locator('textarea[name=problem]')
      .fill('公积金提取被要求提供单位已注销的证明，两个窗口互相推诿');
    await form.locator('input[name=departments]').fill('市住房公积金管理中心、区市场监管局');
    await form.getByText('复杂（5 个工作日）').click();
    await form.locator('[data-action=report]').click();
    await expect
      .poll(() => drawer.getByRole('tab', { name: /我的工单/ }).getAttribute('aria-selected'))
      .toBe('true');

    // R14: the clerk who recorded it leads it: it shows among their cases at once.
    const snapshot = await fetch(`${e2e.hub.url}/api/v1/halls/demo/snapshot`, {
      headers: { authorization: `Bearer ${childToken('mgr01')}` },
    });
    const cases = (
      (await snapshot.json()) as {
        cases: Array<{ id: string; kind: string; openedBy: string; ticketId: string }>;
      }
    ).cases;
    const mine = cases.find((c) => c.kind === 'cannot-do' && c.openedBy === 's12')!;
    expect(mine.ticketId).toBe(t.id);
    const card = drawer.locator('[data-testid=my-case][data-kind=cannot-do]');
    await card.waitFor();
    expect(await card.textContent()).toContain('两个窗口互相推诿');

    // Handed over (the department, then the note), then closed.
    await card.locator('[data-step=handed-over]').click();
    await answer('承办部门（将告知申请人）', '市住房公积金管理中心');
    await answer('转交部门', '已转交，告知申请人由中心归集科李科长负责');
    await expect.poll(() => card.locator('[data-step=handed-over]').count()).toBe(0);
    await card.locator('[data-action=close-case]').click();
    await answer('办结', '已协调部门，申请人可凭承诺书办理');
    await expect.poll(() => drawer.locator('[data-testid=my-case]').count()).toBe(0);

    // R23: the applicant sent on to 住房公积金 is still on the clerk's list, with where they are now.
    await post('/halls/demo/counters/c12/transfer', { to: { serviceId: 'housing-fund' }, note: '' }, clerk);
    await drawer.getByRole('tab', { name: /我首问的群众/ }).click();
    const row = drawer.locator(`[data-testid=my-applicants] tr[data-ticket="${t.id}"]`);
    await expect.poll(() => row.textContent()).toContain('等候：住房公积金');
    expect(await row.textContent()).toContain('12 号窗口');
    await panel.context().close();
  });
});
