export * from './common.js';
export * from './hall.js';
export * from './ticket.js';
export * from './commands.js';
export * from './events.js';
export * from './views.js';
export * from './rest.js';
export * from './socket.js';
