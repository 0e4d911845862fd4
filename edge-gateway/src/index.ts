export * from './acl.js';
export * from './broker.js';
export * from './escpos.js';
export * from './gateway.js';
export * from './inbound.js';
export * from './outbound.js';
export * from './outbox.js';
export * from './settings.js';
