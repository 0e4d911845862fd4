export { type EventLog, type AppendResult, type EventFeed, isFeed } from './event-log.js';
export type { Scheduler, DueHandler } from './scheduler.js';
export type { Broadcaster, EventListener } from './broadcaster.js';
export type { HallStore, HallSnapshot } from './hall-store.js';
export { type Clock, systemClock } from './clock.js';
export type { AuditLog } from './audit-log.js';
