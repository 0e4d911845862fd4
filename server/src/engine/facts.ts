import { accountOf, handlingIn, type HallFacts, type Id, type Leave, type Ticket } from '@yichuang/protocol';
import { servicesOf } from './notices.js';
import type { HallState } from './state.js';

const facts = new WeakMap<HallState, HallFacts>();

/**
 * The hall's rules read the engine's state through the same facts a staff screen has. A state never
 * changes, so its facts are made once (deciding a command and predicting waits ask for them often).
 */
export function factsOf(state: HallState): HallFacts {
  let f = facts.get(state);
  if (!f) facts.set(state, (f = new StateFacts(state)));
  return f;
}

/** A state's facts as an object whose methods live on its prototype: nothing is made per state but it. */
class StateFacts implements HallFacts {
  readonly services: ReturnType<typeof servicesOf>;
  readonly counters: HallState['config']['counters'];
  readonly staff: HallState['config']['staff'];
  readonly devices: HallState['config']['devices'];
  readonly issuingPaused: HallState['issuingPaused'];
  readonly numberBlocks: HallState['numberBlocks'];
  readonly notices: HallState['notices'];
  readonly emergency: HallState['emergency'];
  readonly leave: Leave[];
  constructor(private readonly state: HallState) {
    this.services = servicesOf(state);
    this.counters = state.config.counters;
    this.staff = state.config.staff;
    this.devices = state.config.devices;
    this.issuingPaused = state.issuingPaused;
    this.numberBlocks = state.numberBlocks;
    this.notices = state.notices;
    this.emergency = state.emergency;
    this.leave = [...state.leave.values()];
  }
  counterStatus(id: Id) {
    return this.state.counters.get(id);
  }
  ticket(id: Id) {
    return this.state.tickets.get(id);
  }
  tickets() {
    return this.state.tickets.values();
  }
  queues() {
    return this.state.queues;
  }
  handling(serviceId: Id, staffId: Id | null) {
    return handlingIn(this.state.estimates, this.state.config.services, serviceId, staffId);
  }
  alert(id: Id) {
    return this.state.alerts.get(id);
  }
  carryOver(code: string) {
    return this.state.carryOvers.get(code);
  }
  account(staffId: Id) {
    return accountOf(this.state.config, this.state.accounts, staffId);
  }
  deviceBlocked(deviceId: Id) {
    return this.state.deviceBlocks.has(deviceId);
  }
  case(id: Id) {
    return this.state.cases.get(id);
  }
  holder(serviceId: Id, idHash: string) {
    for (const id of this.state.idHolders.get(idHash) ?? []) {
      const t = this.state.tickets.get(id);
      if (t && t.serviceId === serviceId && LIVE.has(t.status)) return t;
    }
    return undefined;
  }
}

/** A ticket still in the hall: in the line or at a counter. */
const LIVE: ReadonlySet<Ticket['status']> = new Set(['waiting', 'called', 'serving']);
