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
});
