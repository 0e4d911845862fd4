// `npm run screenshots`: regenerates docs/screens/*.png (zh-CN) from the built apps served by a
// hub with a morning's worth of demo activity. Needs Debian's Chromium and fonts-noto-cjk.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { childToken, startChildHub } from '../tests/support/child-hub.js';
import { launchChromium, RECORD_SPEECH } from '../tests/support/browser.js';
import { startGateway } from '../tests/support/gateway.js';
import { HallSimulator } from '@yichuang/edge-gateway';
import { DEMO_CONFIG_PATH, FileJournal, generateHistory, loadInstallation } from '@yichuang/server';

const out = fileURLToPath(new URL('../docs/screens/', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'yc-shots-'));
const hub = await startChildHub(dir);
const api = (path: string) => `${hub.url}/api/v1${path}`;
const mgr = childToken('mgr01');
const post = async (path: string, body?: unknown) => {
  const r = await fetch(api(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mgr}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await r.json()) as { id?: string; number?: string };
};

// A morning in the demo hall: counters open, tickets taken, some called, one window paused.
const staffing: Array<[string, string]> = [
  ['c01', 's01'],
  ['c03', 's03'],
  ['c04', 's04'],
  ['c05', 's05'],
  ['c06', 's06'],
  ['c08', 's08'],
  ['c10', 's10'],
  ['c12', 's12'],
];
for (const [c, s] of staffing) await post(`/halls/demo/counters/${c}/open`, { staffId: s });
const services = [
  'social-insurance',
  'medical-insurance',
  'housing-fund',
  'real-estate',
  'household',
  'business-startup',
  'tax',
  'consultation',
];
// Most applicants gave a name and mobile number at the kiosk (#12: staff see them masked).
const NAMES = ['张建华', '李秀英', '王志强', '刘芳', '欧阳文博', '陈静', '杨洋', '赵丽娟', '黄晓明', '周敏'];
let mobileId = '';
for (let i = 0; i < 40; i++) {
  const t = await post('/halls/demo/tickets', {
    serviceId: services[i % services.length],
    priority: i % 9 === 0 ? 'special-care' : 'normal',
    ...(i % 4 === 3
      ? {}
      : { applicant: { name: NAMES[i % NAMES.length], phone: `1380571${String(1000 + i * 37)}` } }),
  });
  if (i === 30) mobileId = t.id!;
}
for (const c of ['c01', 'c03', 'c04', 'c05', 'c06', 'c08', 'c10'])
  await post(`/halls/demo/counters/${c}/call-next`);
// Two applicants served: one rated the service on the phone (R34), one still may.
const served: string[] = [];
for (const c of ['c01', 'c03']) {
  const done = (await post(`/halls/demo/counters/${c}/complete`, { outcome: 'accepted' })) as {
    ticket?: { id: string };
  };
  served.push(done.ticket!.id);
}
await post(`/tickets/${served[0]}/rating`, {
  level: 1,
  comment: '同一份材料让我来回跑了两次，希望一次说清楚',
  aspects: ['efficiency', 'competence'],
  phone: '13905718826',
});
// #13: the bad review's case assigned; a complaint by phone; a “办不成事” problem from window 12.
const hallState = async () =>
  (await (
    await fetch(api('/halls/demo/snapshot'), { headers: { authorization: `Bearer ${mgr}` } })
  ).json()) as {
    cases: Array<{ id: string; kind: string }>;
    counterStatus: Array<{ id: string; ticketId: string | null }>;
  };
const badReview = (await hallState()).cases.find((c) => c.kind === 'bad-review')!;
await post(`/halls/demo/cases/${badReview.id}/assign`, { staffId: 's07' });
await post(`/halls/demo/cases/${badReview.id}/record`, {
  step: 'investigated',
  note: '调阅录音录像：窗口未一次性告知需提供的婚姻关系证明，情况属实',
});
await post('/halls/demo/cases', {
  kind: 'complaint',
  description: '12345 热线转来：公积金提取到账时间比窗口告知的晚了一周，多次来电无人答复',
  serviceIds: ['housing-fund'],
  departments: ['市住房公积金管理中心'],
  applicant: { name: '孙立平', phone: '13757123456' },
});
await fetch(api('/halls/demo/cases'), {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${childToken('s12')}` },
  body: JSON.stringify({
    kind: 'cannot-do',
    description: '企业注销后职工社保账户无法转出，人社和市场监管两个窗口互相推诿，已来回跑了三次',
    serviceIds: ['social-insurance', 'business-startup'],
    departments: ['市人力资源和社会保障局', '市市场监督管理局'],
    complexity: 'complex',
    remit: 'inside',
    applicant: { name: '钱卫东', phone: '13588886666' },
  }),
});
for (const c of ['c01', 'c03', 'c04'])
  await post(`/halls/demo/counters/${c}/call-next`).catch(() => undefined);
await post('/halls/demo/counters/c05/start');
// Window 6 sends its applicant to window 4 with a note; window 4 calls it after finishing its own.
await post('/halls/demo/counters/c06/start');
await post('/halls/demo/counters/c06/transfer', {
  to: { counterId: 'c04' },
  note: '已核对身份证原件，需补办不动产权证书查询，请直接受理',
});
await post('/halls/demo/counters/c04/complete', { outcome: 'one-time-notice' }).catch(() => undefined);
await post('/halls/demo/counters/c04/call-next');
await post('/halls/demo/counters/c12/pause', { reason: 'material', note: '去档案室调取原件' });
// The live rules (#11): a clerk reports an incident, another window opened with its pad failing.
await post('/halls/demo/counters/c08/report-incident', {
  kind: 'quarrel',
  note: '两位申请人因排队顺序争执，已劝开',
});
await post('/halls/demo/counters/c09/open', {
  staffId: 's09',
  check: { pc: true, caller: true, pad: false, forms: true, note: '评价器黑屏，已报修' },
});

// The hall's hardware through the edge gateway: most devices working, the printer out of paper,
// window 7's evaluation pad dropped off the network, window 9's never reported.
const hall = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
const gw = await startGateway({ hubUrl: hub.url, hall });
const sim = new HallSimulator(hall, {
  url: `mqtt://127.0.0.1:${gw.mqttPort}`,
  root: gw.root,
  only: (id) => !/-9$/.test(id),
});
await sim.start();
sim.device('printer-1').faults = ['paper-out'];
await sim.device('printer-1').status(true);
sim.device('evaluator-7').crash();
// Wait until the hub has heard all of it (the console shows what the hub knows).
for (let i = 0; ; i++) {
  const snap = (await (
    await fetch(api('/halls/demo/snapshot'), { headers: { authorization: `Bearer ${mgr}` } })
  ).json()) as { devices: Array<{ id: string; health: { online: boolean; faults: string[] } | null }> };
  const health = (id: string) => snap.devices.find((d) => d.id === id)?.health;
  if (health('printer-1')?.faults.includes('paper-out') && health('evaluator-7')?.online === false) break;
  if (i > 100) throw new Error(`devices not reported: ${JSON.stringify(snap.devices.slice(0, 8))}`);
  await new Promise((r) => setTimeout(r, 100));
}

const browser = await launchChromium();
await mkdir(out, { recursive: true });
async function shot(
  name: string,
  path: string,
  width: number,
  height: number,
  prepare?: (p: Page) => Promise<void>,
  opts: { english?: boolean; fullPage?: boolean; base?: string } = {},
) {
  const ctx = await browser.newContext({
    viewport: { width, height },
    locale: 'zh-CN',
    deviceScaleFactor: 1,
  });
  const p = await ctx.newPage();
  await p.addInitScript(RECORD_SPEECH);
  if (opts.english) await p.addInitScript("localStorage.setItem('yc.lang', 'en')");
  await p.goto(`${opts.base ?? hub.url}${path}`);
  await p.waitForTimeout(600);
  await prepare?.(p);
  await p.waitForTimeout(400);
  await p.screenshot({ path: join(out, `${name}.png`), fullPage: opts.fullPage ?? false });
  await ctx.close();
  console.log(`docs/screens/${name}.png`);
}
const signIn = async (p: Page, username: string) => {
  await p.fill('input[name=username]', username);
  await p.fill('input[name=password]', 'demo');
  await p.click('button[type=submit]');
  await p.waitForTimeout(1500);
};

try {
  await shot('display-wall', '/display', 1920, 1080);
  await shot('display-wall-4k', '/display', 3840, 2160);
  await shot('window-display', '/display/window/c05', 1280, 720);
  await shot('window-display-paused', '/display/window/c12', 1280, 720);
  await shot('window-led-bar', '/display/window/c05', 960, 160);
  await shot('window-led-bar-paused', '/display/window/c12', 960, 160);
  await shot('window-unknown', '/display/window/c99', 960, 160);
  await shot('kiosk', '/kiosk#device-token=demo-kiosk-token', 1280, 1024);
  await shot('kiosk-portrait', '/kiosk#device-token=demo-kiosk-token', 1080, 1920);
  await shot('kiosk-large', '/kiosk#device-token=demo-kiosk-token', 1920, 1080, async (p) => {
    await p.click('button[data-option=large]');
  });
  await shot('kiosk-ticket', '/kiosk#device-token=demo-kiosk-token', 1280, 1024, async (p) => {
    await p.click('button[data-service="tax"]');
    await p.locator('[data-testid=ticket-slip]').waitFor();
  });
  await shot('mobile-ticket', `/t/${mobileId}`, 390, 844);
  await shot(
    'mobile-rating',
    `/t/${served[1]}`,
    390,
    844,
    async (p) => {
      await p.click('[data-level="2"]');
      await p.click('[data-aspect=attitude]');
      await p.fill('input[name=phone]', '13905710000');
    },
    { fullPage: true },
  );
  // A service that requires identification asks for the ID number (#12); nothing is kept on the kiosk.
  const identify = async (p: Page) => {
    await p.click('button[data-service="exit-entry"]');
    await p.fill('input[name=id-number]', '11010519491231002X');
    await p.fill('input[name=mobile]', '13905711234');
  };
  await shot('kiosk-identify', '/kiosk#device-token=demo-kiosk-token', 1080, 1920, identify);
  await shot('kiosk-identify-en', '/kiosk#device-token=demo-kiosk-token', 1280, 1024, async (p) => {
    // The applicant switches the kiosk to English first (the kiosk starts in its own language).
    await p.click('button[lang=en]');
    await identify(p);
  });
  // Staff apps at the sizes they run at: a counter PC (1366×768) and a 1080p console.
  await shot('counter-panel-sign-in', '/counter', 1366, 768);
  await shot('counter-panel', '/counter', 1366, 768, async (p) => signIn(p, 'staff05'));
  await shot('counter-panel-en', '/counter', 1366, 768, async (p) => signIn(p, 'staff05'), { english: true });
  await shot('counter-panel-transferred', '/counter', 1366, 768, async (p) => signIn(p, 'staff04'));
  // The clerk sees the applicant in full for a minute, giving a reason the hall records (R9).
  await shot('counter-panel-revealed', '/counter', 1366, 768, async (p) => {
    await signIn(p, 'staff05');
    await p.click('[data-action=reveal]');
    await p.fill('.el-message-box input', '电话核对补交材料');
    await p.click('.el-message-box .el-button--primary');
    await p.waitForTimeout(500);
  });
  await shot('counter-panel-outcome', '/counter', 1366, 768, async (p) => {
    await signIn(p, 'staff05');
    await p.keyboard.press('c');
  });
  await shot('counter-panel-pre-shift', '/counter', 1366, 768, async (p) => {
    await signIn(p, 'staff07');
    await p.click('[data-counter=c07]');
  });
  // #13: a one-time notice at window 5, ticking what the applicant still has to bring (R24).
  await shot('counter-panel-notice', '/counter', 1366, 768, async (p) => {
    await signIn(p, 'staff05');
    await p.click('[data-action=notices]');
    await p.click('[data-testid=notice-dialog] [data-kind=one-time]');
    await p.click('[data-testid=notice-dialog] [data-material=purchase-invoice]');
    await p.click('[data-testid=notice-dialog] [data-material=marriage-proof]');
  });
  const c05 = (await hallState()).counterStatus.find((c) => c.id === 'c05')!.ticketId!;
  // Given by the clerk serving it (the notice names who gave it).
  await fetch(api(`/halls/demo/tickets/${c05}/issue-notice`), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${childToken('s05')}` },
    body: JSON.stringify({ kind: 'one-time', materialIds: ['purchase-invoice', 'marriage-proof'] }),
  });
  // The printed notice, as Chromium prints it on A4 (the applicant's copy, then the archive's).
  await shot(
    'notice-print',
    '/counter',
    794,
    1123,
    async (p) => {
      await p.addInitScript('window.print = () => {};');
      await signIn(p, 'staff05');
      await p.click('[data-action=notices]');
      await p.click('[data-testid=notices-given] [data-reprint]');
      await p.emulateMedia({ media: 'print' });
    },
    { fullPage: true },
  );
  // A window without a pad: the panel's second screen invites the applicant (R34).
  await shot('evaluation-screen', '/evaluate/c09', 1280, 800, async (p) => {
    await p.evaluate(
      ([ticketId]) =>
        new BroadcastChannel('yichuang:evaluate:c09').postMessage({
          ticketId,
          number: 'A003',
          servedBy: { name: '周婷', badge: 'ZW0109' },
        }),
      [served[1]!],
    );
    await p.click('[data-level="2"]');
    await p.click('[data-aspect=attitude]');
  });
  await shot('supervisor-console-cases', '/console', 1920, 1080, async (p) => {
    await signIn(p, 'manager');
    await p.locator('[data-testid=cases]').scrollIntoViewIfNeeded();
  });
  await shot(
    'supervisor-console-cases-en',
    '/console',
    1920,
    1080,
    async (p) => {
      await signIn(p, 'manager');
      await p.locator('[data-testid=cases]').scrollIntoViewIfNeeded();
    },
    { english: true },
  );
  await shot('supervisor-console-catalogue', '/console', 1920, 1080, async (p) => {
    await signIn(p, 'admin');
    const panel = p.locator('[data-testid=catalogue]');
    await panel.scrollIntoViewIfNeeded();
    await panel.locator('.pick').click();
    await p.locator('.el-select-dropdown__item:visible', { hasText: '不动产登记' }).click();
    await p.waitForTimeout(300);
    await panel.scrollIntoViewIfNeeded();
  });
  await shot('supervisor-console', '/console', 1920, 1080, async (p) => signIn(p, 'manager'));
  await shot('supervisor-console-full', '/console', 1920, 1080, async (p) => signIn(p, 'manager'), {
    fullPage: true,
  });
  await shot('supervisor-console-en', '/console', 1920, 1080, async (p) => signIn(p, 'manager'), {
    english: true,
  });
  // Window 12's clerk fetching material: the panel is locked until their password (R19).
  await shot('counter-panel-locked', '/counter', 1366, 768, async (p) => signIn(p, 'staff12'));
  // The “办不成事” window's clerk, back (unlocked with their password): their follow-ups (R14, R23).
  await shot('counter-panel-my-work', '/counter', 1366, 768, async (p) => {
    await signIn(p, 'staff12');
    await p.fill('.unlock input', 'demo');
    await p.locator('.unlock').evaluate((f) => (f as unknown as { requestSubmit(): void }).requestSubmit());
    await p.click('[data-action=my-work]');
    await p.getByRole('tab', { name: '登记“办不成事”' }).click();
    await p.fill('textarea[name=problem]', '办理医保异地备案时被要求提供原单位证明，单位已搬迁无法开具');
  });
  // A fire (R38): every wall, kiosk and panel, and the console's delivery receipts.
  await post('/halls/demo/emergency', { kind: 'fire', text: '三楼配电间冒烟，请从东侧楼梯撤离' });
  await shot('display-wall-emergency', '/display', 1920, 1080);
  await shot('kiosk-emergency', '/kiosk#device-token=demo-kiosk-token', 1080, 1920);
  await shot('counter-panel-emergency', '/counter', 1366, 768, async (p) => signIn(p, 'staff05'));
  await shot('supervisor-console-emergency', '/console', 1920, 1080, async (p) => signIn(p, 'manager'));
  const snap = (await (
    await fetch(api('/halls/demo/snapshot'), { headers: { authorization: `Bearer ${mgr}` } })
  ).json()) as { emergency: { id: string } };
  await post(`/halls/demo/emergency/${snap.emergency.id}/all-clear`, {});
  // The gateway gone: the console says so (the devices' last known state stays as it was).
  await gw.close();
  await sim.stop();
  await new Promise((r) => setTimeout(r, 500));
  await shot('supervisor-console-gateway-offline', '/console', 1920, 1080, async (p) => signIn(p, 'manager'));

  // #14: the reports over a month of history (October 2026, generated through the engine and
  // archived by a hub of its own as it starts).
  const histDir = await mkdtemp(join(tmpdir(), 'yc-shots-history-'));
  const hall = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
  const journal = new FileJournal(join(histDir, 'journal'));
  let version = 0;
  for (const d of generateHistory(hall, { from: '2026-10-09', days: 23, seed: 3 })) {
    const r = await journal.append(hall.id, version, d.events);
    if (r.ok) version = r.version;
  }
  await journal.close();
  const histHub = await startChildHub(histDir);
  await new Promise((r) => setTimeout(r, 3000));
  const october = async (p: Page) => {
    await signIn(p, 'manager');
    const month = p.locator('[data-testid=reports] .el-date-editor input');
    await month.fill('2026-10');
    await month.press('Enter');
    await month.blur();
    await p.waitForTimeout(800);
  };
  const base = histHub.url;
  await shot('supervisor-console-reports', '/console/reports', 1920, 1080, october, { base });
  await shot('supervisor-console-reports-en', '/console/reports', 1920, 1080, october, {
    base,
    english: true,
  });
  await shot(
    'supervisor-console-reports-day',
    '/console/reports',
    1920,
    1080,
    async (p) => {
      await october(p);
      await p.locator('[data-testid=report-days] .el-table__body tr').nth(3).click();
      await p.waitForTimeout(800);
    },
    { base, fullPage: true },
  );
  histHub.child.kill('SIGKILL');
  await rm(histDir, { recursive: true, force: true });
} finally {
  await browser.close();
  hub.child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
}
