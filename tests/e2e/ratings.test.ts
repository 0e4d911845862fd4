import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG_PATH, loadInstallation } from '@yichuang/server';
import { HallSimulator } from '@yichuang/edge-gateway';
import { childToken } from '../support/child-hub.js';
import { browserHall, signIn } from '../support/browser.js';
import { eventually, startGateway, testRoot } from '../support/gateway.js';

/** R34 in the browser: the applicant rates on the phone page, and the hall manager sees it at once. */
const e2e = browserHall();

const post = async (path: string, body: unknown, token?: string) => {
  const res = await fetch(`${e2e.hub.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { id: string; number: string };
};

describe('ratings in the apps (R34)', () => {
  it('a served applicant rates 非常不满意 on the phone; the console shows it among the bad reviews', async () => {
    const console_ = await (
      await e2e.browser.newContext({ viewport: { width: 1920, height: 1080 } })
    ).newPage();
    await console_.goto(`${e2e.hub.url}/console`);
    await signIn(console_, 'manager');
    const card = console_.locator('[data-testid=ratings]');
    await card.waitFor();
    expect(await card.locator('[data-level="1"] dd').textContent()).toBe('0');

    const t = await post('/halls/demo/tickets', { serviceId: 'housing-fund' });
    const clerk = childToken('s05');
    for (const [action, body] of [
      ['open', {}],
      ['call', { ticketId: t.id }],
      ['start', {}],
      ['complete', { outcome: 'one-time-notice' }],
    ] as const)
      await post(`/halls/demo/counters/c05/${action}`, body, clerk);

    const phone = await (
      await e2e.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
    ).newPage();
    await phone.goto(`${e2e.hub.url}/t/${t.id}`);
    const form = phone.locator('[data-testid=rate]');
    await form.waitFor();
    expect(await form.textContent()).toContain('为您服务的是');
    // Nothing is chosen for the applicant: sending waits for a level.
    expect(await phone.locator('[data-testid=rate] button[type=submit]').isDisabled()).toBe(true);
    await phone.click('[data-level="1"]');
    // R35: what it was about; R36: a number to call back, offered with a bad review only.
    await phone.click('[data-aspect=competence]');
    await phone.click('[data-aspect=efficiency]');
    await phone.fill('input[name=phone]', '1391234');
    expect(await phone.locator('[data-testid=rate] button[type=submit]').isDisabled()).toBe(true);
    await phone.fill('input[name=phone]', '13912345678');
    await phone.fill('textarea[name=comment]', '材料清单前后说法不一致');
    await phone.click('[data-testid=rate] button[type=submit]');
    await expect.poll(() => phone.locator('[data-testid=rated]').textContent()).toContain('非常不满意');

    await expect.poll(() => card.locator('[data-level="1"] dd').textContent()).toBe('1');
    const row = card.locator('[data-testid=bad-reviews] .el-table__row').first();
    await expect.poll(() => row.textContent()).toContain(t.number);
    expect(await row.textContent()).toContain('材料清单前后说法不一致');
    expect(await row.textContent()).toContain('5 号窗口');
    expect(await row.textContent()).toContain('业务能力、办事效率');
    // The bad review opened a follow-up case with the number to call back (masked here).
    const c = card.page().locator('[data-testid=case][data-kind=bad-review]').first();
    await expect.poll(() => c.textContent()).toContain('139****5678');
  });

  it('a rating on the evaluator pad at window 5, over MQTT through the gateway, shows in the console', async () => {
    const hall = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
    const root = testRoot();
    const gw = await startGateway({ hubUrl: e2e.hub.url, hall, root });
    const sim = new HallSimulator(hall, {
      url: `mqtt://127.0.0.1:${gw.mqttPort}`,
      root,
      only: (id) => id === 'evaluator-5',
    });
    await sim.start();
    try {
      const console_ = await (
        await e2e.browser.newContext({ viewport: { width: 1920, height: 1080 } })
      ).newPage();
      await console_.goto(`${e2e.hub.url}/console`);
      await signIn(console_, 'manager');
      const card = console_.locator('[data-testid=ratings]');
      await card.waitFor();
      const before = Number(await card.locator('[data-level="2"] dd').textContent());

      const t = await post('/halls/demo/tickets', { serviceId: 'housing-fund' });
      const clerk = childToken('s05');
      for (const [action, body] of [
        ['call', { ticketId: t.id }],
        ['start', {}],
        ['complete', { outcome: 'accepted' }],
      ] as const)
        await post(`/halls/demo/counters/c05/${action}`, body, clerk);
      // The pad facing the applicant is asked about this ticket, with who served it.
      await eventually(() =>
        expect(sim.last.get('evaluator-5/prompt')?.payload).toMatchObject({
          ticketId: t.id,
          staffName: '陈静',
        }),
      );
      await sim.rate(5, 2, '窗口人员解释不清', ['competence']);
      await expect.poll(() => card.locator('[data-level="2"] dd').textContent()).toBe(String(before + 1));
      const row = card.locator('[data-testid=bad-reviews] .el-table__row', { hasText: t.number });
      await expect.poll(() => row.textContent()).toContain('窗口人员解释不清');
      expect(await row.textContent()).toContain('业务能力');
      await console_.context().close();
    } finally {
      await sim.stop();
      await gw.close();
    }
  });
});
