import type { ErrorBody, Result } from './common.js';
import type { CommandInput, CommandType } from './commands.js';
import type { EventType, PublicEvent, PublicEventType } from './events.js';
import type { StaffEvent } from './staff-view.js';
import type { CommandReply, PublicSnapshot, StaffSnapshot } from './views.js';
import type { GatewayCommand } from './devices.js';

/** Socket.io namespaces, one per role; `/gateway` is the edge gateway's, with its device token. */
export const NAMESPACES = {
  display: '/display',
  counter: '/counter',
  supervisor: '/supervisor',
  gateway: '/gateway',
} as const;

/** `auth` of a `/display` connection: no credential, only the hall (a device token is optional). */
export type DisplayAuth = { hallId: string; deviceToken?: string; protocolVersion?: string };
/** `auth` of a `/counter` or `/supervisor` connection. */
export type StaffAuth = { token: string; hallId: string; protocolVersion?: string };

type Ack<T> = (result: Result<T>) => void;

export type DisplayServerToClient = {
  'hall:snapshot': (snapshot: PublicSnapshot) => void;
  'hall:version': (tick: { version: number }) => void;
} & {
  [K in PublicEventType]: (event: Extract<PublicEvent, { type: K }>) => void;
};
export type DisplayClientToServer = {
  'hall:sync': (ack: Ack<PublicSnapshot>) => void;
  /** A public screen's delivery receipt for the emergency it shows (R38). */
  'hall:emergency-shown': (payload: CommandInput<'hall:emergency-shown'>, ack: Ack<CommandReply>) => void;
};

export type StaffServerToClient = {
  'hall:snapshot': (snapshot: StaffSnapshot) => void;
  'session:revoked': (why: ErrorBody) => void;
} & {
  [K in EventType]: (event: Extract<StaffEvent, { type: K }>) => void;
};
export type StaffClientToServer = {
  [K in CommandType]: (payload: CommandInput<K>, ack: Ack<CommandReply>) => void;
} & { 'hall:sync': (ack: Ack<StaffSnapshot>) => void };

/** `auth` of a `/gateway` connection: the gateway's device token. */
export type GatewayAuth = { hallId: string; token: string; protocolVersion?: string };
/** The gateway hears what staff hear (it drives the window displays, speakers and pads). */
export type GatewayServerToClient = StaffServerToClient;
export type GatewayClientToServer = {
  'gateway:command': (command: GatewayCommand, ack: Ack<CommandReply>) => void;
  'hall:sync': (ack: Ack<StaffSnapshot>) => void;
};

/**
 * What the hub sends a connection just before it closes it because its credential stopped counting
 * (signed out, account or device switched off, R8). The client signs out instead of reconnecting.
 */
export const SESSION_REVOKED = 'session:revoked';

/** The error a socket.io `connect_error` carries in `data`. */
export type ConnectErrorData = ErrorBody;
