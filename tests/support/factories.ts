import type { Actor, Command, HallConfig, Role } from '@yichuang/protocol';
import { HallConfig as HallConfigSchema } from '@yichuang/protocol';
import { deviceTokenSha256, initialState, transition, type HallState } from '@yichuang/server';

/** 2026-11-27 09:00 in Asia/Shanghai. */
export const T0 = Date.UTC(2026, 10, 27, 1, 0, 0);
export const MINUTE = 60_000;

/** A fake hash: engine and transport tests mint tokens instead of logging in. */
const NO_LOGIN = 'scrypt$17$8$1$AAAA$AAAA';

/** A small hall: three services, four counters, four staff (one a manager), one counter keypad. */
export function smallHall(overrides: Partial<HallConfig> = {}): HallConfig {
  return HallConfigSchema.parse({
    id: 'h1',
    name: '测试大厅',
    nameEn: 'Test hall',
    level: 'district',
    timeZone: 'Asia/Shanghai',
    openingHours: { mon: [{ open: '09:00', close: '17:00' }] },
    // Most tests issue at any hour; the opening-hours rule (R26) is tested with its own settings.
    rules: { issuing: 'always' },
    services: [
      {
        id: 'tax',
        code: 'SW',
        name: '税务',
        nameEn: 'Tax',
        prefix: 'G',
        category: '税务',
        categoryEn: 'Tax',
        expectedMinutes: 10,
        targetWaitMinutes: 20,
      },
      {
        id: 'si',
        code: 'SB',
        name: '社保',
        nameEn: 'Social insurance',
        prefix: 'A',
        category: '人社',
        categoryEn: 'HR',
        expectedMinutes: 8,
        targetWaitMinutes: 20,
      },
      {
        id: 'bdc',
        code: 'BDC',
        name: '不动产',
        nameEn: 'Real estate',
        prefix: 'D',
        category: '不动产',
        categoryEn: 'Real estate',
        expectedMinutes: 20,
        targetWaitMinutes: 30,
      },
    ],
    counters: [
      { id: 'c1', number: 1, type: 'comprehensive', serviceIds: ['tax', 'si'] },
      { id: 'c2', number: 2, type: 'comprehensive', serviceIds: ['si'] },
      { id: 'c3', number: 3, type: 'comprehensive', serviceIds: ['bdc'] },
      { id: 'c4', number: 4, type: 'complaint', serviceIds: [] },
    ],
    staff: [
      { id: 's1', name: '李娜', badge: 'B01', username: 'staff01', roles: ['staff'], passwordHash: NO_LOGIN },
      { id: 's2', name: '张伟', badge: 'B02', username: 'staff02', roles: ['staff'], passwordHash: NO_LOGIN },
      { id: 's3', name: '王芳', badge: 'B03', username: 'staff03', roles: ['staff'], passwordHash: NO_LOGIN },
      {
        id: 'm1',
        name: '王建国',
        badge: 'M01',
        username: 'manager',
        roles: ['manager', 'staff'],
        passwordHash: NO_LOGIN,
      },
    ],
    devices: [
      {
        id: 'pad-c3',
        kind: 'counter-terminal',
        counterId: 'c3',
        tokenSha256: deviceTokenSha256('pad-c3-token'),
      },
      { id: 'kiosk', kind: 'dispenser', tokenSha256: deviceTokenSha256('kiosk-token') },
      { id: 'gw', kind: 'gateway', tokenSha256: deviceTokenSha256('gw-token') },
      { id: 'eval-c3', kind: 'evaluator', counterId: 'c3' },
    ],
    ...overrides,
  });
}

export const staff = (staffId: string, roles: Role[] = ['staff']): Actor => ({
  kind: 'staff',
  staffId,
  roles,
});
export const manager: Actor = staff('m1', ['manager', 'staff']);
export const publicActor: Actor = { kind: 'public' };
export const system: Actor = { kind: 'system' };
export const gateway: Actor = { kind: 'device', deviceId: 'gw' };
export const evaluatorC3: Actor = { kind: 'device', deviceId: 'eval-c3' };

/** Runs commands in order (each a minute apart unless `at` is given), failing the test on any rejection. */
export function run(
  state: HallState,
  steps: Array<{ command: Command; actor?: Actor; at?: number; id?: string }>,
  start = T0,
): HallState {
  let s = state;
  steps.forEach((step, i) => {
    const r = transition(
      s,
      { command: step.command, actor: step.actor ?? manager, id: step.id ?? `t${s.version}-${i}` },
      step.at ?? start + i * MINUTE,
    );
    if (!r.ok)
      throw new Error(`step ${i} (${step.command.type}) rejected: ${r.error.code} ${r.error.message}`);
    s = r.state;
  });
  return s;
}

export const fresh = (config = smallHall()) => initialState(config);

/** A busy hall: three counters open, one calling a ticket, tickets waiting, a notice up. */
export function busyHall(): HallState {
  return run(fresh(), [
    { command: { type: 'counter:open', counterId: 'c1' }, actor: staff('s1') },
    { command: { type: 'counter:open', counterId: 'c2' }, actor: staff('s2') },
    { command: { type: 'counter:open', counterId: 'c3' }, actor: staff('s3') },
    {
      command: {
        type: 'ticket:issue',
        serviceId: 'si',
        priority: 'normal',
        channel: 'kiosk',
        applicant: { name: '王小明', phone: '13812345678' },
      },
      id: 'w1',
    },
    { command: { type: 'ticket:issue', serviceId: 'si', priority: 'normal', channel: 'kiosk' }, id: 'w2' },
    { command: { type: 'ticket:issue', serviceId: 'tax', priority: 'normal', channel: 'kiosk' }, id: 'w3' },
    { command: { type: 'counter:call-next', counterId: 'c1' }, actor: staff('s1') },
    { command: { type: 'hall:post-notice', text: '今日下午系统维护' }, id: 'n1' },
    {
      command: { type: 'counter:report-incident', counterId: 'c2', kind: 'quarrel', note: '' },
      actor: staff('s2'),
      id: 'a1',
    },
  ]);
}
