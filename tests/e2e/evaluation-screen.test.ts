import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG_PATH } from '@yichuang/server';
import { childToken, demoHallFile } from '../support/child-hub.js';
import { browserHall, signIn } from '../support/browser.js';

/**
 * R21, R34: a window without an evaluation pad (window 9's is taken away here) rates on the panel's
 * second screen: the clerk opens it once; each ticket completed there invites its applicant to rate.
 */
const e2e = browserHall(async (dir) => {
  const demo = JSON.parse(await readFile(DEMO_CONFIG_PATH, 'utf8')) as {
    halls: Array<{ devices: Array<{ id: string }> }>;
  };
  const devices = demo.halls[0]!.devices.filter((d) => d.id !== 'evaluator-9');
  return { HALL_CONFIG: await demoHallFile(dir, { devices }) };
});

describe('the evaluation screen of a window without a pad (R34)', () => {
  it('invites the applicant of each completed ticket to rate, and the rating is the ticket’s', async () => {
    const ctx = await e2e.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    const panel = await ctx.newPage();
    await panel.goto(`${e2e.hub.url}/counter`);
    await signIn(panel, 'staff09');
    await panel.click('[data-counter=c09]');
    for (const box of ['pc', 'caller', 'pad', 'forms']) await panel.click(`[data-check=${box}]`);
    await panel.getByRole('button', { name: '开始服务' }).click();

    const res = await fetch(`${e2e.hub.url}/api/v1/halls/demo/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceId: 'tax' }),
    });
    const t = (await res.json()) as { id: string; number: string };
    await expect.poll(() => panel.locator('button[data-action=callNext]').isDisabled()).toBe(false);
    await panel.keyboard.press('n');
    await panel.locator('[data-action=evaluation-screen]').waitFor();
    const [screen] = await Promise.all([
      ctx.waitForEvent('page'),
      panel.click('[data-action=evaluation-screen]'),
    ]);
    await screen.locator('[data-testid=evaluate]').waitFor();
    expect(await screen.textContent('[data-testid=evaluate]')).toContain('欢迎您对本窗口的服务进行评价');

    // The clerk completes the ticket (here by the keypad's door): the screen asks its applicant.
    const clerk = childToken('s09');
    for (const [action, body] of [
      ['start', {}],
      ['complete', { outcome: 'accepted' }],
    ] as const)
      await fetch(`${e2e.hub.url}/api/v1/halls/demo/counters/c09/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${clerk}` },
        body: JSON.stringify(body),
      });
    const form = screen.locator('[data-testid=rate]');
    await form.waitFor();
    expect(await screen.textContent('[data-testid=evaluate]')).toContain(t.number);
    expect(await form.textContent()).toContain('为您服务的是');
    await screen.click('[data-level="4"]');
    await screen.click('[data-aspect=efficiency]');
    await screen.click('[data-testid=rate] button[type=submit]');
    await screen.locator('[data-testid=thanks]').waitFor();

    const view = (await (await fetch(`${e2e.hub.url}/api/v1/tickets/${t.id}`)).json()) as {
      rating: { level: number } | null;
    };
    expect(view.rating).toEqual({ level: 4 });
    await ctx.close();
  });
});
