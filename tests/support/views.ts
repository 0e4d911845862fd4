import type { HallInfo, Service, StaffSnapshot, Ticket } from '@yichuang/protocol';
import { DEFAULT_RULES } from '@yichuang/protocol';

/** 2026-11-27 09:00 in Asia/Shanghai. */
export const VIEW_T0 = Date.UTC(2026, 10, 27, 1, 0);

/** The hall header every view fixture shares. */
export const HALL_INFO: HallInfo = {
  id: 'demo',
  name: '示范',
  nameEn: 'Demo',
  level: 'city',
  timeZone: 'Asia/Shanghai',
  openingHours: {},
  issuing: 'always',
  lastTicketMinutes: 0,
};

/** A service as the staff views carry it; `tax` unless overridden. */
export const service = (p: Partial<Service> = {}): Service => ({
  id: 'tax',
  code: 'SW',
  name: '税务',
  nameEn: 'Tax',
  prefix: 'G',
  category: '税务',
  categoryEn: 'Tax',
  expectedMinutes: 10,
  targetWaitMinutes: 20,
  identification: 'none',
  flags: { onTheSpot: false, commitment: false, deficiencyAcceptance: false },
  ...p,
});

/** A waiting normal ticket issued at VIEW_T0, with whatever the test changes. */
export const ticket = (p: Partial<Ticket> = {}): Ticket => ({
  id: 'x',
  number: 'G001',
  seq: 1,
  day: '2026-11-27',
  serviceId: 'tax',
  priority: 'normal',
  channel: 'kiosk',
  status: 'waiting',
  issuedAt: VIEW_T0,
  queuedAt: VIEW_T0,
  calledAt: null,
  startedAt: null,
  endedAt: null,
  counterId: null,
  targetCounterId: null,
  recalls: 0,
  transfers: [],
  firstContactStaffId: null,
  servedByStaffId: null,
  outcome: null,
  offline: false,
  rating: null,
  ratingNotGiven: false,
  appointmentAt: null,
  carryOver: null,
  carriedFrom: null,
  applicant: null,
  notices: [],
  firstCalledAt: null,
  ...p,
});

/** A staff snapshot of one tax counter (c05, closed) and no tickets, with whatever the test changes. */
export const staffSnapshot = (p: Partial<StaffSnapshot> = {}): StaffSnapshot => ({
  protocolVersion: '1.0.0',
  version: 3,
  hall: HALL_INFO,
  services: [service()],
  counters: [{ id: 'c05', number: 5, type: 'comprehensive', serviceIds: ['tax'], floor: 1, zone: '' }],
  staff: [],
  counterStatus: [
    {
      id: 'c05',
      state: 'closed',
      staffId: null,
      ticketId: null,
      pauseReason: null,
      pauseNote: '',
      since: 0,
      absentSince: null,
      absentMs: 0,
      absenceExceeded: false,
      check: null,
      serviceIds: ['tax'],
    },
  ],
  devices: [],
  rules: DEFAULT_RULES,
  alerts: [],
  emergency: null,
  carryOvers: [],
  leave: [],
  deviceBlocks: [],
  cases: [],
  writtenNotices: [],
  estimates: [],
  routing: { policy: 'fifo', specialCareRun: 3 },
  tickets: [],
  recentCalls: [],
  notices: [],
  issuingPaused: [],
  numberBlocks: [],
  ...p,
  // Every staff member of the snapshot has an active account, unless the test says otherwise.
  accounts:
    p.accounts ??
    (p.staff ?? []).map((x) => ({
      staffId: x.id,
      active: true,
      roles: ['staff'],
      sessionsFrom: 0,
      note: '',
    })),
});
