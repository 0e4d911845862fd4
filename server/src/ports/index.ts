export type { EventLog, AppendResult } from './event-log.js';
export type { Scheduler, DueHandler } from './scheduler.js';
export type { Broadcaster, EventListener } from './broadcaster.js';
export { type Clock, systemClock } from './clock.js';
