import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HallConfig, InstallationConfig } from '@yichuang/protocol';
import { DEVICE_CHANNELS, deviceTopic, MqttDeviceKind } from '@yichuang/protocol';
import { DEMO_CONFIG_PATH, deviceTokenSha256, loadInstallation } from '@yichuang/server';
import { mayPublish, maySubscribe, permissionsOf } from '@yichuang/edge-gateway';
import { connect, http, startHub, type Hub } from '../support/hub.js';

/**
 * #12, the access matrix: every role and device kind against every REST route, socket namespace and
 * MQTT topic, allowed or refused, with a second hall for cross-hall attempts. "Allowed" means the
 * hub took the caller for someone who may ask (any answer but 401/403: the hall may still say no
 * for its own reasons); "refused" means 401 or 403. What each command allows is the engine's matrix
 * (tests/engine/access-matrix.test.ts): sockets reach it through the same rules.
 */

/** A second hall of the same installation: its own staff (a clerk, a manager, the city's people). */
function eastHall(demo: HallConfig): HallConfig {
  return {
    ...demo,
    id: 'east',
    name: '东区政务服务中心',
    nameEn: 'East District Service Centre',
    staff: [
      { ...demo.staff.find((s) => s.id === 's01')!, id: 'e01', username: 'east01' },
      { ...demo.staff.find((s) => s.id === 'mgr01')!, id: 'emgr', username: 'eastmanager' },
      { ...demo.staff.find((s) => s.id === 'city01')!, id: 'ecity', username: 'eastcity' },
      { ...demo.staff.find((s) => s.id === 'adm01')!, id: 'eadm', username: 'eastadmin' },
    ],
    devices: [{ id: 'east-wall', kind: 'display', tokenSha256: deviceTokenSha256('east-display-token') }],
    roster: [],
  };
}

type ActorName =
  | 'anyone'
  | 'wall'
  | 'dispenser'
  | 'gateway'
  | 'clerk'
  | 'manager'
  | 'eastClerk'
  | 'eastManager'
  | 'cityManager'
  | 'admin'
  | 'eastWall';

let hub: Hub;
let credential: Record<ActorName, string | undefined>;
const ACTORS: ActorName[] = [
  'anyone',
  'wall',
  'dispenser',
  'gateway',
  'clerk',
  'manager',
  'eastClerk',
  'eastManager',
  'cityManager',
  'admin',
  'eastWall',
];
const MANAGERS_HERE: ActorName[] = ['manager', 'cityManager', 'admin'];

beforeAll(async () => {
  const demo = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
  const config: InstallationConfig = {
    halls: [{ ...demo, rules: { ...demo.rules, closingMarks: [] } }, eastHall(demo)],
  };
  hub = await startHub({ config });
  credential = {
    anyone: undefined,
    wall: 'demo-display-token',
    dispenser: 'demo-kiosk-token',
    gateway: 'demo-gateway-token',
    clerk: hub.tokenFor('s01'),
    manager: hub.tokenFor('mgr01'),
    eastClerk: hub.tokenFor('e01', 'east'),
    eastManager: hub.tokenFor('emgr', 'east'),
    // The city's manager and the admin belong to the east hall and reach every hall by their roles.
    cityManager: hub.tokenFor('ecity', 'east'),
    admin: hub.tokenFor('eadm', 'east'),
    eastWall: 'east-display-token',
  };
});
afterAll(async () => {
  await hub.close();
});

const api = (path: string) => `${hub.url}/api/v1${path}`;

/** One REST route: how to call it, and who may. */
type Route = { name: string; call: (token?: string) => Promise<number>; allowed: readonly ActorName[] };
const req = (method: string, path: string, body?: unknown) => async (token?: string) =>
  (await http(api(path), method, body, token)).status;

const ROUTES: Route[] = [
  { name: 'GET /halls', call: req('GET', '/halls'), allowed: ACTORS },
  { name: 'GET /halls/demo', call: req('GET', '/halls/demo'), allowed: ACTORS },
  // A public route with a credential that is not this hall's is refused, not read as anonymous.
  {
    name: 'GET /halls/demo/public',
    call: req('GET', '/halls/demo/public'),
    allowed: ACTORS,
  },
  {
    name: 'GET /halls/demo/snapshot',
    call: req('GET', '/halls/demo/snapshot'),
    allowed: ['clerk', 'manager', 'cityManager', 'admin'],
  },
  {
    name: 'POST /halls/demo/tickets',
    call: req('POST', '/halls/demo/tickets', { serviceId: 'tax' }),
    allowed: ['anyone', 'dispenser', 'clerk', 'manager', 'cityManager', 'admin'],
  },
  {
    name: 'POST /halls/demo/counters/c01/open',
    call: req('POST', '/halls/demo/counters/c01/open', {}),
    allowed: ['clerk', 'manager'],
  },
  {
    name: 'POST /halls/demo/counters/c01/pause',
    call: req('POST', '/halls/demo/counters/c01/pause', { reason: 'break' }),
    allowed: ['clerk', 'manager'],
  },
  {
    name: 'GET /halls/demo/attendance',
    call: req('GET', '/halls/demo/attendance'),
    allowed: MANAGERS_HERE,
  },
  {
    name: 'POST /halls/demo/alerts/nothing/acknowledge',
    call: req('POST', '/halls/demo/alerts/nothing/acknowledge', {}),
    allowed: MANAGERS_HERE,
  },
  {
    name: 'POST /halls/demo/emergency (then all-clear)',
    call: async (token) => {
      const r = await http(api('/halls/demo/emergency'), 'POST', { kind: 'other', text: '演练' }, token);
      const id = (await http(api('/halls/demo/snapshot'), 'GET', undefined, credential.manager)).body
        .emergency?.id as string | undefined;
      if (id) await http(api(`/halls/demo/emergency/${id}/all-clear`), 'POST', {}, credential.manager);
      return r.status;
    },
    allowed: MANAGERS_HERE,
  },
  {
    name: 'POST /halls/demo/staff/s09/end-sessions',
    call: req('POST', '/halls/demo/staff/s09/end-sessions', {}),
    allowed: ['manager', 'admin'],
  },
  {
    name: 'POST /halls/demo/devices/printer-1/deactivate (then reactivate)',
    call: async (token) => {
      const r = await http(api('/halls/demo/devices/printer-1/deactivate'), 'POST', {}, token);
      await http(api('/halls/demo/devices/printer-1/reactivate'), 'POST', {}, credential.manager);
      return r.status;
    },
    allowed: ['manager', 'admin'],
  },
  {
    name: 'POST /halls/demo/staff/s09/change-roles',
    call: req('POST', '/halls/demo/staff/s09/change-roles', { roles: ['staff'] }),
    allowed: ['admin'],
  },
  // R34: a phone rates its own ticket (the id is the capability): a route for anyone.
  {
    name: 'POST /tickets/nothing-here/rating',
    call: req('POST', '/tickets/nothing-here/rating', { level: 5 }),
    allowed: ACTORS,
  },
  // R9: an applicant's details, for the hall's staff (the rules then ask whose ticket it is).
  {
    name: 'POST /halls/demo/tickets/nothing-here/reveal-applicant',
    call: req('POST', '/halls/demo/tickets/nothing-here/reveal-applicant', { reason: '核对身份' }),
    allowed: ['clerk', 'manager'],
  },
  // Cross-hall: a demo credential does nothing in the east hall, except the city's roles.
  {
    name: 'GET /halls/east/snapshot',
    call: req('GET', '/halls/east/snapshot'),
    allowed: ['eastClerk', 'eastManager', 'cityManager', 'admin'],
  },
  {
    name: 'POST /halls/east/counters/c01/open',
    call: req('POST', '/halls/east/counters/c01/open', {}),
    allowed: ['eastClerk', 'eastManager'],
  },
];

describe('access matrix (#12)', () => {
  it.each(ROUTES)('$name', async (route) => {
    for (const actor of ACTORS) {
      // Public routes answer anyone without a credential; with one, the credential must hold.
      const status = await route.call(credential[actor]);
      const may = route.allowed.includes(actor);
      const publicRoute = route.allowed.includes('anyone') && route.allowed.length === ACTORS.length;
      if (may || publicRoute)
        expect([401, 403], `${route.name} by ${actor}: ${status}`).not.toContain(status);
      else expect([401, 403], `${route.name} by ${actor}: ${status}`).toContain(status);
    }
  });

  it('admits each socket namespace to whom it is for, and no one else', async () => {
    const NAMESPACES: Array<{ ns: string; hall: string; allowed: readonly ActorName[] }> = [
      { ns: '/display', hall: 'demo', allowed: ['anyone', 'wall', 'dispenser', 'gateway'] },
      { ns: '/counter', hall: 'demo', allowed: ['clerk', 'manager'] },
      { ns: '/supervisor', hall: 'demo', allowed: MANAGERS_HERE },
      { ns: '/gateway', hall: 'demo', allowed: ['gateway'] },
      { ns: '/supervisor', hall: 'east', allowed: ['eastManager', 'cityManager', 'admin'] },
      { ns: '/counter', hall: 'east', allowed: ['eastClerk', 'eastManager'] },
    ];
    for (const { ns, hall, allowed } of NAMESPACES)
      for (const actor of ACTORS) {
        const token = credential[actor];
        // A wall connects with its device token; everyone else with a bearer token.
        const auth =
          ns === '/display'
            ? { hallId: hall, ...(token && !token.includes('.') ? { deviceToken: token } : {}) }
            : { hallId: hall, ...(token ? { token } : {}) };
        if (ns === '/display' && token?.includes('.')) continue; // staff do not sign in to public screens
        const admitted = await connect(hub.url, ns, auth).then(
          (c) => {
            c.socket.disconnect();
            return true;
          },
          () => false,
        );
        expect(admitted, `${ns} of ${hall} by ${actor}`).toBe(allowed.includes(actor));
      }
  });

  it('lets each MQTT device publish only its own channels and read only its own topic, in its own hall', async () => {
    const demo = (await loadInstallation(DEMO_CONFIG_PATH)).halls[0]!;
    const devices = demo.devices.filter((d) => MqttDeviceKind.safeParse(d.kind).success);
    expect(new Set(devices.map((d) => d.kind)).size).toBeGreaterThanOrEqual(6);
    for (const device of devices) {
      const p = permissionsOf(device, 'demo')!;
      for (const [name, channel] of Object.entries(DEVICE_CHANNELS)) {
        const [kindOf, leaf] = name.includes('/') ? name.split('/') : [null, name];
        const mine = kindOf === null || kindOf === device.kind;
        const own = deviceTopic('demo', device.kind as MqttDeviceKind, device.id, leaf);
        const where = `${device.id} ${name}`;
        expect(mayPublish(p, own), where).toBe(mine && channel.direction === 'device-to-hub');
        // Another device's topic, and the same in another hall: never.
        const other = devices.find((d) => d.id !== device.id && d.kind === device.kind) ?? devices[0]!;
        if (other.id !== device.id)
          expect(
            mayPublish(p, deviceTopic('demo', device.kind as MqttDeviceKind, other.id, leaf)),
            where,
          ).toBe(false);
        expect(
          mayPublish(p, deviceTopic('east', device.kind as MqttDeviceKind, device.id, leaf)),
          where,
        ).toBe(false);
      }
      const own = deviceTopic('demo', device.kind as MqttDeviceKind, device.id, 'x').slice(0, -2);
      expect(maySubscribe(p, `${own}/#`)).toBe(true);
      const neighbour = devices.find((d) => d.id !== device.id)!;
      expect(
        maySubscribe(
          p,
          `${deviceTopic('demo', neighbour.kind as MqttDeviceKind, neighbour.id, 'x').slice(0, -2)}/#`,
        ),
      ).toBe(false);
      expect(maySubscribe(p, 'yichuang/v1/demo/#')).toBe(false);
      expect(maySubscribe(p, '#')).toBe(false);
    }
    const gw = permissionsOf({ id: 'gateway-1', kind: 'gateway' }, 'demo')!;
    expect(mayPublish(gw, deviceTopic('demo', 'keypad', 'keypad-1', 'key'))).toBe(true);
    expect(mayPublish(gw, deviceTopic('east', 'keypad', 'keypad-1', 'key'))).toBe(false);
  });
});
