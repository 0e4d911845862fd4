export {
  initialState,
  toSnapshot,
  fromSnapshot,
  type HallState,
  type SnapshotData,
  type Handled,
  estimateList,
} from './state.js';
export { factsOf } from './facts.js';
export { servicesOf } from './notices.js';
export { decide, type CommandEnvelope, type Decision, MAX_NUMBER } from './decide.js';
export { evolve } from './evolve.js';
export { transition, applyEvents, applyEventsClosingDays, numbered, type Transition } from './transition.js';
export { dueTimers, ABSENCE_LIMIT_MS, type Timer } from './timers.js';
export { publicSnapshot, staffSnapshot, ticketView, deviceView, accountList } from './views.js';
export { localDay } from './local-day.js';
export { aheadOf, orderKey, HEAD_START_MS, MAX_HEAD_START_MS } from './policies/ordering.js';
export { nextFor, OVERDUE, SECONDARY_WEIGHT } from './policies/routing.js';
